import type { Command } from "commander";
import { keccak256, toHex } from "viem";
import { ValidationError } from "../../core/errors";
import { checkGs1Date, checkLot } from "../../core/gs1/digital-link";
import { normalizeGtin } from "../../core/gs1/gtin";
import type { CliContext } from "../context";
import { emit, positiveInt } from "./shared";

interface CreateOptions {
  gtin: string;
  quantity: number;
  lot: string;
  expiry?: string;
  producer?: number;
  erpRef?: string;
}

/** YYMMDD (GS1 AI 17) or YYYY-MM-DD to the contract's YYYYMMDD. */
export function expiryOf(value: string): number {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const yymmdd = iso ? `${iso[1].slice(2)}${iso[2]}${iso[3]}` : value;
  checkGs1Date(yymmdd, "expiry");
  const yy = Number(yymmdd.slice(0, 2));
  const century = iso ? Number(iso[1].slice(0, 2)) : yy >= 50 ? 19 : 20;
  return Number(`${century}${yymmdd}`);
}

/** order create | show: production orders on the serial registry. */
export function registerOrderCommands(program: Command, context: () => Promise<CliContext>): void {
  const order = program.command("order").description("production orders");
  order
    .command("create")
    .description("open a production order: the most codes that may ever be released for it")
    .requiredOption("--gtin <gtin>", "GTIN-8/12/13/14 under one of the brand's prefixes")
    .requiredOption("--quantity <n>", "planned quantity", positiveInt("quantity"))
    .requiredOption("--lot <lot>", "batch/lot number (GS1 AI 10)")
    .option("--expiry <date>", "expiry date, YYMMDD or YYYY-MM-DD")
    .option(
      "--producer <id>",
      "producer or licensee participant id (default: the brand itself)",
      positiveInt("producer"),
    )
    .option("--erp-ref <ref>", "the ERP's order reference: an order opens once per reference")
    .action(async (opts: CreateOptions) => {
      const gtin = BigInt(normalizeGtin(opts.gtin));
      checkLot(opts.lot);
      const expiry = opts.expiry === undefined ? 0 : expiryOf(opts.expiry);
      if (opts.erpRef !== undefined && opts.erpRef.trim() === "")
        throw new ValidationError("erp-ref", opts.erpRef, "must not be empty");
      const erp = opts.erpRef ? keccak256(toHex(opts.erpRef)) : (`0x${"00".repeat(32)}` as const);
      const ctx = await context();
      const ledger = await ctx.ledger(true);
      // without --producer the brand produces in-house: the signer's own participant
      const producer =
        opts.producer ?? (await ledger.read(() => ledger.registry.read.participantOfKey([ledger.account.address])))[0];
      const { result: id, receipt } = await ledger.write(() =>
        ledger.serials.simulate.openOrder([gtin, BigInt(opts.quantity), opts.lot, expiry, producer, erp]),
      );
      emit(
        ctx,
        { order: id, transaction: receipt.transactionHash },
        `order ${id} opened: ${opts.quantity} x ${opts.gtin} lot ${opts.lot}`,
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
      const released = await ledger.read(() =>
        ledger.publicClient.getContractEvents({
          address: ledger.serials.address,
          abi: ledger.serials.abi,
          eventName: "BatchReleased",
          args: { order: BigInt(id) },
          fromBlock: BigInt(ledger.options.deployment.contracts.SerialRegistry.block),
        }),
      );
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
