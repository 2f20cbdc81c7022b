import { keccak256, concatHex } from "viem";
import { isHex, type Hex } from "../bytes";

/**
 * Proof verification as MerkleProof.sol does it, in plain JavaScript (a handful of hashes, so it
 * runs anywhere, including the verification site in a browser). Malformed input is rejected, never
 * coerced: every node must be exactly 32 bytes of hex.
 */

export interface MultiProof<L = Hex> {
  leaves: L[];
  proof: Hex[];
  proofFlags: boolean[];
}

export class MerkleProofError extends Error {
  override name = "MerkleProofError";
}

function node(value: unknown, what: string): Hex {
  if (!isHex(value, 32)) throw new MerkleProofError(`${what} is not a 32-byte hex node`);
  return value.toLowerCase() as Hex;
}

/** keccak256 of the two nodes in ascending order (OpenZeppelin's commutative hash). */
export function hashPair(a: Hex, b: Hex): Hex {
  return BigInt(a) < BigInt(b) ? keccak256(concatHex([a, b])) : keccak256(concatHex([b, a]));
}

/** The root a proof leads to from a leaf hash. */
export function processProof(leaf: Hex, proof: readonly Hex[]): Hex {
  let acc = node(leaf, "leaf");
  proof.forEach((p, i) => (acc = hashPair(acc, node(p, `proof[${i}]`))));
  return acc;
}

/** Whether `proof` leads from `leaf` to `root`. Never throws: malformed input is simply not valid. */
export function verifyProof(root: Hex, leaf: Hex, proof: readonly Hex[]): boolean {
  try {
    return processProof(leaf, proof) === node(root, "root");
  } catch {
    return false;
  }
}

/** The root a multiproof leads to; throws MerkleProofError on a malformed or inconsistent proof. */
export function processMultiProof(multi: MultiProof): Hex {
  const leaves = multi.leaves.map((l, i) => node(l, `leaves[${i}]`));
  const proof = multi.proof.map((p, i) => node(p, `proof[${i}]`));
  const flags = multi.proofFlags;
  if (proof.length < flags.filter((f) => !f).length) throw new MerkleProofError("invalid multiproof format");
  if (leaves.length + proof.length !== flags.length + 1) {
    throw new MerkleProofError("leaves and multiproof are not compatible");
  }
  const stack = leaves.slice();
  let p = 0;
  let s = 0;
  for (const flag of flags) {
    const a = stack[s++];
    const b = flag ? stack[s++] : proof[p++];
    if (a === undefined || b === undefined) throw new MerkleProofError("multiproof runs out of nodes");
    stack.push(hashPair(a, b));
  }
  if (flags.length > 0) {
    if (s !== stack.length - 1 || p !== proof.length) throw new MerkleProofError("multiproof leaves nodes unused");
    return stack[stack.length - 1];
  }
  if (leaves.length > 0) return leaves[0];
  return proof[0];
}

/** Whether a multiproof of leaf hashes leads to `root`. Never throws. */
export function verifyMultiProof(root: Hex, multi: MultiProof): boolean {
  try {
    return processMultiProof(multi) === node(root, "root");
  } catch {
    return false;
  }
}

/**
 * The root of a StandardMerkleTree over these leaf hashes, in plain JavaScript: sorted, laid out and
 * paired as @openzeppelin/merkle-tree (and the kernel's MerkleTree) do. For a verifier that holds a
 * few leaves; services build trees in the kernel.
 */
export function rootOfLeafHashes(leafHashes: readonly Hex[]): Hex {
  if (leafHashes.length === 0) throw new MerkleProofError("a tree needs at least one leaf");
  const sorted = leafHashes.map((l, i) => node(l, `leaf[${i}]`)).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
  const tree: Hex[] = new Array(2 * sorted.length - 1);
  sorted.forEach((leaf, i) => (tree[tree.length - 1 - i] = leaf));
  for (let i = tree.length - 1 - sorted.length; i >= 0; i--) tree[i] = hashPair(tree[2 * i + 1], tree[2 * i + 2]);
  return tree[0];
}
