import { hexToBytes, type Hash, type Hex } from "viem";
import type { Ledger } from "../chain/ledger";
import type { ContentStore } from "../content/content-store";
import { packWords } from "../core/bytes";
import { parseCodeList } from "../core/codes/code-list";
import { ConflictError, ValidationError } from "../core/errors";
import type { Gtin14 } from "../core/gs1/gtin";
import { hasLeaf } from "../core/merkle/leaf-file";
import { codeLeafHash } from "../core/merkle/leaves";
import { MerkleTree } from "../core/merkle/tree";
import { encodeNotice, VoidNoticeSchema, type VoidNotice } from "../core/orders/notices";
import { batchTree, readBatch } from "./batch-leaves";
import { RowsRejectedError } from "./rows-rejected-error";

export interface VoidCodesOptions {
  ledger: Ledger;
  content: ContentStore;
  batch: bigint;
  /** the list's text: codes.csv rows, Digital Link URLs or serials, one per line */
  list: string;
  /** where the list came from, for messages */
  source: string;
  reason: string;
}

export interface VoidOutcome {
  batch: bigint;
  count: number;
  root: Hex;
  noticeCid: string;
  transaction: Hash;
}

/**
 * Voids codes of a released batch (misprinted, destroyed labels): each must be a code of the batch
 * and not voided before. The void notice (reason and the voided leaves) is published first and its
 * CID goes on-chain with the leaves' root and count, so verifiers can tell a voided code.
 */
export async function voidCodes(options: VoidCodesOptions): Promise<VoidOutcome> {
  const { ledger, content } = options;
  const reason = options.reason.trim();
  if (reason === "" || reason.length > 2000)
    throw new ValidationError("reason", options.reason, "1 to 2000 characters");
  const batch = await readBatch(ledger, options.batch);
  const gtin = batch.orderData.gtin.toString().padStart(14, "0") as Gtin14;
  const { codes, problems } = parseCodeList(options.list, gtin);
  if (codes.length === 0 && problems.length === 0) throw new ValidationError("codes", options.source, "lists no codes");
  const tree = await batchTree(content, batch);
  const voided = await voidedLeaves(ledger, content, options.batch);
  const leaves = codes.map((c) => codeLeafHash(BigInt(gtin), c.serial));
  codes.forEach((c, i) => {
    if (!hasLeaf(tree, hexToBytes(leaves[i]))) {
      problems.push({
        line: c.line,
        error: new ValidationError("serial", c.serial, `is not a code of batch ${options.batch}`),
      });
    } else if (voided.has(leaves[i])) {
      problems.push({ line: c.line, error: new ValidationError("serial", c.serial, "was voided before") });
    }
  });
  if (problems.length > 0) {
    problems.sort((a, b) => a.line - b.line);
    throw new RowsRejectedError(options.source, problems, codes.length + new Set(problems.map((p) => p.line)).size);
  }
  const available = batch.count - batch.voided;
  if (BigInt(codes.length) > available) {
    throw new ConflictError(`batch ${options.batch} has ${available} codes left to void; ${codes.length} listed`);
  }
  const voidTree = MerkleTree.fromLeafHashes(packWords(leaves));
  const notice: VoidNotice = {
    type: "trackroot.void.v1",
    batch: options.batch.toString(),
    reason,
    root: voidTree.root,
    leaves: [...leaves].sort(),
  };
  const noticeCid = await content.put(encodeNotice(notice));
  const { hash } = await ledger.write(() =>
    ledger.serials.simulate.voidCodes([options.batch, voidTree.root, BigInt(codes.length), noticeCid]),
  );
  return { batch: options.batch, count: codes.length, root: voidTree.root, noticeCid, transaction: hash };
}

/** The leaves earlier voids of a batch listed, read back from their notices. */
async function voidedLeaves(ledger: Ledger, content: ContentStore, batch: bigint): Promise<Set<string>> {
  const events = await ledger.serialsEvents("CodesVoided", { batch });
  const leaves = new Set<string>();
  for (const e of events) {
    const raw = JSON.parse(new TextDecoder().decode(await content.get(e.args.reason)));
    const notice = VoidNoticeSchema.parse(raw);
    for (const leaf of notice.leaves) leaves.add(leaf);
  }
  return leaves;
}
