import { epcisDocument, unit } from "../../test/support/captures";
import { setupIndexerLedger } from "../../test/support/indexer-ledger";
import { KEYS } from "../../test/support/relayer-ledger";

/**
 * The benchmarks' ledger: one order of `codes` codes released in one batch (the CLI's release), and
 * `events` commissioning events in commitments of 10 signed captures of 1,000 events each.
 */
export async function buildBenchLedger(rpcUrl: string, dir: string, codes: number, events: number) {
  let t = Date.now();
  const ledger = await setupIndexerLedger(rpcUrl, dir, codes);
  console.log(`ledger: ${codes} codes released in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  t = Date.now();
  const perCapture = 1000;
  const capturesPerCommitment = 10;
  let n = 0;
  while (n < events) {
    const entries = [];
    for (let c = 0; c < capturesPerCommitment && n < events; c++) {
      const time = new Date(Date.parse("2026-11-01T08:00:00Z") + n * 1000).toISOString();
      const list = [];
      for (let e = 0; e < perCapture && n < events; e++, n++) {
        list.push({
          type: "ObjectEvent",
          eventTime: time,
          eventTimeZoneOffset: "+00:00",
          epcList: [unit(ledger.serials[n])],
          action: "ADD",
          bizStep: "commissioning",
          readPoint: { id: "https://id.gs1.org/414/0614141000005" },
        });
      }
      entries.push(await ledger.captureEntry(epcisDocument(list), KEYS.governor));
    }
    await ledger.commit(entries);
  }
  console.log(`ledger: ${events} events committed in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  return ledger;
}
