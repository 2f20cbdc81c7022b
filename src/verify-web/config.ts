import { isAbsolute, resolve } from "node:path";
import { z } from "zod";
import { chainSettings, logSettings } from "../service/shared-settings";
import { edgeSettings } from "../service/edge-settings";
import { parseEnvConfig } from "../service/service-main";

const int = (min: number) => z.coerce.number().int().min(min);

/**
 * The verification site's configuration, from TRACKROOT_* environment variables, parsed once by
 * main. The site serves the page and forwards two things on the visitor's behalf: proof bundles
 * from the indexer, and read-only calls to the deployment's contracts on the chain.
 */
export const VerifySiteConfigSchema = z.object({
  TRACKROOT_RPC_URL: chainSettings.TRACKROOT_RPC_URL.describe(
    "the chain's JSON-RPC endpoint; the page reaches it through the site's read-only /rpc",
  ),
  TRACKROOT_DEPLOYMENT: chainSettings.TRACKROOT_DEPLOYMENT.describe(
    "deployments/<chainId>.json: the only contracts the page checks against and /rpc may call",
  ),
  TRACKROOT_INDEXER_URL: z
    .string()
    .url()
    .default("http://127.0.0.1:8788")
    .describe("the indexer whose proof bundles the page verifies"),
  TRACKROOT_VERIFY_HOST: z.string().min(1).default("127.0.0.1").describe("the interface the site listens on"),
  TRACKROOT_VERIFY_PORT: int(0).max(65535).default(8790).describe("its port (0: any free port)"),
  ...edgeSettings,
  TRACKROOT_INDEXER_PROXY_TOKEN: z
    .string()
    .min(16)
    .optional()
    .describe(
      "the indexer's TRACKROOT_PROXY_TOKEN: sent with each proof request, so the indexer takes the visitor's address from the site and from no one else",
    ),
  TRACKROOT_REGION_HEADER: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,64}$/)
    .optional()
    .describe(
      "a header the trusted proxy in front of the site sets to the visitor's region (e.g. CF-IPCountry); forwarded to the indexer under the same name, and only when a proxy in TRACKROOT_TRUSTED_PROXIES relayed the request",
    ),
  TRACKROOT_VERIFY_RATE_PER_SECOND: int(1)
    .default(100)
    .describe(
      "per visitor address: chain calls (each call of a JSON-RPC batch counts) and proof requests per second; one verification makes a few dozen",
    ),
  TRACKROOT_VERIFY_BURST: int(1)
    .default(1000)
    .describe("per visitor address: the largest burst (a pharmacy checking a stack of packs at once)"),
  TRACKROOT_UPSTREAM_TIMEOUT_MS: int(100)
    .default(10_000)
    .describe("how long the site waits for the indexer or the chain"),
  ...logSettings,
});
export type VerifySiteConfig = z.infer<typeof VerifySiteConfigSchema>;

/** Validates the environment; a bad value names its variable. Relative paths resolve against `cwd`. */
export function parseVerifySiteConfig(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): VerifySiteConfig {
  const c = parseEnvConfig(VerifySiteConfigSchema, env, /SECRET|TOKEN/);
  return {
    ...c,
    TRACKROOT_DEPLOYMENT: isAbsolute(c.TRACKROOT_DEPLOYMENT)
      ? c.TRACKROOT_DEPLOYMENT
      : resolve(cwd, c.TRACKROOT_DEPLOYMENT),
  };
}
