import { NotFoundError, UnavailableError } from "../core/errors";
import type { ContentStore } from "./content-store";
import { concatBytes } from "../core/bytes";
import { importEsm } from "./esm";
import { cidOf, KUBO_CHUNK_SIZE, parseCid, verifyContent } from "./unixfs";

type KuboClient = import("kubo-rpc-client").KuboRPCClient;

export interface IpfsStoreOptions {
  /** the node's RPC API, e.g. http://127.0.0.1:5001 */
  url: string;
  /** per request; default 60 s */
  timeoutMs?: number;
}

/**
 * Content on a real IPFS node through kubo-rpc-client (the maintained successor of
 * ipfs-http-client). The node is not trusted: `put` checks the CID it reports against our own
 * computation, `get` re-hashes what it returns.
 */
export class IpfsContentStore implements ContentStore {
  private client?: Promise<KuboClient>;

  constructor(private readonly options: IpfsStoreOptions) {}

  async put(bytes: Uint8Array): Promise<string> {
    const expected = await cidOf(bytes);
    const client = await this.connect();
    const added = await this.call(() =>
      client.add(bytes, { cidVersion: 1, rawLeaves: true, chunker: `size-${KUBO_CHUNK_SIZE}`, pin: true }),
    );
    const cid = added.cid.toString();
    if (cid !== expected) {
      throw new UnavailableError(
        `the IPFS node at ${this.options.url} stored the bytes as ${cid}, expected ${expected}`,
      );
    }
    return cid;
  }

  async get(cid: string): Promise<Uint8Array> {
    const canonical = await parseCid(cid);
    const client = await this.connect();
    const bytes = await this.call(async () => {
      const parts: Uint8Array[] = [];
      for await (const part of client.cat(canonical, { timeout: this.timeout() })) parts.push(part);
      return concatBytes(parts);
    });
    return verifyContent(canonical, bytes, `the IPFS node at ${this.options.url}`);
  }

  async has(cid: string): Promise<boolean> {
    const canonical = await parseCid(cid);
    const client = await this.connect();
    try {
      await client.block.stat(canonical as never, { timeout: Math.min(this.timeout(), 5_000), offline: true } as never);
      return true;
    } catch (e) {
      if (isUnreachable(e)) throw this.unavailable(e);
      return false;
    }
  }

  private timeout(): number {
    return this.options.timeoutMs ?? 60_000;
  }

  private connect(): Promise<KuboClient> {
    this.client ??= importEsm<typeof import("kubo-rpc-client")>("kubo-rpc-client").then((m) =>
      m.create({ url: this.options.url, timeout: this.timeout() }),
    );
    return this.client;
  }

  private async call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      if (isUnreachable(e)) throw this.unavailable(e);
      if (/not found|no link named|block was not found/i.test(String((e as Error).message))) {
        throw new NotFoundError(`the IPFS node at ${this.options.url} has no such content: ${(e as Error).message}`);
      }
      throw e;
    }
  }

  private unavailable(e: unknown): UnavailableError {
    return new UnavailableError(`the IPFS node at ${this.options.url} cannot be reached (${(e as Error).message})`);
  }
}

function isUnreachable(e: unknown): boolean {
  const text = `${(e as Error)?.message} ${String((e as { cause?: unknown })?.cause)}`;
  return /ECONNREFUSED|ECONNRESET|fetch failed|socket hang up|timeout|aborted/i.test(text);
}
