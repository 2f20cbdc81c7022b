import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Ledger } from "../chain/ledger";
import type { ContentStore } from "../content/content-store";
import { buildCodeBatch } from "../compute/code-batch";
import type { WorkerPool } from "../compute/worker-pool";
import { ConflictError, IntegrityError, NotFoundError, ValidationError } from "../core/errors";
import { formatDigitalLink } from "../core/gs1/digital-link";
import { decodeLeafFile, encodeLeafFile } from "../core/merkle/leaf-file";
import type { Hex } from "../core/bytes";
import { writeLabelSheet } from "./label-sheet";
import { writeLabels, type LabelFormat } from "./labels";
import { codesCsvChunks, treeDumpChunks, writeChunks } from "./release-files";
import { readReleaseState, writeReleaseState, type ReleaseState } from "./release-state";

export interface ReleaseOptions {
  ledger: Ledger;
  content: ContentStore;
  pool?: WorkerPool;
  order: bigint;
  count: number;
  outDir: string;
  /** Digital Link origin for codes.csv */
  linkOrigin: string;
  entropyBits?: number;
  /** stop after a stage (generate codes offline now, publish and release later) */
  stopAfter?: "generate" | "publish";
  /** also write a label per code into <out>/labels */
  labels?: LabelFormat;
  /** and the labels on printable A4 sheets, <out>/labels.pdf (with `labels`) */
  sheet?: boolean;
  /** stage reports, for a progress display */
  onStage?: (stage: string, detail: string) => void;
  /** progress within a long stage (codes written, labels drawn) */
  onProgress?: (stage: string, done: number, total: number) => void;
}

export interface ReleaseOutcome {
  state: ReleaseState;
  resumed: boolean;
  files: { codes: string; tree: string; leaves: string };
  timings: Record<string, number>;
}

export const FILES = { codes: "codes.csv", tree: "tree.json", leaves: "leaves.bin", sheet: "labels.pdf" } as const;

/**
 * A brand's release of `count` codes of an order: generate serials and tree, write codes.csv,
 * tree.json and the leaf file, publish the leaf file, release the root on-chain. Each finished
 * stage is recorded in <out>/release.json; a re-run finishes the same release and never draws a
 * second set of codes. Refuses before drawing anything when the order has fewer codes left.
 */
