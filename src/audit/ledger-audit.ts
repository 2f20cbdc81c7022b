import { AuditContext, type LedgerAuditOptions } from "./audit-context";
import { replayCommitment } from "./commitment-replay";
import type { LedgerItem } from "./ledger-log";
import { LifecycleReplay } from "./lifecycle-replay";
import { replayRegistry } from "./registry-replay";
import { reindexBatch, replayRefusedCall, replaySerials } from "./release-replay";
import type { BatchRecord } from "./audit-state";
import type { LeafIndex } from "./leaf-index";

export type { LedgerAuditOptions } from "./audit-context";
export { violation } from "./violation-wording";

/**
 * The replay: applies the chain's logs (and the calls it refused) in ledger order to the audit
 * state, checking each against the invariants as it goes, stage by stage: the registry
 * (registry-replay.ts), releases and voids against the order limits (release-replay.ts), each
 * relayer's commitments and their content (commitment-replay.ts), and what their events and
 * handovers do to each code (lifecycle-replay.ts). Registry state at the moment a commitment is
 * applied is exactly the registry at its log, so "a key active at that block" needs no lookup by
 * time. Content is passed in by the caller (fetched ahead); nothing here does I/O.
 */
export class LedgerAudit {
  private readonly ctx: AuditContext;
  private readonly lifecycle: LifecycleReplay;

  constructor(options: LedgerAuditOptions) {
    this.ctx = new AuditContext(options);
    this.lifecycle = new LifecycleReplay(this.ctx);
  }

  /** The content an item points at (fetched by the caller), with what it is for messages. */
  static contentOf(item: LedgerItem): { cid: string; what: string } | undefined {
    if (item.kind !== "log") return undefined;
    switch (item.name) {
      case "BatchReleased":
        return { cid: item.args.contentCid, what: `batch ${item.args.batch}'s leaf file` };
      case "CodesVoided":
        return { cid: item.args.reason, what: `the void notice of batch ${item.args.batch}` };
      case "CommitmentAppended":
        return { cid: item.args.contentCid, what: `commitment ${item.args.sequence} of relayer ${item.args.relayer}` };
    }
    return undefined;
  }

  /** Rebuilds the leaf index entry of a batch checked in an earlier run (resuming from a checkpoint). */
  static reindex(leaves: LeafIndex, id: number, batch: BatchRecord, bytes: Uint8Array): string | undefined {
    return reindexBatch(leaves, id, batch, bytes);
  }

  async apply(item: LedgerItem, content?: Uint8Array): Promise<void> {
    if (item.kind === "refused") return replayRefusedCall(this.ctx, item);
    switch (item.contract) {
      case "registry":
        return replayRegistry(this.ctx.state, item);
      case "serials":
        return replaySerials(this.ctx, item, content);
      case "log":
        return replayCommitment(this.ctx, this.lifecycle, item, content as Uint8Array);
    }
  }
}
