import type { ReadRoot } from "../core/proof/verify-bundle";
import type { LedgerReader } from "./ledger-reader";

const BATCH_UNKNOWN = 0;
const BATCH_RECALLED = 2;

/**
 * What a verifier asks the chain, answered from a node: a batch's root, standing and GTIN, a
 * commitment's root. Anything about another chain or contract, or that does not exist, is null.
 */
export function chainRootReader(ledger: LedgerReader): ReadRoot {
  const chainId = ledger.options.deployment.chainId;
  return async (q) => {
    if (q.chainId !== chainId) return null;
    if (q.kind === "batch") {
      if (q.contract.toLowerCase() !== ledger.serials.address.toLowerCase()) return null;
      // asked together (one request over a batching transport); the batch read fails for an unknown id
      const [status, record] = await Promise.allSettled([
        ledger.read(() => ledger.serials.read.batchStatus([q.batchId])),
        ledger.read(() => ledger.serials.read.batch([q.batchId])),
      ]);
      if (status.status === "rejected") throw status.reason;
      if (status.value === BATCH_UNKNOWN) return null;
      if (record.status === "rejected") throw record.reason;
      const batch = record.value;
      const order = await ledger.read(() => ledger.serials.read.order([batch.order]));
      return {
        root: batch.root,
        recalled: status.value === BATCH_RECALLED,
        gtin: order.gtin.toString().padStart(14, "0"),
      };
    }
    if (q.contract.toLowerCase() !== ledger.commitmentLog.address.toLowerCase()) return null;
    if (q.sequence === 0n) return null;
    const [head, record] = await Promise.allSettled([
      ledger.read(() => ledger.commitmentLog.read.head([q.relayer])),
      ledger.read(() => ledger.commitmentLog.read.commitment([q.relayer, q.sequence])),
    ]);
    if (head.status === "rejected") throw head.reason;
    if (q.sequence > head.value[0]) return null;
    if (record.status === "rejected") throw record.reason;
    return { root: record.value.root };
  };
}
