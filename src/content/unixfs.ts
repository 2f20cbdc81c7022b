import { IntegrityError, ValidationError } from "../core/errors";
import { importEsm } from "./esm";

/** The subset of a blockstore the UnixFS importer and exporter use. */
export interface Blocks {
  put(cid: unknown, bytes: Uint8Array): Promise<unknown>;
  get(cid: unknown): Promise<Uint8Array> | Uint8Array;
  has(cid: unknown): Promise<boolean> | boolean;
}

type Importer = typeof import("ipfs-unixfs-importer");
type Chunker = typeof import("ipfs-unixfs-importer/chunker");
type Layout = typeof import("ipfs-unixfs-importer/layout");
type Cids = typeof import("multiformats/cid");

let modules: Promise<{ importer: Importer; chunker: Chunker; layout: Layout; cids: Cids }> | undefined;

function load() {
  modules ??= Promise.all([
    importEsm<Importer>("ipfs-unixfs-importer"),
    importEsm<Chunker>("ipfs-unixfs-importer/chunker"),
    importEsm<Layout>("ipfs-unixfs-importer/layout"),
    importEsm<Cids>("multiformats/cid"),
  ]).then(([importer, chunker, layout, cids]) => ({ importer, chunker, layout, cids }));
  return modules;
}

/** Kubo's `ipfs add --cid-version 1 --raw-leaves`: 256 KiB fixed chunks, balanced DAG of 174 links. */
export const KUBO_CHUNK_SIZE = 262144;

/** Imports bytes into `blocks` as Kubo would and returns the root CID. */
export async function importBytes(bytes: Uint8Array, blocks: Blocks): Promise<string> {
  const { importer, chunker, layout } = await load();
  const entry = await importer.importBytes(bytes, blocks as never, {
    cidVersion: 1,
    rawLeaves: true,
    chunker: chunker.fixedSize({ chunkSize: KUBO_CHUNK_SIZE }),
    layout: layout.balanced({ maxChildrenPerNode: 174 }),
    reduceSingleLeafToSelf: true,
  });
  return entry.cid.toString();
}

/** A blockstore that keeps nothing: for computing CIDs only. */
const discard: Blocks = {
  put: async (cid) => cid,
  get: () => {
    throw new Error("nothing is stored while computing a CID");
  },
  has: () => false,
};

/** The CID of bytes, as Kubo computes it, without storing anything. */
export function cidOf(bytes: Uint8Array): Promise<string> {
  return importBytes(bytes, discard);
}

/** The canonical (base32 CIDv1) form of a CID string; a malformed one is the caller's error. */
export async function parseCid(cid: string, field = "cid"): Promise<string> {
  const { cids } = await load();
  try {
    return cids.CID.parse(cid).toV1().toString();
  } catch {
    throw new ValidationError(field, cid, "is not a CID");
  }
}

/** Throws unless `bytes` hash to `cid`: how every store's `get` refuses to trust its source. */
export async function verifyContent(cid: string, bytes: Uint8Array, source: string): Promise<Uint8Array> {
  const actual = await cidOf(bytes);
  if (actual !== cid) {
    throw new IntegrityError(`${source} returned ${bytes.length} bytes for ${cid} that hash to ${actual}`);
  }
  return bytes;
}
