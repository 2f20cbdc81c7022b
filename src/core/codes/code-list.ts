import { ValidationError } from "../errors";
import { checkSerial, parseDigitalLink } from "../gs1/digital-link";
import type { Gtin14 } from "../gs1/gtin";
import { parseCsv } from "../orders/csv";
import type { RowProblem } from "../orders/erp-file";

/** One code of a list, and the line it is on. */
export interface ListedCode {
  line: number;
  serial: string;
}

/**
 * Reads a list of a product's codes, one per line, as a brand has them to hand: a codes.csv (gtin,
 * serial, url), GS1 Digital Link URLs scanned off labels, or bare serials. Every code must be of
 * `gtin`; a bad line names its number. Repeats are refused (voiding a code twice is a mistake).
 */
export function parseCodeList(text: string, gtin: Gtin14): { codes: ListedCode[]; problems: RowProblem[] } {
  const codes: ListedCode[] = [];
  const problems: RowProblem[] = [];
  const seen = new Map<string, number>();
  const records = parseCsv(text);
  const header = records[0]?.cells.map((c) => c.trim().toLowerCase());
  const csv = header !== undefined && header.includes("serial");
  const serialColumn = csv ? header.indexOf("serial") : 0;
  const gtinColumn = csv ? header.indexOf("gtin") : -1;
  for (const { line, cells } of csv ? records.slice(1) : records) {
    try {
      const value = (cells[serialColumn] ?? "").trim();
      let serial: string;
      if (!csv && /^https?:\/\//i.test(value)) {
        const link = parseDigitalLink(value, `line ${line}`);
        if (link.gtin !== gtin) throw new ValidationError("gtin", link.gtin, `this batch is of GTIN ${gtin}`);
        serial = link.serial;
      } else {
        if (gtinColumn >= 0 && cells[gtinColumn].trim().padStart(14, "0") !== gtin) {
          throw new ValidationError("gtin", cells[gtinColumn], `this batch is of GTIN ${gtin}`);
        }
        serial = checkSerial(value);
      }
      const first = seen.get(serial);
      if (first !== undefined) throw new ValidationError("serial", serial, `repeats line ${first}`);
      seen.set(serial, line);
      codes.push({ line, serial });
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      problems.push({ line, error: e });
    }
  }
  return { codes, problems };
}
