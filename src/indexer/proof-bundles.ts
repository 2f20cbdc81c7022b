import type { Address } from "viem";
import { checkSerial } from "../core/gs1/digital-link";
import { normalizeGtin } from "../core/gs1/gtin";
import type { MerkleTree } from "../core/merkle/tree";
import type { ProofBundle } from "../core/proof/bundle";
import { assembleProofBundle, type Memo } from "./bundle-assembly";
import { readBundleRows } from "./bundle-rows";
import type { IndexerStore } from "./indexer-store";
import type { LruCache } from "./lru-cache";

export interface BundleSources {
  store: IndexerStore;
  chainId: number;
  serialRegistry: Address;
  commitmentLog: Address;
  /** a batch's tree from its (checked) leaf file; the caller caches it */
  batchTree: (batchId: number, cid: string) => Promise<MerkleTree>;
  /**
   * what requests share: trees rebuilt from stored hashes (a capture's events, a commitment's
   * entries) and parsed proof data, reused across requests
   */
  cache?: LruCache<string, unknown>;
}

/**
 * The ProofBundle v2 of a code, from checked state only: its inclusion in the released batch that
 * holds its leaf, and every valid event and handover naming it, each with the proofs from the
 * entry to its signed root and from the entry to its commitment's root. A code in no batch gets a
 * bundle with no release (the verifier's "unknown"). Three steps: the rows (bundle-rows.ts), the
 * batch's tree from the content store, the assembly (bundle-assembly.ts, pure).
 */
export async function proofBundleFor(
  sources: BundleSources,
  gtinInput: string,
  serialInput: string,
): Promise<ProofBundle> {
  const rows = await readBundleRows(sources.store, normalizeGtin(gtinInput), checkSerial(serialInput));
  const batch = rows.release?.batch;
  const cache = sources.cache;
  const memo: Memo = cache
    ? (key, build) => cache.memo(key, build) as ReturnType<typeof build>
    : (_key, build) => build();
  return assembleProofBundle(rows, {
    chainId: sources.chainId,
    serialRegistry: sources.serialRegistry,
    commitmentLog: sources.commitmentLog,
    batchTree: batch ? await sources.batchTree(batch.id, batch.content_cid) : null,
    memo,
  });
}
