/**
 * The demo's genuine code as a consumer opens it, on a running `npm start` stack (this version's or
 * an earlier one's, which is how the before/after figures of a change are taken):
 *   1. the proof bundle: bytes, custody steps, and how many serials of the batch it names (it must
 *      name the code asked about, and no other);
 *   2. load to verdict of the page, cold and warm, beside the anchor (the bundle alone).
 *   npm run bench:demo-verdict -- --url <genuine link> --indexer <indexer url> [--codes <codes.csv>] [--runs 20]
 */
import { readFileSync } from "node:fs";
import { launchChromium } from "../../test/support/browser";
import { measurePage, summary } from "./page-timing";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const url = arg("url");
  const indexer = arg("indexer");
  if (!url || !indexer) throw new Error("usage: --url <genuine link> --indexer <indexer url> [--codes <codes.csv>]");
  const runs = Number(arg("runs") ?? 20);
  const [, gtin, serial] = /\/01\/(\d{14})(?:\/10\/[^/]+)?\/21\/([^/?#]+)/.exec(url) ?? [];
  const proofUrl = `${indexer.replace(/\/+$/, "")}/v1/codes/${gtin}/${serial}/proof`;
  const text = await (await fetch(proofUrl)).text();
  const bundle = JSON.parse(text) as { custody: unknown[] };
  const codes = arg("codes");
  const released = codes
    ? readFileSync(codes, "utf8")
        .trim()
        .split("\n")
        .slice(1)
        .map((line) => line.split(",")[1])
    : [];
  const named = released.filter((s) => text.includes(s)).length;
  console.log(
    `proof bundle: ${text.length} bytes, ${bundle.custody.length} custody steps` +
      (codes ? `, ${named} of the batch's ${released.length} serials named` : ""),
  );
  const browser = await launchChromium();
  try {
    // a stack before selective disclosure counts every visit: a genuine code turns suspicious under load
    const t = await measurePage({ browser, url, proofUrl, runs, verdicts: ["genuine", "suspicious"] });
    console.log(`load to verdict, cold (new context, nothing cached), ${runs} runs: ${summary(t.cold)}`);
    console.log(`load to verdict, warm (reload, script cached),       ${runs} runs: ${summary(t.warm)}`);
    console.log(`anchor: the proof bundle alone from the indexer,     ${runs} runs: ${summary(t.anchor)}`);
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
