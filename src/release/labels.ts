import { createReadStream } from "node:fs";
import { mkdir, rename, writeFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import bwipjs from "bwip-js";
import QRCode from "qrcode";
import { labelExtension, type LabelFormat } from "./label-format";

/** Whether something is at `path` (missing or unreadable: absent). */
const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

export { LABEL_FORMATS, labelExtension, labelFormatOf, type LabelFormat } from "./label-format";

/** What the element string carries beside the GTIN and serial: the order's lot and expiry. */
export interface LabelBatch {
  lot?: string;
  /** YYYYMMDD (day 00: the end of the month), as the order holds it */
  expiry?: string;
}

/**
 * The AIs of a code's element string with their values, in the order GS1 recommends (fixed-length
 * AIs first, the serial last): (01) GTIN, (17) expiry YYMMDD, (10) lot, (21) serial.
 */
export function elementParts(gtin: string, serial: string, batch: LabelBatch): [ai: string, value: string][] {
  return [
    ["01", gtin],
    ...(batch.expiry ? [["17", batch.expiry.slice(2, 8)] as [string, string]] : []),
    ...(batch.lot ? [["10", batch.lot] as [string, string]] : []),
    ["21", serial],
  ];
}

/** The element string in bracketed form: (01)...(17)...(10)...(21)... */
export function elementString(gtin: string, serial: string, batch: LabelBatch): string {
  return elementParts(gtin, serial, batch)
    .map(([ai, value]) => `(${ai})${value}`)
    .join("");
}

/** The element string as people read it under the symbol: "(01) 10614141073464 (10) L1 (21) ...". */
export function humanReadable(parts: readonly [string, string][]): string[] {
  return parts.map(([ai, value]) => `(${ai}) ${value}`);
}

/** AIs whose values have a fixed length: no FNC1 after them. */
const FIXED_LENGTH_AIS = new Set(["01", "17"]);

/**
 * The element string as a GS1 DataMatrix encodes it, in bwip-js's FNC1 notation: FNC1 first, then
 * each AI and its value, and FNC1 as the separator after a variable-length value that another AI
 * follows. Written out rather than parsed from the brackets, so that a lot or serial with brackets
 * in it (GS1 AI 82 allows them) is carried as it is.
 */
export function dataMatrixText(parts: readonly [string, string][]): string {
  return (
    "^FNC1" +
    parts
      .map(([ai, value], i) => `${ai}${value}${i < parts.length - 1 && !FIXED_LENGTH_AIS.has(ai) ? "^FNC1" : ""}`)
      .join("")
  );
}

/** One label's bytes: the symbol and its human-readable text, on white, with its quiet zone. */
export async function labelBytes(
  format: LabelFormat,
  code: { gtin: string; serial: string; url: string },
  batch: LabelBatch,
): Promise<Buffer | string> {
  if (format === "svg") return withCaption(await QRCode.toString(code.url, { ...QR, type: "svg" }), code.serial);
  if (format === "png" || format === "qr") return QRCode.toBuffer(code.url, { ...QR, type: "png", scale: 8 });
  const parts = elementParts(code.gtin, code.serial, batch);
  const gs1 = format === "datamatrix";
  return bwipjs.toBuffer({
    bcid: "datamatrix",
    text: gs1 ? dataMatrixText(parts) : code.url,
    // a GS1 DataMatrix: FNC1 first and between variable-length values (^FNC1 in the text above)
    parsefnc: gs1,
    scale: 6,
    padding: 6,
    backgroundcolor: "FFFFFF",
    includetext: true,
    alttext: gs1 ? humanReadable(parts).join(" ") : code.url,
    textsize: 8,
    textxalign: "center",
  });
}

/** QR settings for a printed Digital Link: error correction M (GS1's recommendation), a quiet zone of 4. */
const QR = { errorCorrectionLevel: "M", margin: 4 } as const;

/**
 * One label per code of codes.csv, named <serial>.<svg|png> in `dir` (see LABEL_FORMATS). Labels already written are kept, so an interrupted run
 * resumes where it stopped; each file appears whole (written aside, then renamed).
 */
export async function writeLabels(options: {
  codesCsv: string;
  dir: string;
  format: LabelFormat;
  /** the lot and expiry the element string of a GS1 DataMatrix carries */
  batch?: LabelBatch;
  onProgress?: (done: number) => void;
}): Promise<number> {
  await mkdir(options.dir, { recursive: true });
  let done = 0;
  for await (const { gtin, serial, url } of codesCsvRows(options.codesCsv)) {
    const file = join(options.dir, `${serial}.${labelExtension(options.format)}`);
    if (!(await exists(file))) {
      const bytes = await labelBytes(options.format, { gtin, serial, url }, options.batch ?? {});
      await writeFile(`${file}.tmp`, bytes);
      await rename(`${file}.tmp`, file);
    }
    if (++done % 1000 === 0) options.onProgress?.(done);
  }
  options.onProgress?.(done);
  return done;
}

/** The codes of a release's codes.csv (gtin,serial,url), read a line at a time: a release may hold millions. */
export async function* codesCsvRows(path: string): AsyncGenerator<{ gtin: string; serial: string; url: string }> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let header = true;
  for await (const line of lines) {
    if (header) {
      header = false;
      continue;
    }
    if (line === "") continue;
    const [gtin, serial, url] = line.split(",");
    yield { gtin, serial, url };
  }
}

/** The serial in human-readable text under the symbol, as GS1 labels carry it. */
function withCaption(svg: string, serial: string): string {
  const box = /viewBox="0 0 (\d+) (\d+)"/.exec(svg);
  if (!box) return svg;
  const [w, h] = [Number(box[1]), Number(box[2])];
  return svg
    .replace(box[0], `viewBox="0 0 ${w} ${h + 4}"`)
    .replace(
      "</svg>",
      `<rect y="${h}" width="${w}" height="4" fill="#ffffff"/><text x="${w / 2}" y="${h + 2.5}" font-family="monospace" font-size="2.4" text-anchor="middle">(21) ${serial}</text></svg>`,
    );
}
