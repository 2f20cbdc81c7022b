import { expect } from "chai";
import fc from "fast-check";
import { rawCid } from "../../../src/core/content/raw-cid";
import { ValidationError } from "../../../src/core/errors";
import {
  checkProductRecord,
  decodeProductRecord,
  encodeProductRecord,
  MAX_PRODUCT_RECORD_BYTES,
  textIn,
  type ProductRecord,
} from "../../../src/core/products/product-record";
import vector from "../../vectors/product-record.json";

const record = vector.record as ProductRecord;
const utf8 = (s: string) => new TextEncoder().encode(s);

/** The record with `path` set to `value` (undefined removes it). */
function edited(path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(record) as unknown as Record<string | number, unknown>;
  let at = copy;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
  if (value === undefined) delete at[path.at(-1)!];
  else at[path.at(-1)!] = value;
  return copy;
}

describe("core/products product record (trackroot product set)", () => {
  it("encodes the shared vector's record to its canonical bytes and CID, and decodes them back", () => {
    const bytes = encodeProductRecord(record);
    expect(new TextDecoder().decode(bytes)).to.equal(vector.canonical);
    expect(rawCid(bytes)).to.equal(vector.cid);
    expect(decodeProductRecord(bytes, "10614141073464")).to.deep.equal(record);
  });

  it("gives one byte string whatever the order of the keys it was written in", () => {
    const reversed = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(reversed)
        : v && typeof v === "object"
          ? Object.fromEntries(
              Object.entries(v)
                .reverse()
                .map(([k, x]) => [k, reversed(x)]),
            )
          : v;
    const written = reversed(record) as ProductRecord;
    expect(Object.keys(written)[0]).to.not.equal(Object.keys(record)[0]);
    expect(encodeProductRecord(written)).to.deep.equal(utf8(vector.canonical));
  });

  const refusals: [string, unknown, string][] = [
    ["a GTIN with a wrong check digit", edited(["gs1:gtin"], "10614141073465"), "/gs1:gtin"],
    ["a GTIN of 13 digits", edited(["gs1:gtin"], "0614141073464"), "/gs1:gtin"],
    ["no name", edited(["gs1:productName"], undefined), "/gs1:productName"],
    ["an empty name", edited(["gs1:productName", 0, "@value"], "  "), "/gs1:productName/0/@value"],
    ["two names in one language", edited(["gs1:productName", 1, "@language"], "en"), "/gs1:productName"],
    [
      "a language that is no BCP 47 tag",
      edited(["gs1:productName", 0, "@language"], "English"),
      "/gs1:productName/0/@language",
    ],
    ["an image over plain http", edited(["gs1:image", 0, "@id"], "http://acme.example/a.png"), "/gs1:image/0/@id"],
    ["a script URL as a link", edited(["gs1:epil", 0, "@id"], "javascript:alert(1)"), "/gs1:epil/0/@id"],
    ["a field outside the vocabulary it takes", edited(["gs1:brandOwner"], "Acme"), "/"],
    ["another type", edited(["@type"], "gs1:Place"), "/@type"],
    ["another vocabulary", edited(["@context", "gs1"], "https://example.com/voc/"), "/@context/gs1"],
    [
      "a net content that is no number",
      edited(["gs1:netContent", 0, "gs1:value"], "twenty"),
      "/gs1:netContent/0/gs1:value",
    ],
  ];
  for (const [what, value, field] of refusals) {
    it(`refuses ${what}, naming ${field}`, () => {
      expect(() => checkProductRecord(value))
        .to.throw(ValidationError)
        .with.property("field", field);
    });
  }

  it("refuses bytes that are not the canonical form, another GTIN's record, and too many bytes", () => {
    const pretty = utf8(JSON.stringify(JSON.parse(vector.canonical), null, 2));
    expect(() => decodeProductRecord(pretty)).to.throw(ValidationError, "canonical form");
    expect(() => decodeProductRecord(utf8(vector.canonical), "04012345111118")).to.throw(
      ValidationError,
      "another GTIN",
    );
    expect(() => decodeProductRecord(new Uint8Array(MAX_PRODUCT_RECORD_BYTES + 1))).to.throw(
      ValidationError,
      "at most",
    );
    expect(() => decodeProductRecord(utf8('{"a":1,"a":2}'))).to.throw(ValidationError);
    expect(() => decodeProductRecord(new Uint8Array([0xff, 0xfe]))).to.throw();
  });

  it("round-trips any record it accepts, and its bytes name one CID", () => {
    const text = fc.string({ minLength: 1, maxLength: 60 }).filter((s) => s.trim() === s && s.length > 0);
    const language = fc.constantFrom("en", "de", "fr", "pt-BR", "zh-Hans", "ar");
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(language, text), { minLength: 1, maxLength: 5, selector: (t) => t[0] }),
        (names) => {
          const r = { ...record, "gs1:productName": names.map(([l, v]) => ({ "@value": v, "@language": l })) };
          const bytes = encodeProductRecord(r as ProductRecord);
          expect(decodeProductRecord(bytes)).to.deep.equal(r);
          expect(rawCid(encodeProductRecord(decodeProductRecord(bytes)))).to.equal(rawCid(bytes));
        },
      ),
      { numRuns: 100 },
    );
  });

  it("says a text in the visitor's language, else its base language, else the record's first", () => {
    const names = record["gs1:productName"];
    expect(textIn(names, ["de-AT", "en"])).to.equal("Paracetamol Acme 500 mg Tabletten");
    expect(textIn(names, ["ar-EG"])).to.equal(names[2]["@value"]);
    expect(textIn(names, ["ja"])).to.equal("Paracetamol Acme 500 mg");
    expect(textIn(undefined, ["en"])).to.equal(undefined);
  });
});
