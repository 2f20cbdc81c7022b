import { encodeSegment } from "../../core/gs1/digital-link";
import type { FetchedBundle } from "./check-code";
import type { CodeRef } from "./code-input";

/**
 * The code's proof bundle from the indexer (through the site), with what the indexer says of its
 * verifications. The boot script may have asked already, while the page script was compiling:
 * that answer is taken once, for the code it was asked for.
 */
export function fetchBundle(code: CodeRef): Promise<FetchedBundle> {
  const early = shared.trackrootEarly;
  // from now on the boot script, should it run late (it loads async), leaves the asking to this one
  shared.trackrootEarly = "taken";
  if (typeof early === "object" && early.key === keyOf(code)) return early.answer;
  return askIndexer(code);
}

/**
 * Starts asking for the bundle of the code in the address bar, unless the page script already
 * has: each visit is counted once by the indexer, whichever script runs first.
 */
export function askEarly(code: CodeRef): void {
  if (shared.trackrootEarly !== undefined) return;
  const answer = askIndexer(code);
  answer.catch(() => undefined); // the page script reports it
  shared.trackrootEarly = { key: keyOf(code), answer };
}

/** What the boot script and the page script share: the early answer, or that it was taken. */
const shared = globalThis as { trackrootEarly?: { key: string; answer: Promise<FetchedBundle> } | "taken" };

function keyOf(code: CodeRef): string {
  return `${code.gtin}/${code.serial}`;
}

async function askIndexer(code: CodeRef): Promise<FetchedBundle> {
  // nothing of the visitor's own (no time zone, no region): a region counts only from a trusted proxy
  const url = `/v1/codes/${code.gtin}/${encodeSegment(code.serial)}/proof`;
  const res = await fetch(url, { cache: "no-store", credentials: "omit", headers: { accept: "application/json" } });
  if (!res.ok) throw new Error(`it answered ${res.status}`);
  const bundle: unknown = await res.json();
  const count = res.headers.get("Trackroot-Verifications");
  const verifications =
    count === null
      ? null
      : {
          count: Number(count),
          regions: Number(res.headers.get("Trackroot-Regions") ?? 0),
          warning: res.headers.get("Trackroot-Clone-Warning") === "true",
        };
  return { bundle, verifications };
}
