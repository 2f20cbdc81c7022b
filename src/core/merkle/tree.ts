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

/** Two values hash to the same leaf; `first` and `second` are their value indices. */
export class DuplicateLeafError extends MerkleTreeError {
  override name = "DuplicateLeafError";
  constructor(
    readonly first: number,
    readonly second: number,
  ) {
    super(`duplicate leaf: values ${first} and ${second} hash alike`);
  }
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

  /**
   * Builds a tree from n leaf hashes (n x 32 bytes, in value order). Duplicate leaves are refused.
   * `order` is their ascending order when the caller already has it from `sortLeaves`.
   */
  static fromLeafHashes(leafHashes: Uint8Array, order?: Uint32Array): MerkleTree {
    if (leafHashes.length % 32 !== 0) throw new MerkleTreeError("leaf hashes must be whole 32-byte words");
    const n = leafHashes.length / 32;
    if (n === 0) throw new MerkleTreeError("a tree needs at least one leaf");
    order ??= sortLeaves(leafHashes);
    if (order.length !== n) throw new MerkleTreeError(`an order of ${order.length} for ${n} leaves`);
    const k = kernel();
    const size = 2 * n - 1;
    const ptr = k.reserve(size * 32 + n * 32 + n * 4);
    const leavesPtr = ptr + size * 32;
    const orderPtr = leavesPtr + n * 32;
    const mem = k.bytes();
    mem.set(leafHashes, leavesPtr);
    new Uint32Array(mem.buffer, orderPtr, n).set(order);
    k.placeLeaves(ptr, leavesPtr, orderPtr, n);
    k.buildSubtree(ptr, n, 0);
    return new MerkleTree(mem.slice(ptr, ptr + size * 32), treeIndicesOf(order));
  }

