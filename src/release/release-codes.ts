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

/** The order a release draws from, as the chain has it. */
type ChainOrder = Awaited<ReturnType<Ledger["serials"]["read"]["order"]>>;
type ReleaseFiles = ReleaseOutcome["files"];

/**
 * A brand's release of `count` codes of an order: generate serials and tree, write codes.csv,
 * tree.json and the leaf file, publish the leaf file, release the root on-chain. Each finished
 * stage is recorded in <out>/release.json; a re-run finishes the same release and never draws a
 * second set of codes. Refuses before drawing anything when the order has fewer codes left.
 */
export async function releaseCodes(options: ReleaseOptions): Promise<ReleaseOutcome> {
  const { ledger, outDir, count } = options;
  if (!Number.isInteger(count) || count < 1) throw new ValidationError("count", count, "a positive integer");
  const timings: Record<string, number> = {};
  const timed = async <T>(stage: string, run: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    const result = await run();
    timings[stage] = performance.now() - t;
    return result;
  };
  const files = {
    codes: join(outDir, FILES.codes),
    tree: join(outDir, FILES.tree),
    leaves: join(outDir, FILES.leaves),
  };
  const order = await ledger.read(() => ledger.serials.read.order([options.order]));
  if (order.brand === 0) throw new NotFoundError(`order ${options.order} does not exist`);

  let state = await readReleaseState(outDir);
  const resumed = state !== undefined;
  if (state && (state.order !== options.order.toString() || state.count !== count)) {
    throw new ConflictError(
      `${outDir} holds a release of ${state.count} codes of order ${state.order}; use another --out for order ${options.order}`,
    );
  }
  state ??= await generate(options, order, files, timed);
  await labelsFor(options, order, files, timed);
  if (options.stopAfter === "generate" || state.stage === "released") return { state, resumed, files, timings };
  if (state.stage === "generated") state = await timed("publish", () => publish(options, state!, files));
  if (options.stopAfter === "publish") return { state, resumed, files, timings };
  state = await timed("release", () => release(options, state!));
  return { state, resumed, files, timings };
}

type Timed = <T>(stage: string, run: () => Promise<T>) => Promise<T>;

/**
 * The first stage: the order checked (open, enough codes left, the brand's to release), the codes
 * drawn and their tree built, the files written, the stage recorded.
 */
async function generate(
  options: ReleaseOptions,
  order: ChainOrder,
  files: ReleaseFiles,
  timed: Timed,
): Promise<ReleaseState> {
  const { ledger, outDir, count } = options;
  const stage = options.onStage ?? (() => undefined);
  const gtin = order.gtin.toString().padStart(14, "0");
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
  stage("generate", `${count} codes`);
  const batch = await timed("generate", () =>
    buildCodeBatch({ gtin: order.gtin, count, pool: options.pool, entropyBits: options.entropyBits }),
  );
  await timed("write", async () => {
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
  });
  const state: ReleaseState = {
    version: 1,
    order: options.order.toString(),
    gtin,
    count,
    root: batch.tree.root,
    stage: "generated",
  };
  await writeReleaseState(outDir, state);
  return state;
}

/** Labels, and their A4 sheets, when asked for: drawn from codes.csv, so a resumed release can draw them too. */
async function labelsFor(options: ReleaseOptions, order: ChainOrder, files: ReleaseFiles, timed: Timed): Promise<void> {
  const { outDir, count, labels: format } = options;
  if (!format) return;
  const stage = options.onStage ?? (() => undefined);
  // what a GS1 DataMatrix's element string carries beside the GTIN and serial
  const batch = {
    ...(order.lot ? { lot: order.lot } : {}),
    ...(order.expiry ? { expiry: String(order.expiry) } : {}),
  };
  await timed("labels", () => {
    stage("labels", `${count} ${format} labels in ${join(outDir, "labels")}`);
    return writeLabels({
      codesCsv: files.codes,
      dir: join(outDir, "labels"),
      format,
      batch,
      onProgress: (done) => options.onProgress?.("labels", done, count),
    });
  });
  if (!options.sheet) return;
  const file = join(outDir, FILES.sheet);
  await timed("sheet", () => {
    stage("sheet", `${count} ${format} labels on A4 sheets in ${file}`);
    return writeLabelSheet({
      codesCsv: files.codes,
      file,
      format,
      batch,
      onProgress: (done) => options.onProgress?.("sheet", done, count),
    });
  });
}

/** The leaf file, checked against the root recorded when it was written, put in the content store. */
async function publish(options: ReleaseOptions, state: ReleaseState, files: ReleaseFiles): Promise<ReleaseState> {
  const leafFile = new Uint8Array(await readFile(files.leaves));
  const root = decodeLeafFile(leafFile, FILES.leaves).root;
  if (root !== state.root)
    throw new IntegrityError(`${files.leaves} gives root ${root}, ${FILES.leaves} recorded ${state.root}`);
  options.onStage?.("publish", `${leafFile.length} bytes`);
  const published: ReleaseState = { ...state, stage: "published", leafCid: await options.content.put(leafFile) };
  await writeReleaseState(options.outDir, published);
  return published;
}

/** The root released on-chain; a run that died after sending finds its batch there instead of sending twice. */
async function release(options: ReleaseOptions, state: ReleaseState): Promise<ReleaseState> {
  const { ledger } = options;
  options.onStage?.("release", state.root);
  const existing = await ledger.read(() => ledger.serials.read.batchOfRoot([state.root as Hex]));
  let released: ReleaseState;
  if (existing !== 0n) {
    released = { ...state, stage: "released", batch: existing.toString() };
  } else {
    const sent = await ledger.write(() =>
      ledger.publicClient.simulateContract({
        address: ledger.serials.address,
        abi: ledger.serials.abi,
        functionName: "releaseBatch",
        args: [options.order, state.root as Hex, BigInt(options.count), state.leafCid as string],
        account: ledger.account,
      }),
    );
    released = {
      ...state,
      stage: "released",
      batch: sent.result.toString(),
      transaction: sent.hash,
      block: Number(sent.receipt.blockNumber),
    };
  }
  await writeReleaseState(options.outDir, released);
  return released;
}
