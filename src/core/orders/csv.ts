import { ValidationError } from "../errors";

/** One CSV record with the line it starts on (1-based, counting the header). */
export interface CsvRecord {
  line: number;
  cells: string[];
}

/**
 * Parses RFC 4180 CSV: quoted fields with doubled quotes and embedded line breaks, CRLF or LF, an
 * optional UTF-8 byte order mark, `,` or `;` (as a spreadsheet in many locales exports) chosen from
 * the header. Blank lines are skipped. An unterminated quote names its line.
 */
export function parseCsv(input: string): CsvRecord[] {
  const s = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const headerEnd = s.search(/\r?\n|$/);
  const header = s.slice(0, headerEnd);
  const delimiter = (header.match(/;/g)?.length ?? 0) > (header.match(/,/g)?.length ?? 0) ? ";" : ",";
  const records: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  while (i < s.length) {
    const start = line;
    const cells: string[] = [];
    let cell = "";
    let quoted = false;
    let atCellStart = true;
    for (; i < s.length; i++) {
      const c = s[i];
      if (quoted) {
        if (c === '"') {
          if (s[i + 1] === '"') {
            cell += '"';
            i++;
          } else quoted = false;
        } else {
          if (c === "\n") line++;
          cell += c;
        }
      } else if (c === '"' && atCellStart) {
        quoted = true;
        atCellStart = false;
      } else if (c === delimiter) {
        cells.push(cell);
        cell = "";
        atCellStart = true;
      } else if (c === "\n" || (c === "\r" && s[i + 1] === "\n")) {
        i += c === "\r" ? 2 : 1;
        break;
      } else {
        cell += c;
        atCellStart = false;
      }
    }
    if (quoted) throw new ValidationError(`line ${start}`, cell.slice(0, 40), "a quoted field is never closed");
    cells.push(cell);
    if (!(cells.length === 1 && cells[0].trim() === "")) records.push({ line: start, cells });
    line++;
  }
  return records;
}
