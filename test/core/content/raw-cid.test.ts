import { expect } from "chai";
import fc from "fast-check";
import { cidOf, KUBO_CHUNK_SIZE } from "../../../src/content/unixfs";
import { rawCid } from "../../../src/core/content/raw-cid";

describe("core/content rawCid (the CID of one raw block)", () => {
  it("is the CID the content store (Kubo's importer) gives any content of one chunk", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 2048 }), async (bytes) => {
        expect(rawCid(bytes)).to.equal(await cidOf(bytes));
      }),
      { numRuns: 60 },
    );
    const chunk = new Uint8Array(KUBO_CHUNK_SIZE).fill(7);
    expect(rawCid(chunk)).to.equal(await cidOf(chunk));
  });

  it("is another CID for bytes that differ in one bit", () => {
    const a = new TextEncoder().encode("trackroot");
    const b = a.slice();
    b[0] ^= 1;
    expect(rawCid(a)).to.match(/^bafkrei[a-z2-7]{52}$/);
    expect(rawCid(a)).to.not.equal(rawCid(b));
  });
});
