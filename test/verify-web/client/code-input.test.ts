import { expect } from "chai";
import { codeOfPath, parseCodeInput, pathOfCode } from "../../../src/verify-web/client/code-input";

const GTIN = "10614141073464";

describe("verify-web/client code input", () => {
  const accepted: [string, string, { gtin: string; serial: string; lot?: string }][] = [
    ["a Digital Link on any host", `https://brand.example/01/${GTIN}/21/AB12`, { gtin: GTIN, serial: "AB12" }],
    [
      "a Digital Link with a lot and data attributes",
      `https://id.gs1.org/01/${GTIN}/10/L1/21/AB12?17=280630`,
      { gtin: GTIN, serial: "AB12", lot: "L1" },
    ],
    [
      "a GTIN-13 in a Digital Link, made GTIN-14",
      "https://id.gs1.org/01/0614141073467/21/X",
      {
        gtin: "00614141073467",
        serial: "X",
      },
    ],
    ["a bracketed element string", `(01)${GTIN}(21)AB12`, { gtin: GTIN, serial: "AB12" }],
    ["a bracketed element string with a lot", `(01)${GTIN}(10)L1(21)AB12`, { gtin: GTIN, serial: "AB12", lot: "L1" }],
    [
      "a DataMatrix's raw string",
      `]d201${GTIN}17280630 10L1\u001d21AB12`.replace(" ", ""),
      {
        gtin: GTIN,
        serial: "AB12",
        lot: "L1",
      },
    ],
    ["surrounding blanks", `  (01)${GTIN}(21)AB12 \n`, { gtin: GTIN, serial: "AB12" }],
  ];
  for (const [what, input, code] of accepted) {
    it(`reads ${what}`, () => {
      expect(parseCodeInput(input)).to.deep.equal(code);
    });
  }

  const refused: [string, string, RegExp][] = [
    ["nothing", "   ", /type or scan/],
    ["free text", "hello", /expected a link/],
    ["a link without a serial", `https://id.gs1.org/01/${GTIN}`, /no \/21\//],
    ["a bad check digit", `(01)10614141073465(21)A`, /check digit/],
    ["a serial outside AI 82", `(01)${GTIN}(21)A B`, /outside GS1 AI 82/],
    ["an element string without a serial", `(01)${GTIN}`, /no \(21\) serial/],
    ["garbage between elements", `(01)${GTIN}x(21`, /bracketed element string/],
  ];
  for (const [what, input, reason] of refused) {
    it(`refuses ${what}, saying what is wrong`, () => {
      expect(() => parseCodeInput(input)).to.throw(reason);
    });
  }

  it("reads this site's Digital Link paths, and nothing else, as codes", () => {
    expect(codeOfPath("http://site", `/01/${GTIN}/21/A%2FB`)).to.deep.equal({ gtin: GTIN, serial: "A/B" });
    expect(codeOfPath("http://site", "/")).to.equal(null);
    expect(() => codeOfPath("http://site", `/01/${GTIN}/21/`)).to.throw(/come in \/\{ai\}\/\{value\} pairs/);
  });

  it("writes a code's path so that it reads back the same", () => {
    const code = { gtin: GTIN, serial: "A/B%", lot: "L 1".replace(" ", "-") };
    expect(codeOfPath("http://site", pathOfCode(code))).to.deep.equal(code);
  });
});
