import { compareWords, fromHex, isHex, toHex, type Hex } from "../bytes";
import { kernel } from "./kernel";
import { standardLeafHashes } from "./leaves";
import { processMultiProof, type MultiProof } from "./verify";

/** The JSON dump of @openzeppelin/merkle-tree's StandardMerkleTree, which it loads as is. */
export interface StandardMerkleTreeData<T extends readonly unknown[] = unknown[]> {
  format: "standard-v1";
  leafEncoding: string[];
  tree: Hex[];
  values: { value: T; treeIndex: number }[];
}

export class MerkleTreeError extends Error {
  override name = "MerkleTreeError";
}

/**
 * A Merkle tree laid out exactly like OpenZeppelin's StandardMerkleTree (leaves sorted by hash and
 * stored in reverse at the end of one array; node i has children 2i+1 and 2i+2; sorted-pair
 * hashing), so roots, proofs, multiproofs and dumps are interchangeable with that library's and
 * verify with MerkleProof.sol. Nodes live in one Uint8Array; hashing runs in the WebAssembly kernel.
 */
export class MerkleTree {
  /** All 2n-1 nodes, 32 bytes each, root first. */
  readonly nodes: Uint8Array;
  /** treeIndexOf[i]: where the leaf of value i sits in `nodes`. */
  readonly treeIndexOf: Uint32Array;

  /** The nodes as 32-bit words, for copying proofs without allocation. */
  private readonly words: Uint32Array;

  private constructor(nodes: Uint8Array, treeIndexOf: Uint32Array) {
    this.nodes = nodes;
    this.treeIndexOf = treeIndexOf;
    this.words = new Uint32Array(nodes.buffer, nodes.byteOffset, nodes.length >> 2);
  }

  /** Builds a tree from n leaf hashes (n x 32 bytes, in value order). Duplicate leaves are refused. */
  static fromLeafHashes(leafHashes: Uint8Array): MerkleTree {
    if (leafHashes.length % 32 !== 0) throw new MerkleTreeError("leaf hashes must be whole 32-byte words");
    const n = leafHashes.length / 32;
    if (n === 0) throw new MerkleTreeError("a tree needs at least one leaf");
    const order = sortLeafOrder(leafHashes, n);
    const size = 2 * n - 1;
    const k = kernel();
    const ptr = k.reserve(size * 32);
    const mem = k.bytes();
    const treeIndexOf = new Uint32Array(n);
    for (let rank = 0; rank < n; rank++) {
      const valueIndex = order[rank];
      const treeIndex = size - 1 - rank;
      treeIndexOf[valueIndex] = treeIndex;
      mem.set(leafHashes.subarray(32 * valueIndex, 32 * valueIndex + 32), ptr + 32 * treeIndex);
    }
    k.buildRange(ptr, 0, n - 1);
    return new MerkleTree(mem.slice(ptr, ptr + size * 32), treeIndexOf);
  }

  /** Builds a tree of values of any ABI encoding (the general, slower path). */
  static of(values: readonly (readonly unknown[])[], leafEncoding: readonly string[]): MerkleTree {
    return MerkleTree.fromLeafHashes(standardLeafHashes(leafEncoding, values));
  }

