import { expect } from "chai";
import { rawCid } from "../../../src/core/content/raw-cid";
import { verifyProductRecord } from "../../../src/verify-web/client/product-record-check";
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
