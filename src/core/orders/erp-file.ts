import { ValidationError } from "../errors";
import { parseCsv } from "./csv";
import { checkOrder, type OrderInput, type RawOrder } from "./order-input";

/** An order read from an ERP export, with the line it came from. */
export type ErpOrder = OrderInput & { line: number; erpRef: string };

/** A rejected row: where it is and what is wrong with it. */
export interface RowProblem {
  line: number;
  error: ValidationError;
}

/** Every order of a file, and every problem of every bad row. */
export interface ErpFile {
  orders: ErpOrder[];
  problems: RowProblem[];
  /** columns (or JSON keys) the import does not use, reported so nothing is dropped unnoticed */
  ignored: string[];
}

/** Column names an ERP export may use for each field, compared without case, spaces, `_` or `-`. */
const ALIASES: Record<keyof RawOrder, string[]> = {
  gtin: ["gtin", "gtin14", "itemgtin", "ai01"],
  quantity: ["quantity", "qty", "plannedquantity", "planned"],
  lot: ["lot", "batch", "lotnumber", "batchnumber", "batchlot", "ai10"],
  expiry: ["expiry", "expirydate", "expiration", "expirationdate", "ai17"],
  producer: ["producer", "producerid", "producergln", "licensee", "licenseegln"],
  erpRef: ["erpref", "erpreference", "orderref", "orderreference", "ordernumber", "productionorder"],
};

const fieldOfColumn = (name: string): keyof RawOrder | undefined => {
  const key = name.toLowerCase().replace(/[\s_\-.]/g, "");
  return (Object.keys(ALIASES) as (keyof RawOrder)[]).find((f) => ALIASES[f].includes(key));
};

/** Parses and checks an ERP export (CSV with a header row, or a JSON array of order objects). */
export function parseErpFile(content: string, format: "csv" | "json"): ErpFile {
  const entries = format === "csv" ? csvEntries(content) : jsonEntries(content);
  const orders: ErpOrder[] = [];
  const problems: RowProblem[] = [];
  const seen = new Map<string, number>();
  for (const { line, raw } of entries.rows) {
    if (raw === undefined) {
      problems.push({ line, error: new ValidationError("order", "", "must be an object of order fields") });
      continue;
    }
    const checked = checkOrder(raw, { requireErpRef: true });
    if (Array.isArray(checked)) {
      for (const error of checked) problems.push({ line, error });
      continue;
    }
    const erpRef = checked.erpRef as string;
    const first = seen.get(erpRef);
    if (first !== undefined) {
      problems.push({ line, error: new ValidationError("erp_ref", erpRef, `repeats line ${first}`) });
      continue;
    }
    seen.set(erpRef, line);
    orders.push({ ...checked, erpRef, line });
  }
  return { orders, problems, ignored: entries.ignored };
}

interface Entries {
  /** raw is undefined for an entry that is not an object */
  rows: { line: number; raw: RawOrder | undefined }[];
  ignored: string[];
}

function csvEntries(content: string): Entries {
  const [header, ...records] = parseCsv(content);
  if (!header) throw new ValidationError("file", "", "is empty: expected a header row and orders");
  const fields = header.cells.map((c) => fieldOfColumn(c.trim()));
  requireColumns(fields, "column");
  const ignored = header.cells.filter((_, i) => fields[i] === undefined).map((c) => c.trim());
  const rows = records.map(({ line, cells }) => {
    const raw: RawOrder = {};
    fields.forEach((f, i) => {
      if (f) raw[f] = cells[i];
    });
    return { line, raw };
  });
  return { rows, ignored };
}

function jsonEntries(content: string): Entries {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch (e) {
    throw new ValidationError("file", content.slice(0, 40), `is not JSON (${(e as Error).message})`);
  }
  const wrapped = !Array.isArray(parsed) && typeof parsed === "object" && parsed !== null && "orders" in parsed;
  const list = wrapped ? (parsed as { orders: unknown }).orders : parsed;
  if (!Array.isArray(list))
    throw new ValidationError("file", parsed, 'expected an array of orders or {"orders": [...]}');
  const lines = elementLines(content, wrapped ? 2 : 1);
  const ignored = new Set<string>();
  const rows = list.map((entry, i) => {
    const line = lines.length === list.length ? lines[i] : i + 1;
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) return { line, raw: undefined };
    const raw: RawOrder = {};
    for (const [k, v] of Object.entries(entry)) {
      const f = fieldOfColumn(k);
      if (f) raw[f] = v;
      else ignored.add(k);
    }
    return { line, raw };
  });
  return { rows, ignored: [...ignored] };
}

function requireColumns(fields: (keyof RawOrder | undefined)[], what: string): void {
  for (const needed of ["gtin", "quantity", "lot", "erpRef"] as const) {
    if (!fields.includes(needed)) {
      throw new ValidationError(needed === "erpRef" ? "erp_ref" : needed, "", `the file has no ${what} for it`);
    }
  }
}

/** The line each value at `depth` starts on: JSON.parse keeps no positions, so scan for them. */
function elementLines(text: string, depth: number): number[] {
  const lines: number[] = [];
  let line = 1;
  let level = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\n") line++;
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    if (c === "{" || c === "[") {
      if (level === depth) lines.push(line);
      level++;
    } else if (c === "]" || c === "}") level--;
    else if (level === depth && !/[\s,:]/.test(c) && /[[,]/.test(text[prevNonSpace(text, i)])) {
      lines.push(line); // a scalar element: its first character follows "[" or ","
    }
  }
  return lines;
}

function prevNonSpace(text: string, i: number): number {
  let j = i - 1;
  while (j >= 0 && /\s/.test(text[j])) j--;
  return j;
}
