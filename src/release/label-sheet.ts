import { createWriteStream } from "node:fs";
import { rename, stat } from "node:fs/promises";
import { deflateSync } from "node:zlib";
import bwipjs from "bwip-js";
import QRCode from "qrcode";
import { codesCsvRows, dataMatrixText, elementParts, humanReadable, type LabelBatch, type LabelFormat } from "./labels";

/** Whether something is at `path` (missing or unreadable: absent). */
const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/**
 * A printable sheet of a release's labels: A4 PDF pages of 21 labels (3 × 7 of 63.5 × 38.1 mm, the
 * common office label sheet), each symbol drawn as vector squares (sharp at any printer's
 * resolution), its human-readable text beside it in Helvetica (a PDF base font: nothing embedded).
 */

const MM = 72 / 25.4;
/** A4 and the 21-up sheet's geometry, in points */
export const SHEET = {
  width: 210 * MM,
  height: 297 * MM,
  columns: 3,
  rows: 7,
  label: { width: 63.5 * MM, height: 38.1 * MM },
  margin: { left: 7.25 * MM, top: 15.15 * MM },
  pitch: { x: 66 * MM, y: 38.1 * MM },
} as const;
export const LABELS_PER_PAGE = SHEET.columns * SHEET.rows;
/** The module size: 0.5 mm, within GS1's range for DataMatrix on healthcare packs (0.254 to 0.990 mm) */
const MODULE = 0.5 * MM;

/** A symbol's dark modules, row by row from the top. */
export interface SymbolMatrix {
  columns: number;
  rows: number;
  dark(x: number, y: number): boolean;
}

/** The symbol a label of `format` carries, as modules: what a printer draws. */
export function symbolMatrix(
  format: LabelFormat,
  code: { gtin: string; serial: string; url: string },
  batch: LabelBatch,
): SymbolMatrix {
  if (format === "datamatrix" || format === "dl-datamatrix") {
    const gs1 = format === "datamatrix";
    const [symbol] = bwipjs.raw({
      bcid: "datamatrix",
      text: gs1 ? dataMatrixText(elementParts(code.gtin, code.serial, batch)) : code.url,
      parsefnc: gs1,
    }) as unknown as { pixs: number[]; pixx: number; pixy: number }[];
    return { columns: symbol.pixx, rows: symbol.pixy, dark: (x, y) => symbol.pixs[y * symbol.pixx + x] === 1 };
  }
  const { modules } = QRCode.create(code.url, { errorCorrectionLevel: "M" });
  return { columns: modules.size, rows: modules.size, dark: (x, y) => modules.get(y, x) === 1 };
}

/** The human-readable text under GS1's rules: the element string's AIs in brackets, or the link. */
export function labelLines(
  format: LabelFormat,
  code: { gtin: string; serial: string; url: string },
  batch: LabelBatch,
): string[] {
  if (format === "datamatrix") return humanReadable(elementParts(code.gtin, code.serial, batch));
  // a link wraps at 30 characters, the width of the text column
  return [`(21) ${code.serial}`, ...(code.url.match(/.{1,30}/g) ?? [])];
}

/** PDF literal string: backslash, brackets escaped; the text is ASCII (GS1 AI 82 and URLs). */
const pdfString = (s: string) => `(${s.replace(/[\\()]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, "?")})`;
const n = (v: number) => v.toFixed(2).replace(/\.?0+$/, "");

/** One label's drawing operators, its cell's lower left corner at (x, y). */
function labelOps(symbol: SymbolMatrix, lines: string[], x: number, y: number): string {
  const quiet = 2 * MODULE;
  const side = Math.max(symbol.columns, symbol.rows) * MODULE;
  const left = x + quiet + 2 * MM;
  const top = y + SHEET.label.height - (SHEET.label.height - side) / 2;
  const ops: string[] = [];
  for (let row = 0; row < symbol.rows; row++) {
    // a run of dark modules is one rectangle
    for (let col = 0; col < symbol.columns; ) {
      if (!symbol.dark(col, row)) {
        col++;
        continue;
      }
      const start = col;
      while (col < symbol.columns && symbol.dark(col, row)) col++;
      ops.push(
        `${n(left + start * MODULE)} ${n(top - (row + 1) * MODULE)} ${n((col - start) * MODULE)} ${n(MODULE)} re`,
      );
    }
  }
  ops.push("f");
  const textX = left + side + quiet + 2 * MM;
  const size = lines.length > 4 ? 6 : 7;
  ops.push(
    `BT /F1 ${size} Tf ${n(size * 1.25)} TL ${n(textX)} ${n(y + SHEET.label.height / 2 + ((lines.length - 1) * size * 1.25) / 2)} Td`,
  );
  lines.forEach((line, i) => ops.push(`${i ? "T* " : ""}${pdfString(line)} Tj`));
  ops.push("ET");
  return ops.join("\n");
}

