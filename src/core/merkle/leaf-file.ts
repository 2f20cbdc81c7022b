import { ValidationError } from "../errors";
import { MerkleTree } from "./tree";

/**
 * The published leaf file of a released batch: a magic line, then every leaf hash (32 bytes) in
 * ascending order. It lets anyone rebuild the batch's tree and root, and nothing more: a leaf is a
 * double keccak of (GTIN, serial), and serials carry >= 64 random bits, so no code can be read back.
 */
export const LEAF_FILE_MAGIC = "trackroot-leaves-v1\n";
const MAGIC = new TextEncoder().encode(LEAF_FILE_MAGIC);

/** The leaf file of a tree (leaves ascending, as the tree stores them from its end). */
export function encodeLeafFile(tree: MerkleTree): Uint8Array {
  const n = tree.length;
  const out = new Uint8Array(MAGIC.length + 32 * n);
  out.set(MAGIC, 0);
  const nodes = tree.nodes;
  const last = 2 * n - 2;
  for (let r = 0; r < n; r++) {
    const t = last - r;
    out.set(nodes.subarray(32 * t, 32 * t + 32), MAGIC.length + 32 * r);
  }
  return out;
}

/** The tree of a leaf file, after checking its magic, size and strict ascending order. */
export function decodeLeafFile(bytes: Uint8Array, field = "leafFile"): MerkleTree {
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC[i])
      throw new ValidationError(field, bytes.length, "is not a trackroot leaf file (bad magic)");
  }
  const body = bytes.subarray(MAGIC.length);
  if (body.length === 0 || body.length % 32 !== 0) {
    throw new ValidationError(field, bytes.length, "must hold one or more whole 32-byte leaves after its magic");
  }
  for (let p = 32; p < body.length; p += 32) {
    let c = 0;
    for (let i = 0; i < 32 && c === 0; i++) c = body[p - 32 + i] - body[p + i];
    if (c >= 0)
      throw new ValidationError(field, p / 32, "leaves must be strictly ascending (repeat or disorder at this index)");
  }
  // ascending already: the identity order skips the sort
  const order = new Uint32Array(body.length / 32);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return MerkleTree.fromLeafHashes(body, order);
}

/** How a published leaf file fails the release the chain recorded; null when it matches. */
export type LeafFileMismatch =
  | { kind: "malformed"; reason: string }
  | { kind: "root"; actual: string; expected: string }
  | { kind: "count"; actual: number; expected: number };

/**
 * Checks a release's published leaf file against the chain's record of it (its root and count):
 * the one check the indexer and the audit both make, each saying the outcome in its own words.
 */
export function leafFileMismatch(bytes: Uint8Array, release: { root: string; count: number }): LeafFileMismatch | null {
  let tree: MerkleTree;
  try {
    tree = decodeLeafFile(bytes);
  } catch (e) {
    return { kind: "malformed", reason: (e as Error).message };
  }
  if (tree.root !== release.root) return { kind: "root", actual: tree.root, expected: release.root };
  if (tree.length !== release.count) return { kind: "count", actual: tree.length, expected: release.count };
  return null;
}

/** Whether `leaf` is one of a tree's leaves: a binary search over its ascending leaf level. */
export function hasLeaf(tree: MerkleTree, leaf: Uint8Array): boolean {
  const nodes = tree.nodes;
  const last = 2 * tree.length - 2;
  let lo = 0;
  let hi = tree.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const at = 32 * (last - mid);
    let c = 0;
    for (let i = 0; i < 32 && c === 0; i++) c = nodes[at + i] - leaf[i];
    if (c === 0) return true;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
