import { z } from "zod";
import { FEE_MODES } from "../chain/fee-mode";

/**
 * Settings several services share, each validated one way and described alike in
 * docs/configuration.md: spread into a service's config schema (beside edgeSettings), with a
 * service's own wording where it says more.
 */

/** The chain and its contracts. */
export const chainSettings = {
  TRACKROOT_RPC_URL: z.string().url().default("http://127.0.0.1:8545").describe("JSON-RPC endpoint of the chain"),
  TRACKROOT_DEPLOYMENT: z.string().min(1).describe("deployments/<chainId>.json of the contracts"),
};

/** How a service that sends transactions pays for gas. */
export const feeSettings = {
  TRACKROOT_FEES: z
    .enum(FEE_MODES)
    .default("auto")
    .describe(
      'how transactions pay for gas: "auto" as the node suggests, or "zero" on a permissioned network without gas prices (legacy transactions at gas price 0, keys that hold no ether)',
    ),
};

export const logSettings = {
  TRACKROOT_LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
    .default("info")
    .describe("pino log level (JSON lines on stdout)"),
};

/** Where content (leaf files, commitments) is read and written: a Kubo RPC API, or the embedded store. */
export function contentSettings(descriptions: { ipfs: string; dir: string }) {
  return {
    TRACKROOT_IPFS_API_URL: z.string().url().optional().describe(descriptions.ipfs),
    TRACKROOT_CONTENT_DIR: z.string().min(1).default(".trackroot/content").describe(descriptions.dir),
  };
}

/** PostgreSQL when DATABASE_URL is set, else the SQLite file that `sqliteVariable` names. */
export function databaseUrlSetting(sqliteVariable: string, what = "") {
  return {
    DATABASE_URL: z
      .string()
      .url()
      .optional()
      .describe(`PostgreSQL connection string${what}; SQLite at ${sqliteVariable} when absent`),
  };
}
