import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PNG } from "pngjs";
import { prepareZXingModule, readBarcodes } from "zxing-wasm/reader";
import { LABELS_PER_PAGE, writeLabelSheet } from "../../src/release/label-sheet";
import { elementString, type LabelFormat } from "../../src/release/labels";

const GTIN = "10614141073464";
const BATCH = { lot: "L-7", expiry: "20280600" };
// 25 codes: a full page of 21 and four on the second
const CODES = Array.from({ length: 25 }, (_, i) => {
  const serial = `S${i}x7Yq`;
  return { serial, url: `https://brand.example/01/${GTIN}/10/L-7/21/${serial}` };
});

prepareZXingModule({
  overrides: { wasmBinary: readFileSync(require.resolve("zxing-wasm/reader/zxing_reader.wasm")).buffer },
});

/** poppler's tools, which CI installs (.ci/run): a sheet is checked as a printer's driver would draw it. */
function poppler(tool: string, args: string[]): string {
  try {
    return execFileSync(tool, args, { encoding: "latin1" });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT")
      throw new Error(`${tool} is missing: apt-get install poppler-utils (.ci/run installs it)`);
    throw e;
  }
}

/** Every symbol a real decoder finds on each page of the PDF, drawn at 300 dpi. */
async function decodePages(pdf: string, dir: string): Promise<{ text: string; id: string; page: number }[][]> {
  poppler("pdftoppm", ["-r", "300", "-gray", "-png", pdf, join(dir, "page")]);
  const pages = readdirSync(dir)
    .filter((f) => f.startsWith("page") && f.endsWith(".png"))
    .sort();
  const found: { text: string; id: string; page: number }[][] = [];
  for (const [i, file] of pages.entries()) {
    const png = PNG.sync.read(readFileSync(join(dir, file)));
    const symbols = await readBarcodes(
      { data: new Uint8ClampedArray(png.data), width: png.width, height: png.height, colorSpace: "srgb" },
      { formats: ["QRCode", "DataMatrix"], maxNumberOfSymbols: 64 },
    );
    found.push(symbols.map((s) => ({ text: s.text, id: s.symbologyIdentifier, page: i + 1 })));
  }
  return found;
}

describe("release/label-sheet (a release's labels on printable A4 sheets)", function () {
  this.timeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), "trackroot-sheet-"));
  const csv = join(dir, "codes.csv");
  writeFileSync(csv, ["gtin,serial,url", ...CODES.map((c) => `${GTIN},${c.serial},${c.url}`), ""].join("\n"));

  const kinds: [LabelFormat, (c: (typeof CODES)[number]) => string, string][] = [
    ["datamatrix", (c) => elementString(GTIN, c.serial, BATCH), "]d2"],
    ["qr", (c) => c.url, "]Q1"],
    ["dl-datamatrix", (c) => c.url, "]d1"],
  ];
  for (const [format, want, id] of kinds)
    it(`prints ${format} labels 21 to an A4 page that a real decoder reads back, each once, as codes.csv says`, async () => {
      const out = mkdtempSync(join(dir, `${format}-`));
      const pdf = join(out, "labels.pdf");
      expect(await writeLabelSheet({ codesCsv: csv, file: pdf, format, batch: BATCH })).to.deep.equal({
        labels: 25,
        pages: 2,
      });
      const info = poppler("pdfinfo", [pdf]);
      expect(info)
        .to.match(/Pages:\s+2/)
        .and.match(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
      const pages = await decodePages(pdf, out);
      expect(pages.map((p) => p.length)).to.deep.equal([LABELS_PER_PAGE, 25 - LABELS_PER_PAGE]);
      const read = pages.flat();
      expect(read.map((r) => r.text).sort()).to.deep.equal(CODES.map(want).sort());
      expect(new Set(read.map((r) => r.id))).to.deep.equal(new Set([id]));
      // in codes.csv's order: the first page holds the first 21
      expect(pages[1].map((r) => r.text).sort()).to.deep.equal(CODES.slice(LABELS_PER_PAGE).map(want).sort());
      // the human-readable text beside each symbol
      const text = poppler("pdftotext", ["-layout", pdf, "-"]);
      for (const c of CODES) expect(text).to.include(`(21) ${c.serial}`);
      if (format === "datamatrix")
        expect(text).to.include(`(01) ${GTIN}`).and.include("(17) 280600").and.include("(10) L-7");
    });

  it("keeps a sheet already written, so a re-run of the release resumes without drawing it again", async () => {
    const pdf = join(dir, "kept.pdf");
    await writeLabelSheet({ codesCsv: csv, file: pdf, format: "qr" });
    const before = statSync(pdf).mtimeMs;
    expect(await writeLabelSheet({ codesCsv: csv, file: pdf, format: "qr" })).to.deep.equal({ labels: 25, pages: 2 });
    expect(statSync(pdf).mtimeMs).to.equal(before);
  });
});
