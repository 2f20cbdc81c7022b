import { expect } from "chai";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PNG } from "pngjs";
import { prepareZXingModule, readBarcodes } from "zxing-wasm/reader";
import { elementString, labelExtension, writeLabels, type LabelFormat } from "../../src/release/labels";
import { parseCodeInput } from "../../src/verify-web/client/code-input";

const GTIN = "10614141073464";
const CODES = [
  { serial: "A1b2C3d4E5f", url: `https://brand.example/01/${GTIN}/10/L-7/21/A1b2C3d4E5f` },
  { serial: "0000XYZ", url: `https://brand.example/01/${GTIN}/10/L-7/21/0000XYZ` },
];
const BATCH = { lot: "L-7", expiry: "20280600" };

// the decoder's WebAssembly from the package itself: nothing is fetched
prepareZXingModule({
  overrides: { wasmBinary: readFileSync(require.resolve("zxing-wasm/reader/zxing_reader.wasm")).buffer },
});

/** What a real decoder reads from a label image: its text, symbology identifier and raw bytes. */
async function decode(file: string) {
  const image = PNG.sync.read(readFileSync(file));
  const [found] = await readBarcodes(
    { data: new Uint8ClampedArray(image.data), width: image.width, height: image.height, colorSpace: "srgb" },
    { formats: ["QRCode", "DataMatrix"], tryHarder: true },
  );
  expect(found, `nothing decoded in ${file}`).to.not.equal(undefined);
  return {
    format: found.format,
    text: found.text,
    id: found.symbologyIdentifier,
    bytes: Buffer.from(found.bytes).toString("latin1"),
  };
}

describe("release/labels", function () {
  this.timeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), "trackroot-labels-"));
  const csv = join(dir, "codes.csv");
  writeFileSync(csv, ["gtin,serial,url", ...CODES.map((c) => `${GTIN},${c.serial},${c.url}`), ""].join("\n"));

  it("writes the element string in GS1's order, expiry as YYMMDD", () => {
    expect(elementString(GTIN, "S1", BATCH)).to.equal(`(01)${GTIN}(17)280600(10)L-7(21)S1`);
    expect(elementString(GTIN, "S1", {})).to.equal(`(01)${GTIN}(21)S1`);
  });

  const kinds: [LabelFormat, string, (c: (typeof CODES)[number]) => { text: string; id: string }][] = [
    ["qr", "QRCode", (c) => ({ text: c.url, id: "]Q1" })],
    ["dl-datamatrix", "DataMatrix", (c) => ({ text: c.url, id: "]d1" })],
    ["datamatrix", "DataMatrix", (c) => ({ text: elementString(GTIN, c.serial, BATCH), id: "]d2" })],
  ];
  for (const [format, symbology, want] of kinds)
    it(`prints ${format} labels that a real decoder reads back as codes.csv says`, async () => {
      const out = join(dir, format);
      expect(await writeLabels({ codesCsv: csv, dir: out, format, batch: BATCH })).to.equal(CODES.length);
      for (const c of CODES) {
        const read = await decode(join(out, `${c.serial}.${labelExtension(format)}`));
        expect(read.format).to.equal(symbology);
        expect({ text: read.text, id: read.id }).to.deep.equal(want(c));
        // and the page reads what the scanner hands it as the same code
        const raw = format === "datamatrix" ? `${read.id}${read.bytes}` : read.text;
        expect(parseCodeInput(raw)).to.deep.include({ gtin: GTIN, serial: c.serial, lot: "L-7" });
      }
    });

  it("puts FNC1 (GS) after the variable-length lot, before the serial", async () => {
    const read = await decode(join(dir, "datamatrix", `${CODES[0].serial}.png`));
    expect(read.bytes).to.equal(`01${GTIN}17280600` + `10L-7\u001d21${CODES[0].serial}`);
  });

  it("carries a lot and a serial with brackets in them, as GS1 AI 82 allows, in a GS1 DataMatrix", async () => {
    const out = join(dir, "brackets");
    const csvWithBrackets = join(dir, "brackets.csv");
    const serial = "A(1)b";
    writeFileSync(csvWithBrackets, `gtin,serial,url\n${GTIN},${serial},https://brand.example/x\n`);
    await writeLabels({
      codesCsv: csvWithBrackets,
      dir: out,
      format: "datamatrix",
      batch: { lot: "L(7)", expiry: "20280600" },
    });
    const read = await decode(join(out, `${serial}.png`));
    expect(read.id).to.equal("]d2");
    expect(read.bytes).to.equal(`01${GTIN}17280600` + `10L(7)\u001d21${serial}`);
    expect(parseCodeInput(`${read.id}${read.bytes}`)).to.deep.include({ gtin: GTIN, serial, lot: "L(7)" });
  });
});
