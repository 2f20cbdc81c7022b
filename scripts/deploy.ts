import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ethers, network } from "hardhat";

/**
 * Deploys ParticipantRegistry, SerialRegistry and CommitmentLog, wired to each other, with
 * governance held by GOVERNOR (default: the deployer), and writes deployments/<chainId>.json.
 * Run again, it finds the recorded deployment (code still at every address) and deploys nothing.
 */
async function main(): Promise<void> {
  const [deployer] = await ethers.getSigners();
  const { chainId } = await ethers.provider.getNetwork();
  const file = join(__dirname, "..", "deployments", `${chainId}.json`);
  if (existsSync(file)) {
    const existing = JSON.parse(readFileSync(file, "utf8")) as { contracts: Record<string, { address: string }> };
    const codes = await Promise.all(Object.values(existing.contracts).map((c) => ethers.provider.getCode(c.address)));
    if (codes.every((c) => c !== "0x")) {
      console.log(`deployment found in ${file}; nothing deployed`);
      return;
    }
    console.log(`${file} names contracts that are not on this chain; deploying afresh`);
  }
  const governor = process.env.GOVERNOR ?? deployer.address;
  const registry = await ethers.deployContract("ParticipantRegistry", [governor]);
  const serials = await ethers.deployContract("SerialRegistry", [await registry.getAddress()]);
  const log = await ethers.deployContract("CommitmentLog", [await registry.getAddress()]);
  const record = async (c: typeof registry | typeof serials | typeof log) => {
    const receipt = await c.deploymentTransaction()!.wait();
    return { address: await c.getAddress(), block: receipt!.blockNumber, transaction: receipt!.hash };
  };
  const out = {
    chainId: Number(chainId),
    network: network.name,
    governor,
    contracts: {
      ParticipantRegistry: await record(registry),
      SerialRegistry: await record(serials),
      CommitmentLog: await record(log),
    },
  };
  mkdirSync(join(__dirname, "..", "deployments"), { recursive: true });
  writeFileSync(file, JSON.stringify(out, null, 2) + "\n");
  console.log(`deployed to chain ${chainId}; wrote ${file}`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
