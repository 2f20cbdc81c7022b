import type { Ledger } from "../chain/ledger";
import { licenseRows, type CodeMovement, type LicenseRow } from "../core/orders/license-report";

export interface LicenseReportOptions {
  ledger: Ledger;
  range: { from: number; to: number };
  /** only this brand's orders */
  brand?: number;
}

/**
 * Codes released and voided per producer, product and month in a date range, read from the chain's
 * events alone (the same figures any auditor can recompute), with block times as the clock.
 */
export async function licenseReport(options: LicenseReportOptions): Promise<LicenseRow[]> {
  const { ledger } = options;
  const [released, voided] = await Promise.all([
    ledger.serialsEvents("BatchReleased"),
    ledger.serialsEvents("CodesVoided"),
  ]);
  const orders = new Map<bigint, Awaited<ReturnType<typeof ledger.serials.read.order>>>();
  const orderOf = async (id: bigint) => {
    if (!orders.has(id)) orders.set(id, await ledger.read(() => ledger.serials.read.order([id])));
    return orders.get(id)!;
  };
  const batchOrder = new Map<bigint, bigint>();
  for (const e of released) batchOrder.set(e.args.batch, e.args.order);
  const times = new Map<bigint, number>();
  const timeOf = async (block: bigint) => {
    if (!times.has(block))
      times.set(
        block,
        Number((await ledger.read(() => ledger.publicClient.getBlock({ blockNumber: block }))).timestamp),
      );
    return times.get(block)!;
  };
  const movements: CodeMovement[] = [];
  const add = async (kind: CodeMovement["kind"], order: bigint, block: bigint, count: bigint) => {
    const o = await orderOf(order);
    if (options.brand !== undefined && o.brand !== options.brand) return;
    movements.push({
      kind,
      producer: o.producer,
      gtin: o.gtin.toString().padStart(14, "0"),
      timestamp: await timeOf(block),
      count,
    });
  };
  for (const e of released) await add("released", e.args.order, e.blockNumber, BigInt(e.args.count));
  for (const e of voided) await add("voided", batchOrder.get(e.args.batch)!, e.blockNumber, BigInt(e.args.count));
  const participants = new Map<number, { name: string; gln: string }>();
  for (const m of movements) {
    if (!participants.has(m.producer)) {
      const p = await ledger.read(() => ledger.registry.read.participant([m.producer]));
      participants.set(m.producer, { name: p.name, gln: p.gln.toString().padStart(13, "0") });
    }
  }
  return licenseRows(movements, options.range, (id) => participants.get(id)!);
}