  /**
   * Loads a StandardMerkleTree dump after checking every node: the format, each value's leaf hash
   * (recomputed from its value), and every inner node. A dump that fails any check is refused.
   */
  static load<T extends readonly unknown[]>(
    data: Omit<StandardMerkleTreeData<T>, "tree"> & { tree: readonly string[] },
  ): MerkleTree {
    if (data?.format !== "standard-v1") throw new MerkleTreeError(`unknown format ${JSON.stringify(data?.format)}`);
    if (!Array.isArray(data.leafEncoding)) throw new MerkleTreeError("leafEncoding is missing");
    if (!Array.isArray(data.tree) || !Array.isArray(data.values)) throw new MerkleTreeError("tree or values missing");
    const n = data.values.length;
    if (n === 0 || data.tree.length !== 2 * n - 1) {
      throw new MerkleTreeError(`a tree of ${n} values must have ${2 * n - 1} nodes, has ${data.tree.length}`);
    }
    const nodes = new Uint8Array(data.tree.length * 32);
    data.tree.forEach((h, i) => {
      if (!isHex(h, 32)) throw new MerkleTreeError(`tree[${i}] is not a 32-byte hex node`);
      fromHex(h, nodes, 32 * i);
    });
    const hashes = standardLeafHashes(
      data.leafEncoding,
      data.values.map((v) => v.value),
    );
    const treeIndexOf = new Uint32Array(n);
    const seen = new Set<number>();
    data.values.forEach((v, i) => {
      const t = v.treeIndex;
      if (!Number.isInteger(t) || t < n - 1 || t >= 2 * n - 1 || seen.has(t)) {
        throw new MerkleTreeError(`values[${i}].treeIndex ${t} is not a distinct leaf position`);
      }
      seen.add(t);
      if (compareWords(hashes, 32 * i, nodes, 32 * t) !== 0) {
        throw new MerkleTreeError(`values[${i}] does not hash to tree[${t}]`);
      }
      treeIndexOf[i] = t;
    });
    const rebuilt = new MerkleTree(nodes.slice(), treeIndexOf);
    const k = kernel();
    const ptr = k.reserve(nodes.length);
    const mem = k.bytes();
    mem.set(nodes, ptr);
    k.buildRange(ptr, 0, n - 1);
    for (let i = 0; i < n - 1; i++) {
      if (compareWords(mem, ptr + 32 * i, nodes, 32 * i) !== 0) {
        throw new MerkleTreeError(`tree[${i}] is not the hash of its children`);
      }
    }
    return rebuilt;
  }

  /** How many leaves. */
  get length(): number {
    return this.treeIndexOf.length;
  }

  get root(): Hex {
    return toHex(this.nodes, 0, 32);
  }

  /** The leaf hash of value i. */
  leafHash(valueIndex: number): Hex {
    return toHex(this.nodes, 32 * this.treeIndexAt(valueIndex), 32);
  }

  /** The inclusion proof of value i, leaf to root, as MerkleProof.verify takes it. */
  proof(valueIndex: number): Hex[] {
    const out: Hex[] = [];
    for (let t = this.treeIndexAt(valueIndex); t > 0; t = (t - 1) >> 1) {
      out.push(toHex(this.nodes, 32 * siblingOf(t), 32));
    }
    return out;
  }

  /**
   * Writes the proof of value i as raw 32-byte words into `out` at `offset` and returns the number of
   * words written: the allocation-free path for serialising every proof of a large tree.
   */
  proofInto(valueIndex: number, out: Uint32Array, offset: number): number {
    const words = this.words;
    let w = offset;
    for (let t = this.treeIndexAt(valueIndex); t > 0; t = (t - 1) >> 1) {
      const s = siblingOf(t) * 8;
      for (let j = 0; j < 8; j++) out[w++] = words[s + j];
    }
    return (w - offset) >> 3;
  }

