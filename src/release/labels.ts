import { createReadStream } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import QRCode from "qrcode";
import { ValidationError } from "../core/errors";
import { fileExists } from "../fs/file-exists";

export const LABEL_FORMATS = ["svg", "png"] as const;
export type LabelFormat = (typeof LABEL_FORMATS)[number];

export function labelFormatOf(value: string): LabelFormat {
  if (!(LABEL_FORMATS as readonly string[]).includes(value)) {
    throw new ValidationError("labels", value, `one of ${LABEL_FORMATS.join(", ")}`);
  }
  return value as LabelFormat;
}

/** QR settings for a printed Digital Link: error correction M (GS1's recommendation), a quiet zone of 4. */
const QR = { errorCorrectionLevel: "M", margin: 4 } as const;

/**
 * One QR label per code of codes.csv, named <serial>.<format> in `dir`: the code's Digital Link,
 * the serial printed under it in the SVG. Labels already written are kept, so an interrupted run
 * resumes where it stopped; each file appears whole (written aside, then renamed).
 */
export async function writeLabels(options: {
  codesCsv: string;
  dir: string;
  format: LabelFormat;
  onProgress?: (done: number) => void;
}): Promise<number> {
  await mkdir(options.dir, { recursive: true });
  const lines = createInterface({ input: createReadStream(options.codesCsv), crlfDelay: Infinity });
  let done = 0;
  let header = true;
  for await (const line of lines) {
    if (header) {
      header = false;
      continue;
    }
    if (line === "") continue;
    const [, serial, url] = line.split(",");
    const file = join(options.dir, `${serial}.${options.format}`);
    if (!(await fileExists(file))) {
      const bytes =
        options.format === "png"
          ? await QRCode.toBuffer(url, { ...QR, type: "png", scale: 8 })
          : withCaption(await QRCode.toString(url, { ...QR, type: "svg" }), serial);
      await writeFile(`${file}.tmp`, bytes);
      await rename(`${file}.tmp`, file);
    }
    if (++done % 1000 === 0) options.onProgress?.(done);
  }
  options.onProgress?.(done);
  return done;
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
