import { codeOfPath } from "./code-input";
import { askEarly } from "./fetch-bundle";

/**
 * The first script of the page, a few kilobytes: it asks for the proof bundle of the code in the
 * address bar while the page script (with viem and the core) is still compiling.
 */
try {
  const code = codeOfPath(location.origin, location.pathname + location.search);
  if (code) askEarly(code);
} catch {
  // a malformed link: the page script says what is wrong with it
}