export async function releaseCodes(options: ReleaseOptions): Promise<ReleaseOutcome> {
  const { ledger, content, outDir, count } = options;
  if (!Number.isInteger(count) || count < 1) throw new ValidationError("count", count, "a positive integer");
  const stage = options.onStage ?? (() => undefined);
  const timings: Record<string, number> = {};
  const files = {
    codes: join(outDir, FILES.codes),
    tree: join(outDir, FILES.tree),
    leaves: join(outDir, FILES.leaves),
  };
  const order = await ledger.read(() => ledger.serials.read.order([options.order]));
  if (order.brand === 0) throw new NotFoundError(`order ${options.order} does not exist`);
  const gtin = order.gtin.toString().padStart(14, "0");

  let state = await readReleaseState(outDir);
  const resumed = state !== undefined;
  if (state && (state.order !== options.order.toString() || state.count !== count)) {
    throw new ConflictError(
      `${outDir} holds a release of ${state.count} codes of order ${state.order}; use another --out for order ${options.order}`,
    );
  }
  if (!state) {
    if (order.closed) throw new ConflictError(`order ${options.order} is closed`);
    const remaining = order.plannedQuantity - order.released;
    if (BigInt(count) > remaining) {
      throw new ConflictError(
        `order ${options.order} has ${remaining} of ${order.plannedQuantity} codes left; ${count} requested`,
      );
    }
    // refusals the contract would make (not the brand's key, closed...) before anything is drawn
    const placeholder = `0x${"01".repeat(32)}` as Hex;
    await ledger.read(() =>
      ledger.publicClient.simulateContract({
        address: ledger.serials.address,
        abi: ledger.serials.abi,
        functionName: "releaseBatch",
        args: [options.order, placeholder, BigInt(count), "preflight"],
        account: ledger.account,
      }),
    );
    await mkdir(outDir, { recursive: true });
    let t = performance.now();
    stage("generate", `${count} codes`);
    const batch = await buildCodeBatch({
      gtin: order.gtin,
      count,
      pool: options.pool,
      entropyBits: options.entropyBits,
    });
    timings.generate = performance.now() - t;
    t = performance.now();
    const linkPrefix = formatDigitalLink({
      origin: options.linkOrigin,
      gtin,
      serial: "X",
      ...(order.lot ? { lot: order.lot } : {}),
    }).slice(0, -1);
    await writeChunks(files.leaves, [encodeLeafFile(batch.tree)]);
    const progress = (done: number) => options.onProgress?.("codes.csv", done, count);
    await writeChunks(files.codes, codesCsvChunks(gtin, batch.serials, linkPrefix, progress));
    await writeChunks(files.tree, treeDumpChunks(gtin, batch.serials, batch.tree));
    timings.write = performance.now() - t;
    state = { version: 1, order: options.order.toString(), gtin, count, root: batch.tree.root, stage: "generated" };
    await writeReleaseState(outDir, state);
  }
  // what a GS1 DataMatrix's element string carries beside the GTIN and serial
  const labelBatch = {
    ...(order.lot ? { lot: order.lot } : {}),
    ...(order.expiry ? { expiry: String(order.expiry) } : {}),
  };
  if (options.labels) {
    const t = performance.now();
    stage("labels", `${count} ${options.labels} labels in ${join(outDir, "labels")}`);
    await writeLabels({
      codesCsv: files.codes,
      dir: join(outDir, "labels"),
      format: options.labels,
      batch: labelBatch,
      onProgress: (done) => options.onProgress?.("labels", done, count),
    });
    timings.labels = performance.now() - t;
  }
  if (options.labels && options.sheet) {
    const t = performance.now();
    const file = join(outDir, FILES.sheet);
    stage("sheet", `${count} ${options.labels} labels on A4 sheets in ${file}`);
    await writeLabelSheet({
      codesCsv: files.codes,
      file,
      format: options.labels,
      batch: labelBatch,
      onProgress: (done) => options.onProgress?.("sheet", done, count),
    });
    timings.sheet = performance.now() - t;
  }
  if (options.stopAfter === "generate" || state.stage === "released") return { state, resumed, files, timings };

  if (state.stage === "generated") {
    const t = performance.now();
    const leafFile = new Uint8Array(await readFile(files.leaves));
    const root = decodeLeafFile(leafFile, FILES.leaves).root;
    if (root !== state.root)
      throw new IntegrityError(`${files.leaves} gives root ${root}, ${FILES.leaves} recorded ${state.root}`);
    stage("publish", `${leafFile.length} bytes`);
    state = { ...state, stage: "published", leafCid: await content.put(leafFile) };
    await writeReleaseState(outDir, state);
    timings.publish = performance.now() - t;
  }
  if (options.stopAfter === "publish") return { state, resumed, files, timings };

  const t = performance.now();
  stage("release", state.root);
  // a run that died after sending finds its batch on chain instead of sending twice
  const existing = await ledger.read(() => ledger.serials.read.batchOfRoot([state!.root as Hex]));
  if (existing !== 0n) {
    state = { ...state, stage: "released", batch: existing.toString() };
  } else {
    const sent = await ledger.write(() =>
      ledger.publicClient.simulateContract({
        address: ledger.serials.address,
        abi: ledger.serials.abi,
        functionName: "releaseBatch",
        args: [options.order, state!.root as Hex, BigInt(count), state!.leafCid as string],
        account: ledger.account,
      }),
    );
    state = {
      ...state,
      stage: "released",
      batch: sent.result.toString(),
      transaction: sent.hash,
      block: Number(sent.receipt.blockNumber),
    };
  }
  await writeReleaseState(outDir, state);
  timings.release = performance.now() - t;
  return { state, resumed, files, timings };
}
