import type { Command } from "commander";
import { resolve } from "node:path";
import { PARALLEL_MIN } from "../../compute/code-batch";
import { ValidationError } from "../../core/errors";
import { releaseCodes } from "../../release/release-codes";
import type { CliContext } from "../context";
import { emit, positiveInt } from "./shared";

/** codes release: the brand's release job. */
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
    .action(async (opts: { order: number; count: number; out: string; stopAfter?: string }) => {
      const ctx = await context();
      if (opts.stopAfter !== undefined && opts.stopAfter !== "generate" && opts.stopAfter !== "publish") {
        throw new ValidationError("stop-after", opts.stopAfter, "generate or publish");
      }
      const ledger = await ctx.ledger(true);
      const started = performance.now();
      const outcome = await releaseCodes({
        ledger,
        content: ctx.contentStore(),
        pool: opts.count >= PARALLEL_MIN ? ctx.workers() : undefined, // threads only where they pay
        order: BigInt(opts.order),
        count: opts.count,
        outDir: resolve(ctx.cwd, opts.out),
        linkOrigin: ctx.config.linkOrigin,
        ...(opts.stopAfter ? { stopAfter: opts.stopAfter as "generate" | "publish" } : {}),
        onStage: (stage, detail) => ctx.io.err(`${stage}: ${detail}`),
      });
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
}
