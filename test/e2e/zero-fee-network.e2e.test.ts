import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPublicClient, http } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { encryptKeystore } from "../../src/chain/keystore";
import { runCli } from "../../src/cli/main";
import { startAnvilNode } from "../support/chain-node";

/**
 * A permissioned network without gas prices, as Besu and GoQuorum consortia run them: a zero base
 * fee and gas price, and keys that hold no ether. Every write goes as a legacy transaction at gas
 * price 0 when configured so (TRACKROOT_FEES=zero); left to the library's fee defaults, it fails.
 */
describe("e2e: a brand on a network without gas prices, with a key that holds no ether", function () {
  this.timeout(120_000);
  let node: Awaited<ReturnType<typeof startAnvilNode>>;
  const key = generatePrivateKey();
  const brand = privateKeyToAccount(key).address;

  before(async () => {
    node = await startAnvilNode({ extraArgs: ["--base-fee", "0", "--gas-price", "0"] });
  });
  after(() => node?.stop());

  async function cli(dir: string, fees: string | undefined, ...argv: string[]) {
    const err: string[] = [];
    const env = {
      TRACKROOT_RPC_URL: node.url,
      TRACKROOT_KEYSTORE: "brand.json",
      TRACKROOT_KEYSTORE_PASSWORD: "pw",
      TRACKROOT_DATA_DIR: "data",
      TRACKROOT_DEPLOYMENTS_DIR: "deployments",
      ...(fees ? { TRACKROOT_FEES: fees } : {}),
    };
    const code = await runCli(argv, { io: { out: () => undefined, err: (l) => err.push(l) }, env, cwd: dir });
    return { code, err: err.join("\n") };
  }

  async function brandDir(): Promise<string> {
    const dir = mkdtempSync(join(tmpdir(), "trackroot-zero-fee-"));
    writeFileSync(join(dir, "brand.json"), await encryptKeystore(key, "pw", 1024));
    return dir;
  }

  it("deploys, registers, opens an order and releases codes, every transaction at gas price 0", async () => {
    const dir = await brandDir();
    const client = createPublicClient({ transport: http(node.url) });
    expect(await client.getBalance({ address: brand })).to.equal(0n);
    const steps = [
      ["deploy"],
      ["participant", "add", "--kind", "brand", "--gln", "0614141000005", "--name", "Acme", "--key", brand],
      ["prefix", "assign", "--prefix", "0614141", "--brand", "1"],
      ["order", "create", "--gtin", "10614141073464", "--quantity", "10", "--lot", "L1", "--erp-ref", "PO-1"],
      ["codes", "release", "--order", "1", "--count", "10", "--out", join(dir, "release")],
    ];
    for (const argv of steps) {
      const { code, err } = await cli(dir, "zero", ...argv);
      expect(code, `${argv.join(" ")}: ${err}`).to.equal(0);
    }
    const block = await client.getBlock({ includeTransactions: true });
    for (const tx of block.transactions) expect([tx.type, tx.gasPrice]).to.deep.equal(["legacy", 0n]);
    expect(await client.getBalance({ address: brand })).to.equal(0n);
  });

  it("fails as a library's fee defaults would make it fail, when not told the network has no gas prices", async () => {
    const { code, err } = await cli(await brandDir(), undefined, "deploy");
    expect(code).to.not.equal(0);
    expect(err).to.match(/funds|balance|fee/i);
  });

  it("refuses a fee mode it does not know, naming the setting", async () => {
    const { code, err } = await cli(await brandDir(), "free", "deploy");
    expect(code).to.equal(1);
    expect(err).to.match(/TRACKROOT_FEES/);
  });
});
