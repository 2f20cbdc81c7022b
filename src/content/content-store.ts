/**
 * Content by address: what the ledger's leaf files and batch contents live in. Implementations
 * verify on every `get` that the bytes hash to the CID, so no node, disk or gateway is trusted.
 */
export interface ContentStore {
  /** Stores bytes; returns their CID (CIDv1, raw leaves, 256 KiB chunks: Kubo's `ipfs add --cid-version 1 --raw-leaves`). */
  put(bytes: Uint8Array): Promise<string>;
  /** The bytes of a CID, verified; NotFoundError when absent, IntegrityError when they do not match. */
  get(cid: string): Promise<Uint8Array>;
  has(cid: string): Promise<boolean>;
}
