import type { Hex } from "viem";
import { packWords } from "../bytes";
import { ValidationError } from "../errors";
import { commitmentLeafHashes, eventLeafHashes, type CommitmentKind } from "../merkle/leaves";
import { DuplicateLeafError, MerkleTree } from "../merkle/tree";

function treeOf(leafHashes: Uint8Array, values: readonly unknown[], what: (index: number) => string): MerkleTree {
  try {
    return MerkleTree.fromLeafHashes(leafHashes);
  } catch (e) {
    if (e instanceof DuplicateLeafError)
      throw new ValidationError(what(e.second), values[e.second], `repeats entry ${e.first}`);
    throw e;
  }
}

/**
 * The tree a capture signs: one leaf per event, from its CBV 2.0 hash, in document order as values
 * (the tree sorts leaves; proofs are by document index). An event sent twice in one document is refused.
 */
export function captureEventsTree(eventHashes: readonly Hex[]): MerkleTree {
  if (eventHashes.length === 0)
    throw new ValidationError("/epcisBody/eventList", [], "a capture holds one or more events");
  return treeOf(eventLeafHashes(packWords(eventHashes)), eventHashes, (i) => `/epcisBody/eventList/${i}`);
}

/** One entry of a commitment: a capture or a handover, by its EIP-712 digest. */
export interface CommitmentEntry {
  kind: CommitmentKind;
  digest: Hex;
}

/** The tree a relayer commits: one leaf per capture or handover (Leaves.commitment on-chain). */
export function commitmentTree(entries: readonly CommitmentEntry[]): MerkleTree {
  return treeOf(commitmentLeafHashes(entries), entries, (i) => `entries/${i}`);
}
