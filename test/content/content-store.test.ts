import { expect } from "chai";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EmbeddedContentStore } from "../../src/content/embedded-store";
import { IpfsContentStore } from "../../src/content/ipfs-store";
import { cidOf } from "../../src/content/unixfs";
import { IntegrityError, NotFoundError, UnavailableError, ValidationError } from "../../src/core/errors";
import { createServer } from "node:http";
import { freePort } from "../support/chain-node";
import { startIpfsNode } from "../support/ipfs-node";

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

    describe("against a real js-ipfs node in its own process", function () {
      this.timeout(120_000);
      let node: { url: string; stop: () => Promise<void> };
      let store: IpfsContentStore;
      before(async () => {
        node = await startIpfsNode();
        store = new IpfsContentStore({ url: node.url });
      });
      after(() => node?.stop());

      for (const n of [0, 1, 262143, 262145, 3 * 1048576]) {
        it(`stores ${n} bytes under the CID the embedded store computes and reads them back`, async () => {
          const bytes = bytesOf(n);
          const cid = await store.put(bytes);
          expect(cid).to.equal(await cidOf(bytes));
          expect(await store.has(cid)).to.equal(true);
          expect(Buffer.from(await store.get(cid)).equals(Buffer.from(bytes))).to.equal(true);
        });
      }

      it("says a CID the node never stored is absent", async () => {
        expect(await store.has(await cidOf(bytesOf(77)))).to.equal(false);
      });

      it("refuses bytes a node returns that do not hash to the CID asked for", async () => {
        const bytes = bytesOf(300_000);
        const cid = await store.put(bytes);
        const proxy = await tamperingProxy(node.url);
        try {
          let error: unknown;
          await new IpfsContentStore({ url: proxy.url }).get(cid).catch((e) => (error = e));
          expect(error).to.be.instanceOf(IntegrityError);
          expect(String(error)).to.include(cid);
        } finally {
          await proxy.close();
        }
      });
    });
  });
});

/** An HTTP proxy in front of a real node that flips one byte of every `cat` answer. */
async function tamperingProxy(target: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const answer = await fetch(target + req.url, {
        method: req.method,
        headers: { "content-type": req.headers["content-type"] ?? "application/octet-stream" },
        body: chunks.length ? Buffer.concat(chunks) : undefined,
      });
      const body = Buffer.from(await answer.arrayBuffer());
      if (req.url?.startsWith("/api/v0/cat") && body.length > 0) body[body.length >> 1] ^= 0xff;
      res.writeHead(answer.status, {
        "content-type": answer.headers.get("content-type") ?? "application/octet-stream",
      });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
