import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import type { Hash } from "viem";
import { ValidationError } from "../core/errors";
import { parseErpFile, type RowProblem } from "../core/orders/erp-file";
import type { OrderDesk } from "./order-desk";
import { RowsRejectedError } from "./rows-rejected-error";

export interface ImportOrdersOptions {
  desk: OrderDesk;
  /** a .csv or .json ERP export */
  file: string;
  /** check every row and stop before sending */
  dryRun?: boolean;
  onOpened?: (line: number, order: bigint) => void;
}

export interface ImportOutcome {
  opened: { line: number; erpRef: string; order: bigint; transaction: Hash }[];
  /** rows whose ERP reference already opened an order: a re-import opens nothing twice */
  existing: { line: number; erpRef: string; order: bigint }[];
  /** rows checked and ready, when dry-running */
  ready: { line: number; erpRef: string }[];
  ignoredColumns: string[];
}

/**
 * Imports an ERP export: every row is checked (shape first, then against the chain) and every
 * problem reported with its line before any order is sent. Orders open one transaction each, in
 * file order; if the run stops midway, running it again opens only the rest.
 */
export async function importOrders(options: ImportOrdersOptions): Promise<ImportOutcome> {
  const { desk, file } = options;
  const ext = extname(file).toLowerCase();
  if (ext !== ".csv" && ext !== ".json") throw new ValidationError("file", file, "an ERP export is .csv or .json");
  let content: string;
  try {
    content = await readFile(file, "utf8");
  } catch (e) {
    throw new ValidationError("file", file, `cannot be read (${(e as NodeJS.ErrnoException).code})`);
  }
  const parsed = parseErpFile(content, ext === ".csv" ? "csv" : "json");
  const problems: RowProblem[] = [...parsed.problems];
  const outcome: ImportOutcome = { opened: [], existing: [], ready: [], ignoredColumns: parsed.ignored };
  const toOpen = [];
  for (const order of parsed.orders) {
    const existing = await desk.existingOrder(order.erpRef);
    if (existing !== undefined) {
      outcome.existing.push({ line: order.line, erpRef: order.erpRef, order: existing });
      continue;
    }
    for (const error of await desk.problemsOf(order)) problems.push({ line: order.line, error });
    toOpen.push(order);
  }
  if (problems.length > 0) {
    problems.sort((a, b) => a.line - b.line);
    throw new RowsRejectedError(
      file,
      problems,
      parsed.orders.length + new Set(parsed.problems.map((p) => p.line)).size,
    );
  }
  for (const order of toOpen) {
    if (options.dryRun) {
      outcome.ready.push({ line: order.line, erpRef: order.erpRef });
      continue;
    }
    const { order: id, transaction } = await desk.open(order);
    outcome.opened.push({ line: order.line, erpRef: order.erpRef, order: id, transaction });
    options.onOpened?.(order.line, id);
  }
  return outcome;
}
