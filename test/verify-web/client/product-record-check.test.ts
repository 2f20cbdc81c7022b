import { expect } from "chai";
import { rawCid } from "../../../src/core/content/raw-cid";
import type { ProductRecord } from "../../../src/core/products/product-record";
import { verifyProductPicture, verifyProductRecord } from "../../../src/verify-web/client/product-record-check";
import vector from "../../vectors/product-record.json";

const GTIN = "10614141073464";
const bytes = new TextEncoder().encode(vector.canonical);
const pretty = new TextEncoder().encode(JSON.stringify(JSON.parse(vector.canonical), null, 1));
const tampered = new TextEncoder().encode(vector.canonical.replace("Paracetamol", "Miracle"));

const reads = (onChain: { cid: string; version: number } | Error, served: Uint8Array | null | Error) => ({
  onChain: async () => {
    if (onChain instanceof Error) throw onChain;
    return onChain;
  },
  served: async () => {
    if (served instanceof Error) throw served;
    return served;
  },
});

describe("verify-web/client verifyProductRecord (the product record, checked in the browser)", () => {
  it("shows the record when the bytes served give the CID the chain holds", async () => {
    const checked = await verifyProductRecord(GTIN, reads({ cid: vector.cid, version: 3 }, bytes));
    expect(checked).to.deep.equal({ ok: true, cid: vector.cid, version: 3, record: vector.record });
  });

  it("shows nothing, and says nothing is wrong, when the brand published no record", async () => {
    expect(await verifyProductRecord(GTIN, reads({ cid: "", version: 0 }, null))).to.equal(null);
  });

  const refusals: [string, Uint8Array | null | Error, string, string?][] = [
    ["a record the chain does not name", tampered, `the record the server sent is ${rawCid(tampered)}`],
    ["no record where the chain names one", null, "the server has no record"],
    ["an error instead of the record", new Error("it answered 503"), "did not send it (it answered 503)"],
    // the chain names these very bytes, but they are no canonical record of the GTIN
    ["bytes the chain names that are no canonical record", pretty, "canonical form", rawCid(pretty)],
  ];
  for (const [what, served, detail, cid] of refusals) {
    it(`reports ${what}, never showing it`, async () => {
      const checked = await verifyProductRecord(GTIN, reads({ cid: cid ?? vector.cid, version: 1 }, served));
      expect(checked?.ok).to.equal(false);
      expect(checked).to.not.have.property("record");
      expect((checked as { detail: string }).detail).to.include(detail);
    });
  }

  it("reports a record of another GTIN that the chain names for this one", async () => {
    const checked = await verifyProductRecord("04012345111118", reads({ cid: vector.cid, version: 1 }, bytes));
    expect(checked).to.deep.include({ ok: false });
    expect((checked as { detail: string }).detail).to.include("another GTIN");
  });

  it("throws when the chain cannot be read: no record is judged without it", async () => {
    let thrown: unknown;
    await verifyProductRecord(GTIN, reads(new Error("chain down"), bytes)).catch((e: unknown) => (thrown = e));
    expect((thrown as Error).message).to.equal("chain down");
  });
});

describe("verify-web/client verifyProductPicture (the product picture, checked in the browser)", () => {
  const picture = new Uint8Array(Buffer.from(vector.picture.base64, "base64"));
  const record = vector.picture.record as ProductRecord;
  const served = (answer: Uint8Array | Error) => async () => {
    if (answer instanceof Error) throw answer;
    return answer;
  };

  it("shows the picture when the bytes served give the CID the record names", async () => {
    expect(await verifyProductPicture(GTIN, record, served(picture))).to.deep.equal({
      ok: true,
      cid: vector.picture.cid,
      type: "image/png",
      bytes: picture,
    });
  });

  it("asks for no picture when the record names none by content (an https picture is never shown)", async () => {
    let asked = false;
    const checked = await verifyProductPicture(GTIN, vector.record as ProductRecord, async () => {
      asked = true;
      return picture;
    });
    expect(checked).to.equal(null);
    expect(asked).to.equal(false);
  });

  const other = picture.slice();
  other[100] ^= 1;
  const refusals: [string, Uint8Array | Error, string][] = [
    ["a picture one bit off the named one", other, `the picture served is ${rawCid(other)}`],
    ["an error instead of the picture", new Error("it answered 404"), "did not send it (it answered 404)"],
  ];
  for (const [what, answer, detail] of refusals) {
    it(`reports ${what}, never showing it`, async () => {
      const checked = await verifyProductPicture(GTIN, record, served(answer));
      expect(checked).to.deep.include({ ok: false, cid: vector.picture.cid });
      expect((checked as { detail: string }).detail).to.include(detail);
    });
  }
});
