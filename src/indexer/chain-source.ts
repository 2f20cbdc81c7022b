import type { Address, Hex, PublicClient } from "viem";
import { UnavailableError } from "../core/errors";

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
  transactionHash: Hex;
  address: Address;
  topics: Hex[];
  data: Hex;
}

/** What the indexer reads from a chain node: the head, block headers, and the contracts' logs in a range. */
export interface ChainSource {
  head(): Promise<number>;
  block(number: number): Promise<BlockHeader>;
  logs(from: number, to: number): Promise<RawLog[]>;
}

/** A ChainSource over viem's public client, for the deployment's contracts. */
export class RpcChainSource implements ChainSource {
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
    const logs = await this.call(() =>
      this.client.getLogs({ address: this.addresses, fromBlock: BigInt(from), toBlock: BigInt(to) }),
    );
    return logs.map((l) => ({
      blockNumber: Number(l.blockNumber),
      blockHash: l.blockHash as Hex,
      logIndex: Number(l.logIndex),
      transactionHash: l.transactionHash as Hex,
      address: l.address.toLowerCase() as Address,
      topics: l.topics as Hex[],
      data: l.data,
    }));
  }

  private async call<T>(f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (e) {
      throw new UnavailableError(`chain node: ${(e as Error).message.split("\n")[0]}`);
    }
  }
}
