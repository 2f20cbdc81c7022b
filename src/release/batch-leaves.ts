import type { Ledger } from "../chain/ledger";
import type { ContentStore } from "../content/content-store";
import { IntegrityError } from "../core/errors";
import { decodeLeafFile } from "../core/merkle/leaf-file";
import type { MerkleTree } from "../core/merkle/tree";

/** A released batch as the chain records it, with its order (an unknown id is a NotFoundError). */
export async function readBatch(ledger: Ledger, batch: bigint) {
  const b = await ledger.read(() => ledger.serials.read.batch([batch]));
  const order = await ledger.read(() => ledger.serials.read.order([b.order]));
  return { ...b, orderData: order };
}

/**
 * A batch's tree from its published leaf file: the store checks the bytes against the CID, and the
 * rebuilt root must equal the on-chain root (a CID can be honest and still name the wrong file).
 */
export async function batchTree(
  content: ContentStore,
  batch: { root: string; contentCid: string },
): Promise<MerkleTree> {
  const tree = decodeLeafFile(await content.get(batch.contentCid), "leafFile");
  if (tree.root !== batch.root) {
    throw new IntegrityError(`leaf file ${batch.contentCid} gives root ${tree.root}, the chain holds ${batch.root}`);
  }
  return tree;
}
