import type { Command } from "commander";
import { resolve } from "node:path";
import { ConflictError } from "../../core/errors";
import type { CliContext } from "../context";
import { emit, positiveInt } from "./shared";

interface CreateOptions {
  gtin: string;
  quantity: string;
  lot: string;
  expiry?: string;
  producer?: string;
  erpRef?: string;
}

/** order create | show: production orders on the serial registry. */
export function registerOrderCommands(program: Command, context: () => Promise<CliContext>): void {
  const order = program.command("order").description("production orders");
  order
    .command("create")
    .description("open a production order: the most codes that may ever be released for it")
    .requiredOption("--gtin <gtin>", "GTIN-8/12/13/14 under one of the brand's prefixes")
    .requiredOption("--quantity <n>", "planned quantity")
    .requiredOption("--lot <lot>", "batch/lot number (GS1 AI 10)")
    .option("--expiry <date>", "expiry date, YYMMDD or YYYY-MM-DD")
    .option("--producer <id>", "producer or licensee: participant id or GLN (default: the brand itself)")
    .option("--erp-ref <ref>", "the ERP's order reference: an order opens once per reference")
    .action(async (opts: CreateOptions) => {
      const [{ checkOrder }, { OrderDesk }] = await Promise.all([
        import("../../core/orders/order-input"),
        import("../../release/order-desk"),
      ]);
      const checked = checkOrder(opts);
      if (Array.isArray(checked)) throw checked[0];
      const ctx = await context();
      const desk = await OrderDesk.of(await ctx.ledger(true));
      const existing = await desk.existingOrder(checked.erpRef);
      if (existing !== undefined) {
        throw new ConflictError(`erp-ref ${JSON.stringify(checked.erpRef)} already opened order ${existing}`);
      }
      const problems = await desk.problemsOf(checked);
      if (problems.length > 0) throw problems[0];
      const { order: id, transaction } = await desk.open(checked);
      emit(
        ctx,
        { order: id, transaction },
        `order ${id} opened: ${checked.quantity} x ${checked.gtin} lot ${checked.lot}`,
      );
    });
  order
    .command("import")
    .description(
      "open the orders of an ERP export (.csv with a header row, or .json); re-importing opens nothing twice",
    )
    .argument("<file>", "columns gtin, quantity, lot, erp_ref, and optionally expiry, producer (id or GLN)")
    .option("--dry-run", "check every row against the chain and send nothing")
    .action(async (file: string, opts: { dryRun?: boolean }) => {
      const ctx = await context();
      const [{ OrderDesk }, { importOrders }] = await Promise.all([
        import("../../release/order-desk"),
        import("../../release/import-orders"),
      ]);
      const desk = await OrderDesk.of(await ctx.ledger(true));
      const outcome = await importOrders({
        desk,
        file: resolve(ctx.cwd, file),
        dryRun: opts.dryRun === true,
        onOpened: (line, order) => ctx.io.err(`line ${line}: order ${order} opened`),
      });
      emit(
        ctx,
        outcome,
        [
          ...(outcome.ignoredColumns.length ? [`ignored columns: ${outcome.ignoredColumns.join(", ")}`] : []),
          ...outcome.existing.map((r) => `line ${r.line}: ${r.erpRef} already opened order ${r.order}`),
          ...outcome.ready.map((r) => `line ${r.line}: ${r.erpRef} ready`),
          opts.dryRun
            ? `${outcome.ready.length} orders ready, ${outcome.existing.length} already open (dry run: nothing sent)`
            : `${outcome.opened.length} orders opened, ${outcome.existing.length} already open`,
        ].join("\n"),
      );
    });
  order
    .command("show")
    .description("an order: planned, released, voided, remaining, and its batches")
    .argument("<id>", "order id", positiveInt("id"))
    .action(async (id: number) => {
      const ctx = await context();
      const ledger = await ctx.ledger(false);
      const o = await ledger.read(() => ledger.serials.read.order([BigInt(id)]));
      const released = await ledger.serialsEvents("BatchReleased", { order: BigInt(id) });
      const batches = released.map((e) => ({
        batch: e.args.batch as bigint,
        count: e.args.count as bigint,
        root: e.args.root as string,
        cid: e.args.contentCid as string,
        transaction: e.transactionHash,
        block: e.blockNumber,
      }));
      const view = {
        order: id,
        gtin: o.gtin.toString().padStart(14, "0"),
        lot: o.lot,
        expiry: o.expiry,
        brand: o.brand,
        producer: o.producer,
        planned: o.plannedQuantity,
        released: o.released,
        voided: o.voided,
        remaining: o.plannedQuantity - o.released,
        closed: o.closed,
        recalled: o.recalled,
        batches,
      };
      emit(
        ctx,
        view,
        [
          `order ${id}: GTIN ${view.gtin} lot ${o.lot}${o.expiry ? ` expiry ${o.expiry}` : ""}${o.closed ? " (closed)" : ""}${o.recalled ? " (RECALLED)" : ""}`,
          `planned ${view.planned}, released ${view.released}, voided ${view.voided}, remaining ${view.remaining}`,
          ...batches.map(
            (b) =>
              `batch ${b.batch}: ${b.count} codes, root ${b.root}, cid ${b.cid}, tx ${b.transaction} (block ${b.block})`,
          ),
        ].join("\n"),
      );
    });
}
