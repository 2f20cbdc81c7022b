import type { Command } from "commander";
import { ValidationError } from "../../core/errors";
import type { RecallScope } from "../../release/recall";
import type { CliContext } from "../context";
import { emit, positiveInt } from "./shared";

interface Target {
  order?: number;
  batch?: number;
}

function scopeOf(opts: Target): { scope: RecallScope; id: bigint } {
  if ((opts.order === undefined) === (opts.batch === undefined)) {
    throw new ValidationError("order", opts.order ?? "", "give exactly one of --order or --batch");
  }
  return opts.order !== undefined
    ? { scope: "order", id: BigInt(opts.order) }
    : { scope: "batch", id: BigInt(opts.batch!) };
}

/** recall | recall lift: a brand stops (or restarts) every code of an order or a batch. */
export function registerRecallCommands(program: Command, context: () => Promise<CliContext>): void {
  const command = program
    .command("recall")
    .description("recall an order or a batch: verifiers show its codes as recalled, with the reason")
    .option("--order <id>", "recall every batch of this order", positiveInt("order"))
    .option("--batch <id>", "recall this batch", positiveInt("batch"))
    .option("--reason <text>", "why (published as the recall notice)")
    .action(async (opts: Target & { reason?: string }) => {
      const target = scopeOf(opts);
      if (opts.reason === undefined) throw new ValidationError("reason", "", "a recall needs --reason");
      const ctx = await context();
      const { recall } = await import("../../release/recall");
      const outcome = await recall({
        ledger: await ctx.ledger(true),
        content: ctx.contentStore(),
        ...target,
        reason: opts.reason,
      });
      emit(
        ctx,
        outcome,
        `${target.scope} ${target.id} recalled: notice ${outcome.noticeCid}, tx ${outcome.transaction}`,
      );
    });
  command
    .command("lift")
    .description("lift the recall of an order or a batch")
    .option("--order <id>", "the recalled order", positiveInt("order"))
    .option("--batch <id>", "the recalled batch", positiveInt("batch"))
    .action(async (opts: Target, command: Command) => {
      // commander hands `--batch` after `lift` to `recall`, which declares it too
      const target = scopeOf({ ...command.parent?.opts<Target>(), ...opts });
      const ctx = await context();
      const { recall } = await import("../../release/recall");
      const outcome = await recall({
        ledger: await ctx.ledger(true),
        content: ctx.contentStore(),
        ...target,
        lift: true,
      });
      emit(ctx, outcome, `${target.scope} ${target.id}: recall lifted, tx ${outcome.transaction}`);
    });
}
