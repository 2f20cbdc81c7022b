import { isAbsolute, resolve } from "node:path";
import { z } from "zod";
import { chainSettings, contentSettings, databaseUrlSetting, logSettings } from "../service/shared-settings";
import { ValidationError } from "../core/errors";
import { authSettings, edgeSettings } from "../service/edge-settings";
import { parseEnvConfig } from "../service/service-main";

const int = (min: number) => z.coerce.number().int().min(min);
const list = z.string().transform((s) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean),
);

/**
 * The indexer's configuration, from TRACKROOT_* environment variables (and DATABASE_URL), parsed
 * once by main (and by `trackroot indexer`). docs/ lists it; nothing below main reads the environment.
 */
export const IndexerConfigSchema = z.object({
  ...chainSettings,
  TRACKROOT_DEPLOYMENT: chainSettings.TRACKROOT_DEPLOYMENT.describe(
    "deployments/<chainId>.json of the contracts; indexing starts at their deployment block",
  ),
  ...databaseUrlSetting("TRACKROOT_INDEXER_DB"),
  TRACKROOT_INDEXER_DB: z
    .string()
    .min(1)
    .default(".trackroot/indexer.sqlite")
    .describe("the SQLite database file, when DATABASE_URL is absent"),
  ...contentSettings({
    ipfs: "a Kubo RPC API to read content from; the embedded store under TRACKROOT_CONTENT_DIR when absent",
    dir: "the embedded content store, when TRACKROOT_IPFS_API_URL is absent",
  }),
  TRACKROOT_INDEXER_HOST: z.string().min(1).default("127.0.0.1").describe("the interface the HTTP API listens on"),
  TRACKROOT_INDEXER_PORT: int(0).max(65535).default(8788).describe("its port (0: any free port)"),
  TRACKROOT_CONFIRMATIONS: int(0)
    .default(0)
    .describe("blocks behind the head to stay (0 suits instant-finality QBFT networks)"),
  TRACKROOT_LOG_RANGE: int(1).default(5_000).describe("most blocks per getLogs"),
  TRACKROOT_POLL_MS: int(10).default(1_000).describe("how often to ask the chain for new blocks"),
  ...edgeSettings,
  ...authSettings,
  TRACKROOT_REGION_HEADER: z
    .string()
    .min(1)
    .optional()
    .describe("a header a trusted proxy sets to the client's region (e.g. CF-IPCountry); ignored from anyone else"),
  TRACKROOT_PUBLIC_RATE_PER_SECOND: int(1).default(20).describe("public endpoints: requests per second per client IP"),
  TRACKROOT_PUBLIC_BURST: int(1).default(60).describe("public endpoints: the largest burst per client IP"),
  TRACKROOT_INDEXER_TOKENS: list
    .pipe(
      z.array(z.string().regex(/^\d+:[0-9a-f]{64}$/, "each like 3:<64 hex digits> (participant:sha256 of the token)")),
    )
    .default("")
    .describe(
      "consortium read tokens, comma-separated participant:sha256-hex-of-token (`trackroot indexer token` makes one)",
    ),
  TRACKROOT_AUTH_MAX_SKEW_SECONDS: int(1)
    .default(300)
    .describe("how far a signed consortium request's timestamp may be from this clock"),
  TRACKROOT_WEBHOOK_URLS: list
    .pipe(z.array(z.string().url()))
    .default("")
    .describe("anomalies are POSTed to these URLs, signed with the secret"),
  TRACKROOT_WEBHOOK_SECRET: z
    .string()
    .min(16)
    .optional()
    .describe("HMAC-SHA256 key of the webhook signatures (16+ characters; required with TRACKROOT_WEBHOOK_URLS)"),
  TRACKROOT_SUBSCRIPTION_DEST_ORIGINS: list
    .pipe(z.array(z.string().url()))
    .default("")
    .describe(
      "EPCIS query subscriptions may call back only these origins (scheme://host[:port]); empty: any http(s) origin",
    ),
  TRACKROOT_WEBHOOK_MAX_ATTEMPTS: int(1).default(10).describe("deliveries tried per anomaly and URL"),
  TRACKROOT_WEBHOOK_BACKOFF_MS: int(1).default(2_000).describe("first retry delay, doubled each attempt"),
  TRACKROOT_WEBHOOK_TIMEOUT_MS: int(100).default(10_000).describe("how long one delivery may take"),
  TRACKROOT_CLONE_WINDOW_MS: int(1)
    .default(30 * 86_400_000)
    .describe("the window in which verifications of a code are counted"),
  TRACKROOT_CLONE_MAX_VERIFICATIONS: int(2)
    .default(20)
    .describe("a code verified by this many distinct clients within the window looks cloned"),
  TRACKROOT_CLONE_MAX_REGIONS: int(2)
    .default(3)
    .describe("a code verified from this many regions (told by a trusted proxy) within the window looks cloned"),
  TRACKROOT_ENUMERATION_MAX_LOOKUPS: int(2)
    .default(100)
    .describe("one client looking up this many never-released codes within the window is an enumeration attempt"),
  TRACKROOT_CLIENT_SALT: z
    .string()
    .min(16)
    .optional()
    .describe("secret mixed into stored client hashes (16+ characters); keep it across restarts"),
  TRACKROOT_SITES_FILE: z
    .string()
    .min(1)
    .optional()
    .describe('JSON {"<readPoint id>": {"lat": .., "lon": ..}} of known sites, for travel checks'),
  TRACKROOT_MAX_SPEED_KMH: int(1)
    .default(1_000)
    .describe("faster than this between two sightings is impossible travel"),
  TRACKROOT_TREE_CACHE: int(1).default(8).describe("batch trees kept in memory for proofs"),
  ...logSettings,
});
export type IndexerConfig = z.infer<typeof IndexerConfigSchema>;

/** Validates the environment; a bad value names its variable. Relative paths resolve against `cwd`. */
export function parseIndexerConfig(env: Readonly<Record<string, string | undefined>>, cwd: string): IndexerConfig {
  const c = parseEnvConfig(IndexerConfigSchema, env, /SECRET|TOKEN/);
  if (c.TRACKROOT_WEBHOOK_URLS.length && !c.TRACKROOT_WEBHOOK_SECRET) {
    throw new ValidationError(
      "TRACKROOT_WEBHOOK_SECRET",
      "(absent)",
      "is required with TRACKROOT_WEBHOOK_URLS (16+ characters)",
    );
  }
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));
  return {
    ...c,
    TRACKROOT_DEPLOYMENT: abs(c.TRACKROOT_DEPLOYMENT),
    TRACKROOT_INDEXER_DB: abs(c.TRACKROOT_INDEXER_DB),
    TRACKROOT_CONTENT_DIR: abs(c.TRACKROOT_CONTENT_DIR),
    ...(c.TRACKROOT_SITES_FILE ? { TRACKROOT_SITES_FILE: abs(c.TRACKROOT_SITES_FILE) } : {}),
  };
}
