import { expect } from "chai";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { privateKeyToAccount } from "viem/accounts";
import type { Address, Hex } from "viem";
import { readDeployment, type Deployment } from "../../src/chain/deployment";
import { encryptKeystore } from "../../src/chain/keystore";
import { runCli } from "../../src/cli/main";
import type { CustodyDomain } from "../../src/core/custody/eip712";

/** hardhat node accounts and the roles the relayer tests give them. */
export const KEYS = {
  governor: "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  /** participant 1, a custodian (distributor) */
  custodian: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  /** participant 2, the relayer */
  relayer: "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
  /** participant 3, a retailer (pharmacy) */
  pharmacy: "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
  /** participant 4, an auditor */
  auditor: "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
  /** a second key of the custodian, revoked */
  revoked: "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
  /** never registered */
  stranger: "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
} as const satisfies Record<string, Hex>;

export const RELAYER_ID = 2;

export interface RelayerLedger {
  deploymentPath: string;
  deployment: Deployment;
  domain: CustodyDomain;
  /** the relayer's keystore (password "pw") */
  relayerKeystore: string;
}

/** Runs the `trackroot` CLI in `dir` against `rpcUrl`, signing with the keystore `keystore` (password "pw"); asserts it succeeds. */
export async function cliIn(dir: string, rpcUrl: string, argv: string[], keystore = "gov.json"): Promise<string> {
  const env = {
    TRACKROOT_RPC_URL: rpcUrl,
    TRACKROOT_KEYSTORE: keystore,
    TRACKROOT_KEYSTORE_PASSWORD: "pw",
    TRACKROOT_DATA_DIR: "data",
    TRACKROOT_DEPLOYMENTS_DIR: "deployments",
  };
  const err: string[] = [];
  const out: string[] = [];
  const code = await runCli(argv, { io: { out: (l) => out.push(l), err: (l) => err.push(l) }, env, cwd: dir });
  expect(code, `${argv.join(" ")}: ${err.join("\n")}`).to.equal(0);
  return out.join("\n");
}

/** Deploys the contracts through the CLI and registers the participants the relayer tests use. */
export async function setupRelayerLedger(rpcUrl: string, dir: string): Promise<RelayerLedger> {
  writeFileSync(join(dir, "gov.json"), await encryptKeystore(KEYS.governor, "pw", 1024));
  const relayerKeystore = join(dir, "relayer.json");
  writeFileSync(relayerKeystore, await encryptKeystore(KEYS.relayer, "pw", 1024));
  const address = (key: Hex) => privateKeyToAccount(key).address;
  const participant = (kind: string, gln: string, name: string, key: Hex) => [
    "participant",
    "add",
    "--kind",
    kind,
    "--gln",
    gln,
    "--name",
    name,
    "--key",
    address(key),
  ];
  for (const argv of [
    ["deploy"],
    participant("custodian", "0614141000005", "Distributor", KEYS.custodian),
    participant("relayer", "0614141000012", "Relay", KEYS.relayer),
    participant("retailer", "0614141000029", "Pharmacy", KEYS.pharmacy),
    participant("auditor", "0614141000036", "Auditor", KEYS.auditor),
    ["key", "add", "--participant", "1", "--key", address(KEYS.revoked)],
    ["key", "revoke", "--key", address(KEYS.revoked)],
  ]) {
    await cliIn(dir, rpcUrl, argv);
  }

  const deploymentPath = join(dir, "deployments", "31337.json");
  const deployment = await readDeployment(deploymentPath);
  return {
    deploymentPath,
    deployment,
    domain: { chainId: 31337, verifyingContract: deployment.contracts.CommitmentLog.address as Address },
    relayerKeystore,
  };
}