  /**
   * A tree from nodes already laid out and hashed by this kernel elsewhere (the parallel builder in
   * src/compute) and the leaf order `sortLeaves` gave. Trusted: nothing is re-hashed.
   */
  static fromNodes(nodes: Uint8Array, order: Uint32Array): MerkleTree {
    if (nodes.length !== (2 * order.length - 1) * 32) {
      throw new MerkleTreeError(`${order.length} leaves need ${2 * order.length - 1} nodes`);
    }
    return new MerkleTree(nodes, treeIndicesOf(order));
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
    k.buildSubtree(ptr, n, 0);
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

  /**
   * Serialises the proofs of values [from, to) as raw 32-byte siblings, leaf to root, back to back
   * in value order, handing `sink` one chunk at a time (the chunk is reused: copy or write it out
   * before returning). The depth of each proof follows from the value's tree index.
   */
  writeProofs(sink: (chunk: Uint8Array) => void, from = 0, to = this.length, chunkProofs = 1024): void {
    if (!(from >= 0 && from <= to && to <= this.length))
      throw new MerkleTreeError(`values [${from}, ${to}) out of bounds`);
    const k = kernel();
    const maxDepth = Math.ceil(Math.log2(this.nodes.length + 1));
    const chunkBytes = chunkProofs * maxDepth * 32;
    const ptr = k.reserve(this.nodes.length + chunkProofs * 4 + chunkBytes);
    const atPtr = ptr + this.nodes.length;
    const outPtr = atPtr + chunkProofs * 4;
    const mem = k.bytes();
    mem.set(this.nodes, ptr);
    for (let start = from; start < to; start += chunkProofs) {
      const m = Math.min(chunkProofs, to - start);
      new Uint32Array(mem.buffer, atPtr, m).set(this.treeIndexOf.subarray(start, start + m));
      const written = k.writeProofs(ptr, atPtr, m, outPtr);
      sink(mem.subarray(outPtr, outPtr + written));
    }
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

/** treeIndexOf[value] from the ascending-hash order of the values: rank r sits at node 2n-2-r. */
function treeIndicesOf(order: Uint32Array): Uint32Array {
  const last = 2 * order.length - 2;
  const out = new Uint32Array(order.length);
  for (let r = 0; r < order.length; r++) out[order[r]] = last - r;
  return out;
}

/**
 * The value indices of n leaf hashes (n x 32 bytes) in ascending hash order; a repeated leaf throws
 * DuplicateLeafError naming both values. Sorting a Float64Array of keys that
 * pack the hash's top bits above the index runs natively; runs that tie on those bits (rare) are
 * settled by comparing whole hashes, which also finds duplicates.
 */
export function sortLeaves(hashes: Uint8Array): Uint32Array {
  const n = hashes.length >> 5;
  const keys = new Float64Array(n);
  sortedLeafKeys(hashes, n, 0, n, keys);
  return orderFromSortedKeys(keys, hashes);
}

/** How many low bits of a sort key hold the value index, for a tree of n leaves. */
function indexBitsFor(n: number): number {
  const bits = Math.max(1, Math.ceil(Math.log2(n)));
  if (bits > 30) throw new MerkleTreeError("too many leaves");
  return bits;
}

/**
 * Sort keys of leaves [from, to) of a tree of n leaves (`hashes` holds that slice's hashes, leaf
 * `from` first), written sorted into `into` at `from`: a
 * double packing the hash's top bits above the value index, so a typed-array sort (native) orders
 * them. Slices sorted on separate threads are joined with `mergeSortedKeys`.
 */
export function sortedLeafKeys(hashes: Uint8Array, n: number, from: number, to: number, into: Float64Array): void {
  const scale = 2 ** indexBitsFor(n);
  const keys = into.subarray(from, to);
  for (let i = from; i < to; i++) {
    const p = 32 * (i - from);
    const hi = ((hashes[p] << 24) | (hashes[p + 1] << 16) | (hashes[p + 2] << 8) | hashes[p + 3]) >>> 0;
    const lo21 = (hashes[p + 4] << 13) | (hashes[p + 5] << 5) | (hashes[p + 6] >> 3);
    const top53 = hi * 2 ** 21 + lo21;
    keys[i - from] = Math.floor(top53 / scale) * scale + i; // top 53 - indexBits bits of the hash, then i
  }
  keys.sort();
}

/** Merges sorted runs [bounds[j], bounds[j+1]) of `keys` into one sorted array. */
export function mergeSortedKeys(keys: Float64Array, bounds: readonly number[]): Float64Array {
  let runs = bounds.slice(0, -1).map((b, j) => keys.subarray(b, bounds[j + 1]));
  while (runs.length > 1) {
    const next: Float64Array[] = [];
    for (let j = 0; j < runs.length; j += 2) {
      const a = runs[j];
      const b = runs[j + 1];
      if (!b) {
        next.push(a);
        continue;
      }
      const out = new Float64Array(a.length + b.length);
      let x = 0;
      let y = 0;
      let w = 0;
      while (x < a.length && y < b.length) out[w++] = a[x] <= b[y] ? a[x++] : b[y++];
      while (x < a.length) out[w++] = a[x++];
      while (y < b.length) out[w++] = b[y++];
      next.push(out);
    }
    runs = next;
  }
  return runs[0] ?? new Float64Array(0);
}

/**
 * The value order from all n sorted keys; leaves whose packed prefixes tie (rare) are settled by
 * comparing whole hashes (n x 32 bytes, value order), which also finds duplicates.
 */
export function orderFromSortedKeys(keys: Float64Array, hashes: Uint8Array): Uint32Array {
  const n = keys.length;
  const scale = 2 ** indexBitsFor(n);
  const order = new Uint32Array(n);
  for (let r = 0; r < n; r++) order[r] = keys[r] % scale;
  let r = 0;
  while (r < n) {
    const prefix = Math.floor(keys[r] / scale);
    let e = r + 1;
    while (e < n && Math.floor(keys[e] / scale) === prefix) e++;
    if (e - r > 1) {
      const run = Array.from(order.subarray(r, e)).sort((a, b) => compareWords(hashes, 32 * a, hashes, 32 * b));
      for (let j = 0; j < run.length; j++) {
        if (j > 0 && compareWords(hashes, 32 * run[j - 1], hashes, 32 * run[j]) === 0) {
          throw new DuplicateLeafError(Math.min(run[j - 1], run[j]), Math.max(run[j - 1], run[j]));
        }
        order[r + j] = run[j];
      }
    }
    r = e;
  }
  return order;
}

const HEX_PAIRS = (() => {
  const digits = "0123456789abcdef";
  const table = new Uint16Array(256);
  // low byte: the first digit, high byte: the second
  for (let b = 0; b < 256; b++) table[b] = digits.charCodeAt(b >> 4) | (digits.charCodeAt(b & 15) << 8);
  return table;
})();
const LATIN1 = new TextDecoder("latin1");

/** `count` 32-byte words from `bytes` at word `from`, as `"0x..","0x.."` JSON text, via a lookup table. */
function hexWordsJson(bytes: Uint8Array, from: number, count: number): string {
  const width = 70; // quote, 0x, 64 digits, quote, comma
  const out = new Uint8Array(width * count);
  for (let w = 0; w < count; w++) {
    const o = w * width;
    out[o] = 0x22;
    out[o + 1] = 0x30;
    out[o + 2] = 0x78;
    const src = 32 * (from + w);
    for (let i = 0; i < 32; i++) {
      const pair = HEX_PAIRS[bytes[src + i]];
      out[o + 3 + 2 * i] = pair & 0xff;
      out[o + 4 + 2 * i] = pair >> 8;
    }
    out[o + 67] = 0x22;
    out[o + 68] = 0x2c;
    out[o + 69] = 0x0a;
  }
  return LATIN1.decode(out);
}

/**
 * The StandardMerkleTree dump of a tree, as JSON text in chunks of about `chunkWords` nodes, for
 * writing a million-leaf dump to a file without building it as one object. `valueJson(i)` gives the
 * JSON of value i (e.g. `["10614141073464","Ab3..."]`). JSON.parse of the joined chunks equals dump().
 */
export function* standardDumpChunks(
  tree: MerkleTree,
  valueJson: (i: number) => string,
  leafEncoding: readonly string[],
  chunkWords = 16384,
): Generator<string> {
  const total = tree.nodes.length / 32;
  yield `{"format":"standard-v1","leafEncoding":${JSON.stringify(leafEncoding)},"tree":[\n`;
  for (let at = 0; at < total; at += chunkWords) {
    let text = hexWordsJson(tree.nodes, at, Math.min(chunkWords, total - at));
    if (at + chunkWords >= total) text = text.slice(0, -2) + "\n"; // no comma after the last node
    yield text;
  }
  yield `],"values":[\n`;
  const n = tree.length;
  let text = "";
  for (let i = 0; i < n; i++) {
    text += `{"value":${valueJson(i)},"treeIndex":${tree.treeIndexOf[i]}}${i + 1 < n ? ",\n" : "\n"}`;
    if (text.length > 1 << 20) {
      yield text;
      text = "";
    }
  }
  yield text + "]}\n";
}
