import type { Command } from "commander";
import { resolve } from "node:path";
import { ValidationError } from "../../core/errors";
import type { CliContext } from "../context";
import { readText } from "../io";
import { ProgressBar } from "../progress";
import { labelFormatOf, type LabelFormat } from "../../release/label-format";
import { emit, positiveInt } from "./shared";

/** codes release | void: the brand's release job, and taking codes back. */
interface ReleaseCommandOptions {
  order: number;
  count: number;
  out: string;
  stopAfter?: string;
  labels?: LabelFormat;
  sheet?: boolean;
}

export function registerCodesCommands(program: Command, context: () => Promise<CliContext>): void {
  const codes = program.command("codes").description("serial codes");
  codes
    .command("release")
    .description(
      "generate codes for an order, write codes.csv and tree.json, publish the leaf file, release the root on-chain",
    )
    .requiredOption("--order <id>", "order id", positiveInt("order"))
    .requiredOption("--count <n>", "how many codes", positiveInt("count"))
    .requiredOption("--out <dir>", "output directory (holds release.json: re-run to resume)")
    .option("--stop-after <stage>", "generate | publish: finish later with the same command")
    .option(
      "--labels <format>",
      "also write a label per code to <out>/labels: svg | png | qr (the Digital Link in a QR code), datamatrix (the element string in a GS1 DataMatrix), dl-datamatrix",
      labelFormatOf,
    )
    .option("--sheet", "with --labels, also put the labels on printable A4 sheets, 21 to a page: <out>/labels.pdf")
    .action(async (opts: ReleaseCommandOptions) => {
      const ctx = await context();
      if (opts.sheet && !opts.labels)
        throw new ValidationError("sheet", true, "takes --labels, the kind of label to print");
      if (opts.stopAfter !== undefined && opts.stopAfter !== "generate" && opts.stopAfter !== "publish") {
        throw new ValidationError("stop-after", opts.stopAfter, "generate or publish");
      }
      const [{ releaseCodes }, { PARALLEL_MIN }] = await Promise.all([
        import("../../release/release-codes"),
        import("../../compute/code-batch"),
      ]);
      const ledger = await ctx.ledger(true);
      const started = performance.now();
      let bar: ProgressBar | undefined;
      const outcome = await releaseCodes({
        ledger,
        content: ctx.contentStore(),
        pool: opts.count >= PARALLEL_MIN ? ctx.workers() : undefined, // threads only where they pay
        order: BigInt(opts.order),
        count: opts.count,
        outDir: resolve(ctx.cwd, opts.out),
        linkOrigin: ctx.config.linkOrigin,
        ...(opts.stopAfter ? { stopAfter: opts.stopAfter as "generate" | "publish" } : {}),
        ...(opts.labels ? { labels: opts.labels, sheet: opts.sheet === true } : {}),
        onStage: (stage, detail) => {
          bar?.finish();
          bar = undefined;
          ctx.io.err(`${stage}: ${detail}`);
        },
        onProgress: (stage, done, total) => {
          bar ??= new ProgressBar(ctx.io, stage, total);
          bar.update(done);
        },
      });
      bar?.finish();
      const s = outcome.state;
      emit(
        ctx,
        {
          ...s,
          resumed: outcome.resumed,
          files: outcome.files,
          timings: outcome.timings,
          ms: performance.now() - started,
        },
        `${s.stage}: ${s.count} codes of order ${s.order}, root ${s.root}${s.leafCid ? `, leaf file ${s.leafCid}` : ""}${s.batch ? `, batch ${s.batch}` : ""}${outcome.resumed ? " (resumed)" : ""}`,
      );
    });
  codes
    .command("void")
    .description("void codes of a released batch (misprinted, destroyed): publishes a void notice, records it on-chain")
    .requiredOption("--batch <id>", "batch id", positiveInt("batch"))
    .requiredOption("--codes <file>", "the codes: a codes.csv extract, Digital Link URLs or serials, one per line")
    .requiredOption("--reason <text>", "why, for verifiers and auditors")
    .action(async (opts: { batch: number; codes: string; reason: string }) => {
      const ctx = await context();
      const file = resolve(ctx.cwd, opts.codes);
      const list = await readText(file, "codes");
      const { voidCodes } = await import("../../release/void-codes");
      const ledger = await ctx.ledger(true);
      const outcome = await voidCodes({
        ledger,
        content: ctx.contentStore(),
        batch: BigInt(opts.batch),
        list,
        source: file,
        reason: opts.reason,
      });
      emit(
        ctx,
        outcome,
        `${outcome.count} codes of batch ${outcome.batch} voided: root ${outcome.root}, notice ${outcome.noticeCid}, tx ${outcome.transaction}`,
      );
    });
}
