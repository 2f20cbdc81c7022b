import { expect } from "chai";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { runCli } from "../../src/cli/main";
import { encryptKeystore } from "../../src/chain/keystore";
import { readDeployment } from "../../src/chain/deployment";
import { Ledger } from "../../src/chain/ledger";
import { EmbeddedContentStore } from "../../src/content/embedded-store";
import { decodeLeafFile } from "../../src/core/merkle/leaf-file";
import { startHardhatNode } from "../support/chain-node";

// hardhat node's first account: the deployer, governor and (after `participant add --key`) the brand's key
const DEPLOYER_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const DEPLOYER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
const GTIN = "10614141073464";

describe("e2e: a brand's release through the trackroot CLI against a separate hardhat node", function () {
  this.timeout(300_000);
  let node: Awaited<ReturnType<typeof startHardhatNode>>;
  const dir = mkdtempSync(join(tmpdir(), "trackroot-e2e-"));
  let env: Record<string, string>;

  async function cli(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { io: { out: (l) => out.push(l), err: (l) => err.push(l) }, env, cwd: dir });
    return { code, out, err, json: () => JSON.parse(out[out.length - 1]) };
  }

  before(async () => {
    node = await startHardhatNode();
    writeFileSync(join(dir, "brand.keystore.json"), await encryptKeystore(DEPLOYER_KEY, "correct horse", 1024));
    env = {
      TRACKROOT_RPC_URL: node.url,
      TRACKROOT_KEYSTORE: "brand.keystore.json",
      TRACKROOT_KEYSTORE_PASSWORD: "correct horse",
      TRACKROOT_DATA_DIR: "data",
      TRACKROOT_DEPLOYMENTS_DIR: "deployments",
      TRACKROOT_LINK_ORIGIN: "https://id.acme.example",
    };
    for (const argv of [
      ["deploy"],
      ["participant", "add", "--kind", "brand", "--gln", "0614141000005", "--name", "Acme", "--key", DEPLOYER],
      ["prefix", "assign", "--prefix", "0614141", "--brand", "1"],
      [
        "order",
        "create",
        "--gtin",
        GTIN,
        "--quantity",
        "10000",
        "--lot",
        "L42",
        "--expiry",
        "2027-06-30",
        "--erp-ref",
        "PO-1",
      ],
    ]) {
      const r = await cli(...argv);
      expect(r.code, `${argv.join(" ")}: ${r.err.join("\n")}`).to.equal(0);
    }
  });
  after(async () => node?.stop());

  it("releases 10,000 codes whose root, leaf file and codes all check out on-chain", async () => {
    const out = join(dir, "release-1");
    const r = await cli("--json", "codes", "release", "--order", "1", "--count", "10000", "--out", out);
    expect(r.code, r.err.join("\n")).to.equal(0);
    const result = r.json();
    expect(result).to.include({ stage: "released", count: 10000, batch: "1", resumed: false });

    const deployment = await readDeployment(join(dir, "deployments", "31337.json"));
    const ledger = new Ledger({ rpcUrl: node.url, deployment });
    const batch = await ledger.serials.read.batch([1n]);
    expect(batch.root).to.equal(result.root);
    expect(batch.count).to.equal(10000n);
    expect(batch.contentCid).to.equal(result.leafCid);

    // the leaf file resolves by its CID and recomputes the root
    const leafFile = await new EmbeddedContentStore(join(dir, "data", "content")).get(batch.contentCid);
    expect(decodeLeafFile(leafFile).root).to.equal(batch.root);

    // codes.csv: one line per code, Digital Links on the brand's origin with the lot
    const lines = readFileSync(join(out, "codes.csv"), "utf8").trim().split("\n");
    expect(lines[0]).to.equal("gtin,serial,url");
    expect(lines).to.have.length(10001);
    const [gtin, serial, url] = lines[1].split(",");
    expect(gtin).to.equal(GTIN);
    expect(url).to.equal(`https://id.acme.example/01/${GTIN}/10/L42/21/${serial}`);

    // the tree dump loads in @openzeppelin/merkle-tree; a sample of codes verifies on-chain
    const tree = StandardMerkleTree.load(JSON.parse(readFileSync(join(out, "tree.json"), "utf8")));
    expect(tree.root).to.equal(batch.root);
    for (const i of [1, 2, 777, 5000, 10000]) {
      const s = lines[i].split(",")[1];
      const proof = tree.getProof(i - 1);
      expect(
        await ledger.serials.read.verifyCode([1n, BigInt(GTIN), s, proof as `0x${string}`[]]),
        `code ${i}`,
      ).to.equal(true);
    }
    expect(
      await ledger.serials.read.verifyCode([1n, BigInt(GTIN), "NOTACODE123", tree.getProof(0) as `0x${string}`[]]),
    ).to.equal(false);
  });

  it("refuses to release past the plan before generating anything", async () => {
    const out = join(dir, "release-past-plan");
    const r = await cli("codes", "release", "--order", "1", "--count", "1", "--out", out);
    expect(r.code).to.equal(1);
    expect(r.err.join("\n")).to.match(/order 1 has 0 of 10000 codes left; 1 requested/);
    expect(existsSync(join(out, "codes.csv"))).to.equal(false);
  });

  it("resumes an interrupted release with the same codes, never drawing a second set", async () => {
    expect((await cli("order", "create", "--gtin", GTIN, "--quantity", "500", "--lot", "L43")).code).to.equal(0);
    const out = join(dir, "release-2");
    const first = await cli(
      "--json",
      "codes",
      "release",
      "--order",
      "2",
      "--count",
      "500",
      "--out",
      out,
      "--stop-after",
      "generate",
    );
    expect(first.code, first.err.join("\n")).to.equal(0);
    expect(first.json()).to.include({ stage: "generated" });
    const codes = readFileSync(join(out, "codes.csv"), "utf8");
    const second = await cli("--json", "codes", "release", "--order", "2", "--count", "500", "--out", out);
    expect(second.code, second.err.join("\n")).to.equal(0);
    expect(second.json()).to.include({ stage: "released", resumed: true, root: first.json().root });
    expect(readFileSync(join(out, "codes.csv"), "utf8")).to.equal(codes);
    const shown = await cli("--json", "order", "show", "2");
    expect(shown.json()).to.include({ planned: "500", released: "500", remaining: "0" });
    expect(shown.json().batches).to.have.length(1);
  });

  it("names the field for a wrong keystore password", async () => {
    const saved = env.TRACKROOT_KEYSTORE_PASSWORD;
    env.TRACKROOT_KEYSTORE_PASSWORD = "wrong";
    const r = await cli("order", "create", "--gtin", GTIN, "--quantity", "5", "--lot", "L1");
    env.TRACKROOT_KEYSTORE_PASSWORD = saved;
    expect(r.code).to.equal(1);
    expect(r.err.join("\n")).to.match(/keystorePassword: does not decrypt/);
  });

  it("refuses an order for a GTIN under another brand's prefix, naming the contract's error", async () => {
    const r = await cli("order", "create", "--gtin", "00012345678905", "--quantity", "5", "--lot", "L1");
    expect(r.code).to.equal(1);
    expect(r.err.join("\n")).to.match(/SerialRegistryNotPrefixOwner/);
  });

  it("names the field of a malformed option before touching the chain", async () => {
    const bad = await cli("order", "create", "--gtin", "10614141073465", "--quantity", "5", "--lot", "L1");
    expect(bad.code).to.equal(1);
    expect(bad.err.join("\n")).to.match(/gtin/i);
    const zero = await cli("codes", "release", "--order", "1", "--count", "0", "--out", join(dir, "x"));
    expect(zero.code).to.equal(1);
    expect(zero.err.join("\n")).to.match(/count: a positive integer/);
  });
});
