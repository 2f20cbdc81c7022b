import { expect } from "chai";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EmbeddedContentStore } from "../../src/content/embedded-store";
import { IpfsContentStore } from "../../src/content/ipfs-store";
import { cidOf } from "../../src/content/unixfs";
import { IntegrityError, NotFoundError, UnavailableError, ValidationError } from "../../src/core/errors";
import { freePort } from "../support/chain-node";

const bytesOf = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) & 255);

describe("content stores", () => {
  it("computes Kubo's CID of the empty file (raw leaf, CIDv1)", async () => {
    expect(await cidOf(new Uint8Array(0))).to.equal("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");
  });

  describe("embedded", () => {
    const store = new EmbeddedContentStore(mkdtempSync(join(tmpdir(), "trackroot-content-")));
    for (const n of [0, 1, 262143, 262145, 3 * 1048576]) {
      it(`round-trips ${n} bytes under the CID computed without storing`, async () => {
        const bytes = bytesOf(n);
        const cid = await store.put(bytes);
        expect(cid).to.equal(await cidOf(bytes));
        expect(cid.startsWith(n <= 262144 ? "bafkrei" : "bafybei")).to.equal(true);
        expect(await store.has(cid)).to.equal(true);
        expect(Buffer.from(await store.get(cid)).equals(Buffer.from(bytes))).to.equal(true);
      });
    }

    it("refuses bytes on disk that do not hash to their CID", async () => {
      const dir = mkdtempSync(join(tmpdir(), "trackroot-content-"));
      const s = new EmbeddedContentStore(dir);
      const cid = await s.put(bytesOf(1000));
      const [block] = readdirSync(join(dir, "blocks"));
      writeFileSync(join(dir, "blocks", block), bytesOf(999));
      let error: unknown;
      await s.get(cid).catch((e) => (error = e));
      expect(error).to.be.instanceOf(IntegrityError);
    });

    it("says not found for an absent CID and names a malformed one", async () => {
      const absent = await cidOf(bytesOf(5));
      let error: unknown;
      await store.get(absent).catch((e) => (error = e));
      expect(error).to.be.instanceOf(NotFoundError);
      await store.get("not-a-cid").catch((e) => (error = e));
      expect(error).to.be.instanceOf(ValidationError);
      expect(String(error)).to.match(/cid: is not a CID/);
    });
  });

  describe("IPFS (kubo-rpc-client)", () => {
    it("reports a node that is down clearly, as unavailable", async () => {
      const store = new IpfsContentStore({ url: `http://127.0.0.1:${await freePort()}`, timeoutMs: 5000 });
      let error: unknown;
      await store.put(bytesOf(10)).catch((e) => (error = e));
      expect(error).to.be.instanceOf(UnavailableError);
      expect(String(error)).to.match(/cannot be reached/);
    });
  });
});
