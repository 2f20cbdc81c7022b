import type { Hash } from "viem";
import type { Ledger } from "../chain/ledger";
import type { ContentStore } from "../content/content-store";
import { ConflictError, ValidationError } from "../core/errors";
import { encodeNotice, type RecallNotice } from "../core/orders/notices";
import { readBatch } from "./batch-leaves";

export type RecallScope = "order" | "batch";

export interface RecallOptions {
  ledger: Ledger;
  content: ContentStore;
  scope: RecallScope;
  id: bigint;
  /** required to recall, ignored when lifting */
  reason?: string;
  /** lift the recall instead of raising it */
  lift?: boolean;
  now?: () => Date;
}

export interface RecallOutcome {
  scope: RecallScope;
  id: bigint;
  recalled: boolean;
  noticeCid?: string;
  transaction: Hash;
}

/**
 * Recalls an order (every batch) or one batch, or lifts a recall. The recall notice (reason and
 * time) is published before the transaction, whose event carries its CID; the state is checked
 * first, so a refused recall leaves no orphan notice behind.
 */
export async function recall(options: RecallOptions): Promise<RecallOutcome> {
  const { ledger, scope, id } = options;
  const lift = options.lift === true;
  const reason = options.reason?.trim() ?? "";
  if (!lift && (reason === "" || reason.length > 2000)) {
    throw new ValidationError("reason", options.reason ?? "", "a recall needs a reason of 1 to 2000 characters");
  }
  const recalled =
    scope === "order"
      ? (await ledger.read(() => ledger.serials.read.order([id]))).recalled
      : (await readBatch(ledger, id)).recalled;
  if (recalled !== lift) throw new ConflictError(`${scope} ${id} is ${recalled ? "already" : "not"} recalled`);
  if (lift) {
    const { hash } = await ledger.write(() =>
      scope === "order" ? ledger.serials.simulate.liftOrderRecall([id]) : ledger.serials.simulate.liftBatchRecall([id]),
    );
    return { scope, id, recalled: false, transaction: hash };
  }
  const notice: RecallNotice = {
    type: "trackroot.recall.v1",
    scope,
    id: id.toString(),
    reason,
    issuedAt: (options.now ?? (() => new Date()))().toISOString(),
  };
  const noticeCid = await options.content.put(encodeNotice(notice));
  const { hash } = await ledger.write(() =>
    scope === "order"
      ? ledger.serials.simulate.recallOrder([id, noticeCid])
      : ledger.serials.simulate.recallBatch([id, noticeCid]),
  );
  return { scope, id, recalled: true, noticeCid, transaction: hash };
}
