import proxyaddr from "proxy-addr";
import { z } from "zod";
import { clientAddressOf } from "../http/client-address";
import { RateLimiter } from "../http/rate-limiter";
import { ReplayGuard } from "../http/replay-guard";

/**
 * Settings every HTTP service shares at its edge: which proxies' forwarded addresses count, and the
 * token an authenticated proxy shows. Spread into each service's config schema, so they are parsed
 * (and documented) once, alike.
 */
export const edgeSettings = {
  TRACKROOT_TRUSTED_PROXIES: z
    .string()
    .transform((s) =>
      s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .refine(
      (list) => {
        try {
          proxyaddr.compile(list);
          return true;
        } catch {
          return false;
        }
      },
      { message: "must be a comma-separated list of IP addresses or CIDR ranges" },
    )
    .default("")
    .describe(
      "addresses or CIDR ranges of the reverse proxies in front (comma-separated); X-Forwarded-For counts only from these, never by hop count (empty: the socket's address is the client's)",
    ),
  TRACKROOT_PROXY_TOKEN: z
    .string()
    .min(16)
    .optional()
    .describe(
      "a secret a trusted proxy must also send as Trackroot-Proxy-Token, for hosts where clients share the proxy's address (npm start sets one for the site)",
    ),
};

/** Settings of the services that authenticate requests (relayer, indexer): failure budgets, metrics. */
export const authSettings = {
  TRACKROOT_AUTH_FAILURES_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(1)
    .default(60)
    .describe("per client address: requests that fail authentication (401/403) per minute, then 429"),
  TRACKROOT_AUTH_FAILURE_BURST: z.coerce
    .number()
    .int()
    .min(1)
    .default(30)
    .describe("per client address: the largest burst of such requests"),
  TRACKROOT_METRICS_TOKEN: z
    .string()
    .min(16)
    .optional()
    .describe("/metrics answers only with Authorization: Bearer <this> (unset: /metrics is not served)"),
};

/** What a service that authenticates requests was configured with, at its edge. */
export const AuthenticatedEdgeSchema = z.object({ ...edgeSettings, ...authSettings });

/** The edge of a service that authenticates requests, built from its settings alike for the relayer and the indexer. */
export function authenticatedEdge(config: z.infer<typeof AuthenticatedEdgeSchema>) {
  return {
    clientAddress: clientAddressOf({
      trustedProxies: config.TRACKROOT_TRUSTED_PROXIES,
      proxyToken: config.TRACKROOT_PROXY_TOKEN,
    }),
    authFailures: new RateLimiter({
      ratePerSecond: config.TRACKROOT_AUTH_FAILURES_PER_MINUTE / 60,
      burst: config.TRACKROOT_AUTH_FAILURE_BURST,
      unit: "failed authentications",
    }),
    // past this many signed reads in one time window, new ones wait rather than old ones being forgotten
    replays: new ReplayGuard({ maxEntries: 100_000, now: Date.now }),
    metricsToken: config.TRACKROOT_METRICS_TOKEN,
  };
}