/**
 * Writes `file`: the labels of every code in codes.csv, in its order, 21 to an A4 page. A sheet
 * already written is kept (a release re-run resumes); the file appears whole (written aside, then
 * renamed). Returns the number of labels.
 */
export async function writeLabelSheet(options: {
  codesCsv: string;
  file: string;
  format: LabelFormat;
  batch?: LabelBatch;
  onProgress?: (done: number) => void;
}): Promise<{ labels: number; pages: number }> {
  const codes: { gtin: string; serial: string; url: string }[] = [];
  if (await exists(options.file)) {
    let count = 0;
    for await (const _ of codesCsvRows(options.codesCsv)) count++;
    return { labels: count, pages: Math.ceil(count / LABELS_PER_PAGE) };
  }
  const out = createWriteStream(`${options.file}.tmp`);
  const pdf = new PdfWriter((bytes) => out.write(bytes));
  // objects 1 to 3: catalog, page tree (written last, when its pages are known), font
  pdf.object(1, "<< /Type /Catalog /Pages 2 0 R >>");
  pdf.object(3, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
  const pages: number[] = [];
  let labels = 0;
  const flush = async () => {
    if (codes.length === 0) return;
    const ops = codes.map((code, i) => {
      const column = i % SHEET.columns;
      const row = Math.floor(i / SHEET.columns);
      const x = SHEET.margin.left + column * SHEET.pitch.x;
      const y = SHEET.height - SHEET.margin.top - (row + 1) * SHEET.pitch.y;
      return labelOps(
        symbolMatrix(options.format, code, options.batch ?? {}),
        labelLines(options.format, code, options.batch ?? {}),
        x,
        y,
      );
    });
    const content = deflateSync(Buffer.from(ops.join("\n"), "latin1"));
    const contentId = pdf.next();
    pdf.object(contentId, `<< /Length ${content.length} /Filter /FlateDecode >>`, content);
    const pageId = pdf.next();
    pdf.object(
      pageId,
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${n(SHEET.width)} ${n(SHEET.height)}] /Resources << /Font << /F1 3 0 R >> >> /Contents ${contentId} 0 R >>`,
    );
    pages.push(pageId);
    labels += codes.length;
    codes.length = 0;
    options.onProgress?.(labels);
    // let the file stream drain before the next page
    if (out.writableNeedDrain) await new Promise<void>((r) => out.once("drain", () => r()));
  };
  for await (const code of codesCsvRows(options.codesCsv)) {
    codes.push(code);
    if (codes.length === LABELS_PER_PAGE) await flush();
  }
  await flush();
  pdf.object(2, `<< /Type /Pages /Kids [${pages.map((p) => `${p} 0 R`).join(" ")}] /Count ${pages.length} >>`);
  pdf.end();
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  await rename(`${options.file}.tmp`, options.file);
  return { labels, pages: pages.length };
}

/** The few PDF 1.4 structures a sheet needs: numbered objects, streams, the cross-reference table. */
class PdfWriter {
  private offset = 0;
  private readonly offsets = new Map<number, number>();
  private last = 3;

  constructor(private readonly sink: (bytes: Buffer) => void) {
    // the binary comment line tells transfer programs the file is binary
    this.write(Buffer.from("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "latin1"));
  }

  next(): number {
    return ++this.last;
  }

  object(id: number, dictionary: string, stream?: Buffer): void {
    this.offsets.set(id, this.offset);
    this.write(Buffer.from(`${id} 0 obj\n${dictionary}\n`, "latin1"));
    if (stream) this.write(Buffer.concat([Buffer.from("stream\n"), stream, Buffer.from("\nendstream\n")]));
    this.write(Buffer.from("endobj\n"));
  }

  end(): void {
    const size = this.last + 1;
    const xref = this.offset;
    const rows = ["xref", `0 ${size}`, "0000000000 65535 f "];
    for (let id = 1; id < size; id++) rows.push(`${String(this.offsets.get(id) ?? 0).padStart(10, "0")} 00000 n `);
    this.write(
      Buffer.from(
        `${rows.join("\n")}\ntrailer\n<< /Size ${size} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`,
        "latin1",
      ),
    );
  }

  private write(bytes: Buffer): void {
    this.offset += bytes.length;
    this.sink(bytes);
  }
}
