import { type Address, type Hex, type PublicClient } from "viem";
import { UnavailableError } from "../core/errors";
import { logRangeReader } from "./log-ranges";

export interface BlockHeader {
  number: number;
  hash: Hex;
  parentHash: Hex;
  timestamp: number;
}

export interface RawLog {
  blockNumber: number;
  blockHash: Hex;
  logIndex: number;
  transactionIndex: number;
  transactionHash: Hex;
  address: Address;
  topics: Hex[];
  data: Hex;
}

/** What the indexer and the audit read from a chain node: the head, block headers, and the contracts' logs in a range. */
export interface ChainSource {
  head(): Promise<number>;
  block(number: number): Promise<BlockHeader>;
  logs(from: number, to: number): Promise<RawLog[]>;
}

/** A transaction that reverted: the contract refused the call. */
export interface FailedCall {
  block: number;
  transactionIndex: number;
  transactionHash: Hex;
  from: Address;
  input: Hex;
}

/** A ChainSource over viem's public client, for the deployment's contracts. */
export class RpcChainSource implements ChainSource {
  // a node that caps eth_getLogs (Besu's --rpc-max-logs-range) is asked in parts it answers
  private readonly logReader = logRangeReader((from, to) =>
    this.client.getLogs({ address: this.addresses, fromBlock: BigInt(from), toBlock: BigInt(to) }),
  );

  constructor(
    private readonly client: PublicClient,
    private readonly addresses: Address[],
  ) {}

  async head(): Promise<number> {
    return Number(await this.call(() => this.client.getBlockNumber({ cacheTime: 0 })));
  }

  async block(number: number): Promise<BlockHeader> {
    const b = await this.call(() => this.client.getBlock({ blockNumber: BigInt(number) }));
    return { number: Number(b.number), hash: b.hash as Hex, parentHash: b.parentHash, timestamp: Number(b.timestamp) };
  }

  async logs(from: number, to: number): Promise<RawLog[]> {
    const logs = await this.call(() => this.logReader.read(from, to));
    return logs.map((l) => ({
      blockNumber: Number(l.blockNumber),
      blockHash: l.blockHash as Hex,
      logIndex: Number(l.logIndex),
      transactionIndex: Number(l.transactionIndex),
      transactionHash: l.transactionHash as Hex,
      address: l.address.toLowerCase() as Address,
      topics: l.topics as Hex[],
      data: l.data,
    }));
  }

  async chainId(): Promise<number> {
    return this.call(() => this.client.getChainId());
  }

  /**
   * The transactions to `to` calling one of `selectors` that reverted in blocks [from, to]. Reverted
   * calls leave no logs, so every block is read (a few at a time); `onBlocks` reports progress.
   */
  async failedCalls(options: {
    to: Address;
    selectors: readonly Hex[];
    from: number;
    toBlock: number;
    onBlocks?: (done: number) => void;
  }): Promise<FailedCall[]> {
    const target = options.to.toLowerCase();
    const selectors = new Set(options.selectors.map((s) => s.toLowerCase()));
    const found: FailedCall[] = [];
    let next = options.from;
    let done = 0;
    const worker = async () => {
      while (next <= options.toBlock) {
        const number = next++;
        const block = await this.call(() =>
          this.client.getBlock({ blockNumber: BigInt(number), includeTransactions: true }),
        );
        for (const tx of block.transactions) {
          if (tx.to?.toLowerCase() !== target || !selectors.has(tx.input.slice(0, 10).toLowerCase())) continue;
          const receipt = await this.call(() => this.client.getTransactionReceipt({ hash: tx.hash }));
          if (receipt.status !== "reverted") continue;
          found.push({
            block: number,
            transactionIndex: Number(tx.transactionIndex),
            transactionHash: tx.hash,
            from: tx.from,
            input: tx.input,
          });
        }
        options.onBlocks?.(++done);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    return found.sort((a, b) => a.block - b.block || a.transactionIndex - b.transactionIndex);
  }

  private async call<T>(f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (e) {
      throw new UnavailableError(`chain node: ${(e as Error).message.split("\n")[0]}`, { cause: e });
    }
  }
}
