import { expect } from "chai";
import { normalizeGtin, normalizeGln, normalizeCompanyPrefix } from "../../../src/core/gs1/gtin";
import { parseSscc, formatSscc } from "../../../src/core/gs1/sscc";
import { parseDigitalLink, formatDigitalLink } from "../../../src/core/gs1/digital-link";
import { toSgtinUrn, parseSgtinUrn, epcUriToDigitalLink } from "../../../src/core/gs1/epc-uri";
import { ValidationError } from "../../../src/core/errors";

describe("core/gs1", () => {
  describe("GTIN", () => {
    const good: [string, string][] = [
      ["96385074", "00000096385074"],
      ["614141000036", "00614141000036"],
      ["4006381333931", "04006381333931"],
      ["10614141073464", "10614141073464"],
    ];
    for (const [input, want] of good)
      it(`normalises ${input} to ${want}`, () => expect(normalizeGtin(input)).to.equal(want));
    const bad: [string, RegExp][] = [
      ["10614141073465", /check digit should be 4/],
      ["10614141073", /8, 12, 13 or 14/],
      ["1061414107346x", /digits only/],
      ["", /digits only/],
    ];
    for (const [input, why] of bad) {
      it(`refuses ${JSON.stringify(input)} naming the field`, () => {
        expect(() => normalizeGtin(input, "order.gtin"))
          .to.throw(ValidationError, why)
          .with.property("field", "order.gtin");
      });
    }
    it("checks GLNs and company prefixes", () => {
      expect(normalizeGln("0614141000005")).to.equal("0614141000005");
      expect(() => normalizeGln("0614141000006")).to.throw(ValidationError, /check digit should be 5/);
      expect(() => normalizeCompanyPrefix("12345")).to.throw(ValidationError);
    });
  });

  describe("SSCC", () => {
    it("formats and parses an SSCC with its check digit", () => {
      const s = formatSscc(3, "0614141", 123456789);
      expect(s).to.equal("306141411234567891");
      expect(parseSscc(s)).to.equal(s);
      expect(() => parseSscc("306141411234567892")).to.throw(ValidationError, /check digit should be 1/);
      expect(() => formatSscc(3, "0614141", 10n ** 9n)).to.throw(ValidationError, /9 digits/);
    });
  });

  describe("Digital Link", () => {
    it("formats with qualifiers in canonical order (lot before serial) and sorted attributes, and parses back", () => {
      const uri = formatDigitalLink({
        origin: "https://id.acme.example/",
        gtin: "614141000036",
        serial: "AB/1",
        lot: "L1",
        attributes: { "17": "271231" },
      });
      expect(uri).to.equal("https://id.acme.example/01/00614141000036/10/L1/21/AB%2F1?17=271231");
      expect(parseDigitalLink(uri)).to.include({ gtin: "00614141000036", serial: "AB/1", lot: "L1" });
      expect(() => formatDigitalLink({ origin: "https://x.example", gtin: "614141000036", serial: "A B" })).to.throw(
        ValidationError,
        /outside GS1 AI 82/,
      );
    });

    it("parses serial, lot, attributes and a resolver path prefix", () => {
      const dl = parseDigitalLink("https://r.example.com/x/y/01/10614141073464/10/LOT%2F7/21/S%25N1?17=270131&foo=bar");
      expect(dl).to.deep.equal({
        origin: "https://r.example.com",
        pathPrefix: "x/y",
        gtin: "10614141073464",
        serial: "S%N1",
        lot: "LOT/7",
        attributes: { "17": "270131" },
      });
      expect(formatDigitalLink(dl)).to.equal(
        "https://r.example.com/x/y/01/10614141073464/10/LOT%2F7/21/S%25N1?17=270131",
      );
    });

    const malformed: [string, RegExp][] = [
      ["https://x.example/01/10614141073464/21/S1/10/L1", /out of order/],
      ["https://x.example/21/S1/01/10614141073464", /must come after/],
      ["https://x.example/01/10614141073465/21/S1", /check digit/],
      ["https://x.example/01/10614141073464/21/S%20N", /outside GS1 AI 82/],
      ["https://x.example/01/10614141073464/21/" + "A".repeat(21), /at most 20/],
      ["https://x.example/01/10614141073464", /no \/21\//],
      ["https://x.example/01/10614141073464/21/A/21/B", /appears twice/],
      ["https://x.example/01/10614141073464/99/A", /not a key qualifier/],
      ["https://x.example/01/10614141073464/21/A?17=271341", /calendar date/],
      ["ftp://x.example/01/10614141073464/21/A", /http\(s\)/],
      ["https://x.example/01/10614141073464/21/%E0%A4%A", /percent-encoding/],
    ];
    for (const [uri, why] of malformed)
      it(`refuses ${uri}`, () => expect(() => parseDigitalLink(uri)).to.throw(ValidationError, why));
  });

  describe("EPC URIs", () => {
    it("converts an SGTIN URN to and from (gtin, serial) given the company prefix length", () => {
      const urn = toSgtinUrn("10614141073464", "A/1", 7);
      expect(urn).to.equal("urn:epc:id:sgtin:0614141.107346.A%2F1");
      expect(parseSgtinUrn(urn)).to.deep.equal({ gtin: "10614141073464", serial: "A/1", companyPrefix: "0614141" });
      expect(() => parseSgtinUrn("urn:epc:id:sgtin:0614141.10734.1")).to.throw(ValidationError);
    });
    const table: [string, string | undefined][] = [
      ["urn:epc:id:sgtin:0614141.107346.2017", "https://id.gs1.org/01/10614141073464/21/2017"],
      ["urn:epc:id:sscc:0614141.1234567890", "https://id.gs1.org/00/106141412345678908"],
      ["urn:epc:id:sgln:0614141.12345.0", "https://id.gs1.org/414/0614141123452"],
      ["urn:epc:id:pgln:0614141.00000", "https://id.gs1.org/417/0614141000005"],
      ["urn:epc:id:sgtin:0614141.10734.1", undefined],
      ["https://example.com/01/1", undefined],
    ];
    for (const [uri, dl] of table) it(`maps ${uri} to ${dl}`, () => expect(epcUriToDigitalLink(uri)).to.equal(dl));
  });
});
