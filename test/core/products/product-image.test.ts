import { expect } from "chai";
import fc from "fast-check";
import { rawCid } from "../../../src/core/content/raw-cid";
import { IntegrityError, ValidationError } from "../../../src/core/errors";
import {
  checkProductImage,
  contentImageCid,
  imageTypeOf,
  MAX_PRODUCT_IMAGE_BYTES,
  verifyProductImage,
} from "../../../src/core/products/product-image";
import {
  checkProductRecord,
  decodeProductRecord,
  encodeProductRecord,
  type ProductRecord,
} from "../../../src/core/products/product-record";
import vector from "../../vectors/product-record.json";

const picture = new Uint8Array(Buffer.from(vector.picture.base64, "base64"));
const pictured = vector.picture.record as ProductRecord;
const withImage = (id: string) => ({ ...vector.record, "gs1:image": [{ "@id": id }] });

describe("core/products product picture (named by content, shown when it checks out)", () => {
  it("encodes the shared vector's record naming its picture to its canonical bytes and CID", () => {
    expect(rawCid(picture)).to.equal(vector.picture.cid);
    const bytes = encodeProductRecord(pictured);
    expect(new TextDecoder().decode(bytes)).to.equal(vector.picture.canonical);
    expect(rawCid(bytes)).to.equal(vector.picture.recordCid);
    expect(contentImageCid(decodeProductRecord(bytes, "10614141073464"))).to.equal(vector.picture.cid);
  });

  it("finds no picture named by content in a record whose pictures are https links", () => {
    expect(contentImageCid(vector.record as ProductRecord)).to.equal(undefined);
  });

  it("takes the vector's picture: a PNG whose bytes give the CID the record names", () => {
    expect(checkProductImage(picture)).to.deep.equal({ cid: vector.picture.cid, type: "image/png" });
    expect(verifyProductImage(picture, vector.picture.cid)).to.equal("image/png");
  });

  it("refuses any picture that differs from the named one by one byte", () => {
    fc.assert(
      fc.property(fc.nat(picture.length - 1), fc.integer({ min: 1, max: 255 }), (at, flip) => {
        const changed = picture.slice();
        changed[at] ^= flip;
        expect(() => verifyProductImage(changed, vector.picture.cid)).to.throw(IntegrityError, /the record names/);
      }),
      { numRuns: 200 },
    );
  });

  it("refuses bytes that give the named CID but are no picture, and bytes over one raw block unhashed", () => {
    const html = new TextEncoder().encode("<script>alert(1)</script>");
    expect(() => verifyProductImage(html, rawCid(html))).to.throw(IntegrityError, /no PNG, JPEG or WebP/);
    const huge = new Uint8Array(MAX_PRODUCT_IMAGE_BYTES + 1);
    expect(() => verifyProductImage(huge, rawCid(huge))).to.throw(IntegrityError, /over 262144/);
  });

  const signatures: [string, number[], string | null][] = [
    ["a PNG", [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0], "image/png"],
    ["a JPEG", [0xff, 0xd8, 0xff, 0xe0], "image/jpeg"],
    ["a WebP", [...Buffer.from("RIFF"), 1, 2, 3, 4, ...Buffer.from("WEBPVP8 ")], "image/webp"],
    ["a RIFF that is no WebP (a WAV)", [...Buffer.from("RIFF"), 1, 2, 3, 4, ...Buffer.from("WAVEfmt ")], null],
    ["a GIF", [...Buffer.from("GIF89a")], null],
    ["an SVG", [...Buffer.from("<svg xmlns=")], null],
    ["a PNG cut short", [0x89, 0x50, 0x4e, 0x47], null],
    ["nothing", [], null],
  ];
  for (const [what, bytes, type] of signatures) {
    it(`tells ${what} by its first bytes: ${type ?? "no picture"}`, () => {
      expect(imageTypeOf(new Uint8Array(bytes))).to.equal(type);
    });
  }

  it("refuses to publish a picture that is no PNG, JPEG or WebP, or is over 256 KiB, naming image", () => {
    expect(() => checkProductImage(new TextEncoder().encode("GIF89a...")))
      .to.throw(ValidationError)
      .with.property("field", "image");
    const big = new Uint8Array(MAX_PRODUCT_IMAGE_BYTES + 1);
    big.set(picture.subarray(0, 8));
    expect(() => checkProductImage(big))
      .to.throw(ValidationError, /at most 262144 bytes/)
      .with.property("field", "image");
  });

  const addresses: [string, string, boolean][] = [
    ["a raw-block CID", `ipfs://${vector.picture.cid}`, true],
    ["an https address", "https://acme.example/pack.png", true],
    ["a CIDv0", "ipfs://QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG", false],
    ["a dag-pb CIDv1 (a file of many blocks)", `ipfs://bafybei${"a".repeat(52)}`, false],
    ["a CID cut short", `ipfs://${vector.picture.cid.slice(0, -1)}`, false],
    ["a CID in upper case", `ipfs://${vector.picture.cid.toUpperCase()}`, false],
    ["a gateway path", `ipfs://${vector.picture.cid}/pack.png`, false],
    ["plain http", "http://acme.example/pack.png", false],
  ];
  for (const [what, id, ok] of addresses) {
    it(`${ok ? "takes" : "refuses"} ${what} as gs1:image${ok ? "" : ", naming /gs1:image/0/@id"}`, () => {
      if (ok) expect(checkProductRecord(withImage(id))["gs1:image"]).to.deep.equal([{ "@id": id }]);
      else
        expect(() => checkProductRecord(withImage(id)))
          .to.throw(ValidationError)
          .with.property("field", "/gs1:image/0/@id");
    });
  }
});
