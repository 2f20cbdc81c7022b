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
      const status = await ledger.read(() => ledger.serials.read.batchStatus([q.batchId]));
      if (status === BATCH_UNKNOWN) return null;
      const batch = await ledger.read(() => ledger.serials.read.batch([q.batchId]));
      const order = await ledger.read(() => ledger.serials.read.order([batch.order]));
      return { root: batch.root, recalled: status === BATCH_RECALLED, gtin: order.gtin.toString().padStart(14, "0") };
    }
    if (q.contract.toLowerCase() !== ledger.log.address.toLowerCase()) return null;
    const [head] = await ledger.read(() => ledger.log.read.head([q.relayer]));
    if (q.sequence === 0n || q.sequence > head) return null;
    const c = await ledger.read(() => ledger.log.read.commitment([q.relayer, q.sequence]));
    return { root: c.root };
  };
}
