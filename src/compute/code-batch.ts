import { webcrypto } from "node:crypto";
import { redrawSerial, serialLength, SerialBlock, type RandomSource } from "../core/codes/serials";
import { packedCodeLeafHashes, randomCodeLeaves } from "../core/merkle/leaves";
import { DuplicateLeafError, mergeSortedKeys, MerkleTree, orderFromSortedKeys, sortLeaves } from "../core/merkle/tree";
import { hashPair } from "../core/merkle/verify";
import { fromHex, toHex } from "../core/bytes";
import type { WorkerPool } from "./worker-pool";

export interface CodeBatchOptions {
  gtin: bigint;
  count: number;
  /** minimum random bits per serial; default 64 */
  entropyBits?: number;
  /** threads to spread the work over; without one (or for small batches) the calling thread does it all */
  pool?: WorkerPool;
  /** the CSPRNG; default crypto.getRandomValues (worker threads always use that one) */
  random?: RandomSource;
}

/** A release's codes: the serials, their leaves (value order) and the OpenZeppelin-layout tree. */
export interface CodeBatch {
  serials: SerialBlock;
  leaves: Uint8Array;
  tree: MerkleTree;
}

/** Below this many codes threads cost more than they save. */
export const PARALLEL_MIN = 1 << 16;

const secureRandom: RandomSource = (b) => {
  webcrypto.getRandomValues(b);
};

/**
 * Generates `count` distinct serials for one GTIN, hashes their leaves and builds the tree, over the
 * pool's threads when there is one: serials and leaves in equal slices, then the subtrees under one
 * tree level hashed side by side, then the few nodes above them here.
 */
export async function buildCodeBatch(options: CodeBatchOptions): Promise<CodeBatch> {
  const { gtin, count, pool } = options;
  const random = options.random ?? secureRandom;
  const width = serialLength(options.entropyBits);
  const parallel = pool !== undefined && count >= PARALLEL_MIN;
  let serials: SerialBlock;
  let leaves: Uint8Array;
  let order: Uint32Array | undefined;
  if (parallel) {
    serials = new SerialBlock(width, new Uint8Array(new SharedArrayBuffer(count * width)));
    leaves = new Uint8Array(new SharedArrayBuffer(count * 32));
    const keys = new Float64Array(new SharedArrayBuffer(count * 8));
    const slice = Math.ceil(count / pool.size);
    const jobs: Promise<void>[] = [];
    const bounds: number[] = [];
    for (let from = 0; from < count; from += slice) {
      bounds.push(from);
      jobs.push(
        pool.run({
          op: "codes",
          gtin: gtin.toString(),
          width,
          n: count,
          from,
          to: Math.min(from + slice, count),
          serials: serials.bytes.buffer as SharedArrayBuffer,
          leaves: leaves.buffer as SharedArrayBuffer,
          keys: keys.buffer as SharedArrayBuffer,
        }),
      );
    }
    await Promise.all(jobs);
    bounds.push(count);
    try {
      order = orderFromSortedKeys(mergeSortedKeys(keys, bounds), leaves);
    } catch (e) {
      if (!(e instanceof DuplicateLeafError)) throw e; // a repeat (about 1 in 10^8 per million): redraw below
    }
  } else {
    const drawn = randomCodeLeaves(gtin, width, count, random);
    serials = new SerialBlock(width, drawn.serials);
    leaves = drawn.leaves;
  }
  order ??= distinctOrder(gtin, serials, leaves, random);
  const tree = parallel ? await buildTreeParallel(pool, leaves, order) : MerkleTree.fromLeafHashes(leaves, order);
  return { serials, leaves, tree };
}

/** The leaves' ascending order, redrawing any serial whose leaf repeats another's until none does. */
function distinctOrder(gtin: bigint, serials: SerialBlock, leaves: Uint8Array, random: RandomSource): Uint32Array {
  for (;;) {
    try {
      return sortLeaves(leaves);
    } catch (e) {
      if (!(e instanceof DuplicateLeafError)) throw e;
      redrawSerial(serials, e.second, random);
      leaves.set(packedCodeLeafHashes(gtin, serials, e.second, e.second + 1), 32 * e.second);
    }
  }
}

async function buildTreeParallel(pool: WorkerPool, leaves: Uint8Array, order: Uint32Array): Promise<MerkleTree> {
  const n = order.length;
  const nodes = new Uint8Array(new SharedArrayBuffer((2 * n - 1) * 32));
  const sharedOrder = new Uint32Array(new SharedArrayBuffer(n * 4));
  sharedOrder.set(order);
  // one subtree per thread: the 2^level nodes of the deepest level with no more nodes than threads
  const level = Math.floor(Math.log2(pool.size));
  const first = 2 ** level - 1;
  const jobs: Promise<void>[] = [];
  for (let root = first; root < 2 * first + 1; root++) {
    jobs.push(
      pool.run({
        op: "subtree",
        n,
        root,
        leaves: leaves.buffer as SharedArrayBuffer,
        order: sharedOrder.buffer as SharedArrayBuffer,
        nodes: nodes.buffer as SharedArrayBuffer,
        writeLeaves: root === first,
      }),
    );
  }
  await Promise.all(jobs);
  for (let i = first; i-- > 0; ) {
    const pair = hashPair(toHex(nodes, 32 * (2 * i + 1), 32), toHex(nodes, 32 * (2 * i + 2), 32));
    fromHex(pair, nodes, 32 * i);
  }
  return MerkleTree.fromNodes(nodes, order);
}
