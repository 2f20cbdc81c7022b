import type { Browser, Page } from "playwright-core";

/** p50, p95 and max of a list of milliseconds. */
export function summary(ms: number[]): string {
  const sorted = [...ms].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return `p50 ${q(0.5).toFixed(0)} ms, p95 ${q(0.95).toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms`;
}

/**
 * Load to verdict of the verification page at `url` in headless chromium at 390x844 (navigation
 * start to the page's "trackroot-verdict" mark), cold (a new context each run: nothing cached) and
 * warm (reloads: the script cached), `runs` each after one visit that warms the servers; beside it,
 * the anchor: `proofUrl` (the proof bundle alone) fetched as many times. A verdict outside `verdicts`
 * stops the run: a fast wrong answer is no figure.
 */
export async function measurePage(options: {
  browser: Browser;
  url: string;
  proofUrl: string;
  runs: number;
  verdicts: readonly string[];
}): Promise<{ cold: number[]; warm: number[]; anchor: number[] }> {
  const { browser, url, runs } = options;
  const verdictAt = async (page: Page) => {
    await page.locator("[data-verdict]").waitFor();
    const verdict = await page.locator("[data-verdict]").getAttribute("data-verdict");
    if (!options.verdicts.includes(verdict ?? "")) throw new Error(`verdict ${verdict}, expected ${options.verdicts}`);
    return page.evaluate(() => performance.getEntriesByName("trackroot-verdict")[0].startTime);
  };
  const fresh = async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(url);
    return { context, ms: await verdictAt(page), page };
  };
  await (await fresh()).context.close();
  const cold: number[] = [];
  for (let i = 0; i < runs; i++) {
    const visit = await fresh();
    cold.push(visit.ms);
    await visit.context.close();
  }
  const warm: number[] = [];
  const visit = await fresh();
  for (let i = 0; i < runs; i++) {
    await visit.page.reload();
    warm.push(await verdictAt(visit.page));
  }
  await visit.context.close();
  const anchor: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await (await fetch(options.proofUrl)).arrayBuffer();
    anchor.push(performance.now() - t0);
  }
  return { cold, warm, anchor };
}