  /** A multiproof of several values (leaves in the order MerkleProof.multiProofVerify consumes them). */
  multiProof(valueIndices: readonly number[]): MultiProof & { leafIndices: number[] } {
    const indices = valueIndices.map((i) => this.treeIndexAt(i)).sort((a, b) => b - a);
    for (let i = 1; i < indices.length; i++) {
      if (indices[i] === indices[i - 1]) throw new MerkleTreeError("cannot prove a duplicated index");
    }
    const stack = indices.slice();
    const proof: Hex[] = [];
    const proofFlags: boolean[] = [];
    let head = 0;
    while (head < stack.length && stack[head] > 0) {
      const j = stack[head++];
      const s = siblingOf(j);
      if (head < stack.length && stack[head] === s) {
        proofFlags.push(true);
        head++;
      } else {
        proofFlags.push(false);
        proof.push(toHex(this.nodes, 32 * s, 32));
      }
      stack.push((j - 1) >> 1);
    }
    if (indices.length === 0) proof.push(this.root);
    const byTreeIndex = new Map<number, number>();
    this.treeIndexOf.forEach((t, i) => byTreeIndex.set(t, i));
    const result = {
      leaves: indices.map((t) => toHex(this.nodes, 32 * t, 32)),
      leafIndices: indices.map((t) => byTreeIndex.get(t) as number),
      proof,
      proofFlags,
    };
    if (processMultiProof(result) !== this.root) throw new MerkleTreeError("unable to prove values");
    return result;
  }

  /** The StandardMerkleTree dump of this tree with its values (which must be in build order). */
  dump<T extends readonly unknown[]>(values: readonly T[], leafEncoding: readonly string[]): StandardMerkleTreeData<T> {
    if (values.length !== this.length) throw new MerkleTreeError(`${values.length} values for ${this.length} leaves`);
    const tree: Hex[] = new Array(this.nodes.length / 32);
    for (let i = 0; i < tree.length; i++) tree[i] = toHex(this.nodes, 32 * i, 32);
    return {
      format: "standard-v1",
      leafEncoding: [...leafEncoding],
      tree,
      values: values.map((value, i) => ({ value, treeIndex: this.treeIndexOf[i] })),
    };
  }

  private treeIndexAt(valueIndex: number): number {
    if (!Number.isInteger(valueIndex) || valueIndex < 0 || valueIndex >= this.length) {
      throw new MerkleTreeError(`value index ${valueIndex} out of bounds (0..${this.length - 1})`);
    }
    return this.treeIndexOf[valueIndex];
  }
}

function siblingOf(t: number): number {
  return t % 2 === 1 ? t + 1 : t - 1;
}

/**
 * The value indices of n leaf hashes in ascending hash order. Sorting a Float64Array of keys that
 * pack the hash's top bits above the index runs natively; runs that tie on those bits (rare) are
 * settled by comparing whole hashes, which also finds duplicates.
 */
function sortLeafOrder(hashes: Uint8Array, n: number): Uint32Array {
  const indexBits = Math.max(1, Math.ceil(Math.log2(n)));
  if (indexBits > 30) throw new MerkleTreeError("too many leaves");
  const scale = 2 ** indexBits;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = 32 * i;
    const hi = ((hashes[p] << 24) | (hashes[p + 1] << 16) | (hashes[p + 2] << 8) | hashes[p + 3]) >>> 0;
    const lo21 = (hashes[p + 4] << 13) | (hashes[p + 5] << 5) | (hashes[p + 6] >> 3);
    const top53 = hi * 2 ** 21 + lo21;
    keys[i] = Math.floor(top53 / scale) * scale + i; // top 53 - indexBits bits of the hash, then i
  }
  keys.sort();
  const order = new Uint32Array(n);
  for (let r = 0; r < n; r++) order[r] = keys[r] % scale;
  // settle ties on the packed prefix with full comparisons
  let r = 0;
  while (r < n) {
    const prefix = Math.floor(keys[r] / scale);
    let e = r + 1;
    while (e < n && Math.floor(keys[e] / scale) === prefix) e++;
    if (e - r > 1) {
      const run = Array.from(order.subarray(r, e)).sort((a, b) => compareWords(hashes, 32 * a, hashes, 32 * b));
      for (let j = 0; j < run.length; j++) {
        if (j > 0 && compareWords(hashes, 32 * run[j - 1], hashes, 32 * run[j]) === 0) {
          throw new MerkleTreeError(`duplicate leaf: values ${run[j - 1]} and ${run[j]} hash alike`);
        }
        order[r + j] = run[j];
      }
    }
    r = e;
  }
  return order;
}
