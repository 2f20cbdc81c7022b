import type { Server } from "node:http";
import type { Logger } from "pino";
import { readDeployment } from "../chain/deployment";
import { RateLimiter } from "../http/rate-limiter";
import { closeServer, listen, serviceMain } from "../service/service-main";
import { parseVerifySiteConfig, type VerifySiteConfig } from "./config";
import { verifySiteApp } from "./http/app";
import { buildSiteAssets } from "./site-assets";
import { Upstreams } from "./upstreams";
import { clientAddressOf } from "../http/client-address";
import { allOk, runHealthChecks } from "../http/health";

export interface RunningVerifySite {
  url: string;
  /** the page's scripts' size (boot and page script), raw and gzipped, in bytes */
  scriptBytes: { raw: number; gzip: number };
  stop: () => Promise<void>;
}

/** Builds the page, wires the site and listens. */
export async function startVerifySite(config: VerifySiteConfig, logger: Logger): Promise<RunningVerifySite> {
  const deployment = await readDeployment(config.TRACKROOT_DEPLOYMENT);
  const assets = await buildSiteAssets();
  const upstreams = new Upstreams({
    indexerUrl: config.TRACKROOT_INDEXER_URL,
    rpcUrl: config.TRACKROOT_RPC_URL,
    timeoutMs: config.TRACKROOT_UPSTREAM_TIMEOUT_MS,
    ...(config.TRACKROOT_INDEXER_PROXY_TOKEN ? { indexerProxyToken: config.TRACKROOT_INDEXER_PROXY_TOKEN } : {}),
  });
  const app = verifySiteApp({
    assets,
    deployment,
    upstreams,
    limiter: new RateLimiter({
      ratePerSecond: config.TRACKROOT_VERIFY_RATE_PER_SECOND,
      burst: config.TRACKROOT_VERIFY_BURST,
      unit: "requests",
    }),
    clientAddress: clientAddressOf({
      trustedProxies: config.TRACKROOT_TRUSTED_PROXIES,
      proxyToken: config.TRACKROOT_PROXY_TOKEN,
    }),
    ...(config.TRACKROOT_REGION_HEADER ? { regionHeader: config.TRACKROOT_REGION_HEADER } : {}),
    health: async () => {
      // an upstream that answers, and below 500, is up
      const answers = (call: () => Promise<{ status: number }>) => async () => {
        const { status } = await call();
        if (status >= 500) throw new Error(`answered ${status}`);
      };
      const checks = await runHealthChecks([
        {
          name: "chain",
          check: answers(() =>
            upstreams.rpc(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] })),
          ),
        },
        {
          name: "indexer",
          check: answers(() => fetch(`${config.TRACKROOT_INDEXER_URL.replace(/\/+$/, "")}/health`)),
        },
      ]);
      const ok = allOk(checks);
      return { ok, body: { status: ok ? "ok" : "degraded", checks } };
    },
    log: (e) => logger.error({ err: e }, "request failed"),
  });
  const server: Server = app.listen(config.TRACKROOT_VERIFY_PORT, config.TRACKROOT_VERIFY_HOST);
  const url = await listen(server, config.TRACKROOT_VERIFY_HOST);
  const scriptBytes = {
    raw: assets.boot.body.length + assets.script.body.length,
    gzip: assets.boot.gzip.length + assets.script.gzip.length,
  };
  logger.info({ event: "verify-web.started", url, chainId: deployment.chainId, scriptBytes }, "verify-web ready");
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await closeServer(server);
      logger.info({ event: "verify-web.stopped" }, "verify-web stopped");
    })());
  return { url, scriptBytes, stop };
}

/** The process entry: configuration from the environment, JSON logs on stdout, clean stop on SIGTERM/SIGINT. */
export function main(): Promise<void> {
  return serviceMain({ name: "verify-web", parse: parseVerifySiteConfig, start: startVerifySite });
}
