import { isAbsolute, resolve } from "node:path";
import { z } from "zod";
import {
  chainSettings,
  contentSettings,
  databaseUrlSetting,
  feeSettings,
  logSettings,
} from "../service/shared-settings";
import { authSettings, edgeSettings } from "../service/edge-settings";
import { parseEnvConfig } from "../service/service-main";

const int = (min: number) => z.coerce.number().int().min(min);

/**
 * The relayer's configuration, from TRACKROOT_* environment variables (and DATABASE_URL), parsed
 * once by main. docs/ lists it; nothing below main reads the environment.
 */
export const RelayerConfigSchema = z.object({
  ...chainSettings,
  ...feeSettings,
  ...databaseUrlSetting("TRACKROOT_RELAYER_DB"),
  TRACKROOT_RELAYER_DB: z
    .string()
    .min(1)
    .default(".trackroot/relayer.sqlite")
    .describe("the SQLite database file, when DATABASE_URL is absent"),
  ...contentSettings({
    ipfs: "a Kubo RPC API for batch contents; the embedded store under TRACKROOT_CONTENT_DIR when absent",
    dir: "the embedded content store, when TRACKROOT_IPFS_API_URL is absent (shared with the indexer and the CLI)",
  }),
  TRACKROOT_RELAYER_KEYSTORE: z
    .string()
    .min(1)
    .describe("the relayer's encrypted JSON keystore (its key must be an active key of a relayer participant)"),
  TRACKROOT_RELAYER_KEYSTORE_PASSWORD: z.string().describe("its password"),
  TRACKROOT_RELAYER_HOST: z.string().min(1).default("127.0.0.1").describe("the interface the HTTP API listens on"),
  TRACKROOT_RELAYER_PORT: int(0).max(65535).default(8787).describe("its port (0: any free port)"),
  TRACKROOT_BATCH_MAX_EVENTS: int(1).default(10_000).describe("a batch closes at this many events"),
  TRACKROOT_BATCH_MAX_WAIT_MS: int(0)
    .default(2_000)
    .describe("a batch also closes this long after its oldest entry arrived"),
  TRACKROOT_BATCH_MAX_ENTRIES: int(1)
    .max(100_000)
    .default(10_000)
    .describe("a batch also closes at this many captures and handovers"),
  TRACKROOT_BODY_LIMIT: z
    .string()
    .regex(/^\d+(kb|mb)$/i, "like 512kb or 4mb")
    .default("4mb")
    .describe("largest request body (like 512kb or 4mb)"),
  TRACKROOT_CAPTURE_MAX_EVENTS: int(1)
    .max(100_000)
    .default(10_000)
    .describe("most events in one capture (its signed event count is checked before the body is read)"),
  ...edgeSettings,
  ...authSettings,
  TRACKROOT_RATE_EVENTS_PER_SECOND: int(1).default(20_000).describe("per submitter: events per second"),
  TRACKROOT_RATE_BURST_EVENTS: int(1).default(50_000).describe("per submitter: the largest burst of events"),
  TRACKROOT_CAPTURE_MAX_AGE_SECONDS: int(1).default(86_400).describe("how old a capture's issuedAt may be"),
  TRACKROOT_CAPTURE_MAX_SKEW_SECONDS: int(0)
    .default(300)
    .describe("how far ahead of this clock a capture's issuedAt may be"),
  TRACKROOT_KEY_CACHE_MS: int(0).default(5_000).describe("registry answers (is this key active?) are reused this long"),
  TRACKROOT_KEY_STALE_IF_ERROR_MS: int(0)
    .max(600_000)
    .default(30_000)
    .describe(
      "while the chain cannot be reached, registry answers are reused up to this long (a key revoked meanwhile is accepted that long; the audit still flags its captures)",
    ),
  TRACKROOT_TX_REPLACE_AFTER_MS: int(1)
    .default(60_000)
    .describe("a commitment transaction pending this long is replaced under its nonce"),
  TRACKROOT_SHUTDOWN_FLUSH_MS: int(0)
    .default(30_000)
    .describe("on SIGTERM/SIGINT, how long to spend committing what is queued"),
  TRACKROOT_RELAYER_HALT_AT: z
    .enum(["batch.built", "batch.published", "tx.sent", "commit.seen", "batch.committed"])
    .optional()
    .describe("crash tests only: the process SIGKILLs itself at this pipeline boundary"),
  ...logSettings,
});
export type RelayerConfig = z.infer<typeof RelayerConfigSchema>;

/** Validates the environment; a bad value names its variable. Relative paths resolve against `cwd`. */
export function parseRelayerConfig(env: Readonly<Record<string, string | undefined>>, cwd: string): RelayerConfig {
  const c = parseEnvConfig(RelayerConfigSchema, env, /PASSWORD|TOKEN/);
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));
  return {
    ...c,
    TRACKROOT_DEPLOYMENT: abs(c.TRACKROOT_DEPLOYMENT),
    TRACKROOT_RELAYER_KEYSTORE: abs(c.TRACKROOT_RELAYER_KEYSTORE),
    TRACKROOT_RELAYER_DB: abs(c.TRACKROOT_RELAYER_DB),
    TRACKROOT_CONTENT_DIR: abs(c.TRACKROOT_CONTENT_DIR),
  };
}
