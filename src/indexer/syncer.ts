import { IntegrityError } from "../core/errors";
import type { BlockHeader, ChainSource, RawLog } from "../chain/chain-source";
import type { IndexerStore } from "./indexer-store";
import type { ContractAddresses } from "../chain/deployment";

export interface SyncerOptions {
  source: ChainSource;
  store: IndexerStore;
  contracts: ContractAddresses;
  /** the first block worth reading (the deployment's) */
  startBlock: number;
  /** blocks behind the head to stay (0 suits instant-finality QBFT networks) */
  confirmations: number;
  /** most blocks per getLogs */
  rangeSize: number;
  /** how many stored blocks to search back for a common ancestor */
  maxReorgDepth?: number;
  log?: (event: string, detail: Record<string, unknown>) => void;
}

export type SyncStep = "synced" | "advanced" | "rolled-back";

/**
 * Follows the chain: ranged getLogs for history, block by block near the head. Before each step it
 * checks that the block under its cursor is still the chain's; when not, it walks back through the
 * stored headers to the common ancestor, drops everything above it and replays. Every log must
 * belong to the block the node serves at its height, and consecutive blocks must link by parent
 * hash: a node whose answers contradict each other stops the indexer (IntegrityError) rather than
 * have it project what may be wrong.
 */
export class Syncer {
  constructor(private readonly options: SyncerOptions) {}

  async step(): Promise<SyncStep> {
    const { source, store, confirmations, rangeSize, startBlock } = this.options;
    const cursor = await store.cursor();
    if (cursor) {
      const current = await source.block(cursor.number);
      if (current.hash !== cursor.hash) {
        await this.rollback();
        return "rolled-back";
      }
    }
    const target = (await source.head()) - confirmations;
    const from = Math.max(startBlock, (cursor?.number ?? startBlock - 1) + 1);
    if (from > target) return "synced";
    const to = Math.min(target, from + rangeSize - 1);
    const logs = await source.logs(from, to);
    const byBlock = new Map<number, RawLog[]>();
    for (const l of logs) {
      if (l.blockNumber < from || l.blockNumber > to) {
        throw new IntegrityError(`the node returned a log of block ${l.blockNumber} for blocks ${from}-${to}`);
      }
      byBlock.set(l.blockNumber, [...(byBlock.get(l.blockNumber) ?? []), l]);
    }
    // near the head every block is read, so the parent links are checked all the way
    const numbers = to - from < 32 ? range(from, to) : [...new Set([...byBlock.keys(), to])].sort((a, b) => a - b);
    let previous: { number: number; hash: string } | undefined = cursor;
    for (const n of numbers) {
      const header = await source.block(n);
      this.checkHeader(header, n, previous, byBlock.get(n) ?? []);
      const blockLogs = (byBlock.get(n) ?? []).sort((a, b) => a.logIndex - b.logIndex);
      await store.applyBlock(header, blockLogs, this.options.contracts);
      previous = header;
    }
    this.options.log?.("sync.advanced", { from, to, logs: logs.length });
    return "advanced";
  }

  /** Steps until the cursor reaches the head (less confirmations). */
  async catchUp(): Promise<void> {
    while ((await this.step()) !== "synced");
  }

  private checkHeader(
    header: BlockHeader,
    n: number,
    previous: { number: number; hash: string } | undefined,
    logs: readonly RawLog[],
  ): void {
    if (header.number !== n)
      throw new IntegrityError(`asked the node for block ${n}, it served block ${header.number}`);
    if (previous && previous.number === n - 1 && header.parentHash !== previous.hash) {
      throw new IntegrityError(
        `block ${n}'s parent hash ${header.parentHash} is not block ${n - 1}'s hash ${previous.hash}: the node's answers disagree (a reorganisation under the read, or a faulty node)`,
      );
    }
    for (const l of logs) {
      if (l.blockHash !== header.hash) {
        throw new IntegrityError(
          `a log of block ${n} names block hash ${l.blockHash}; the node's block ${n} is ${header.hash}`,
        );
      }
    }
  }

  private async rollback(): Promise<void> {
    const { source, store } = this.options;
    const stored = await store.blocksDescending(this.options.maxReorgDepth ?? 1000);
    let ancestor: { number: number; hash: string } | undefined;
    for (const b of stored) {
      if ((await source.block(b.number)).hash === b.hash) {
        ancestor = b;
        break;
      }
    }
    if (!ancestor && stored.length === (this.options.maxReorgDepth ?? 1000)) {
      throw new IntegrityError(`no common ancestor within ${stored.length} stored blocks`);
    }
    await store.rollbackTo(ancestor);
    this.options.log?.("sync.rolled-back", { to: ancestor?.number ?? null, from: stored[0]?.number });
  }
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
