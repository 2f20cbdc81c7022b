import { readFileSync } from "node:fs";
import { Wallet } from "ethers";
import { z } from "zod";
import type { HttpNetworkUserConfig } from "hardhat/types";

/**
 * The `qbft` network profile: a permissioned Besu/GoQuorum network with zero gas price. The signer
 * comes from an encrypted JSON keystore, so no raw private key sits in a config file or variable.
 */
export const QbftEnv = z.object({
  TRACKROOT_QBFT_RPC_URL: z.string().url().describe("JSON-RPC endpoint of a node of the network"),
  TRACKROOT_QBFT_CHAIN_ID: z.coerce
    .number()
    .int()
    .positive()
    .describe("the network's chain id (its genesis config.chainId)"),
  TRACKROOT_QBFT_KEYSTORE: z
    .string()
    .min(1)
    .describe("encrypted JSON keystore of the deployer (it becomes the governor unless told otherwise)"),
  TRACKROOT_QBFT_KEYSTORE_PASSWORD: z.string().describe("its password"),
});

/** Returns the qbft network when its variables are set, undefined when none is, and throws naming the
 * variable when only some are or one is malformed. */
export function qbftNetworkFromEnv(env: NodeJS.ProcessEnv): HttpNetworkUserConfig | undefined {
  const keys = Object.keys(QbftEnv.shape);
  if (!keys.some((k) => env[k] !== undefined)) return undefined;
  const parsed = QbftEnv.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`qbft network: ${issue.path.join(".")}: ${issue.message}`);
  }
  const cfg = parsed.data;
  const keystore = readFileSync(cfg.TRACKROOT_QBFT_KEYSTORE, "utf8");
  const wallet = Wallet.fromEncryptedJsonSync(keystore, cfg.TRACKROOT_QBFT_KEYSTORE_PASSWORD);
  return {
    url: cfg.TRACKROOT_QBFT_RPC_URL,
    chainId: cfg.TRACKROOT_QBFT_CHAIN_ID,
    accounts: [wallet.privateKey],
    gasPrice: 0,
  };
}
