import { join } from "node:path";
import { tokenHash } from "../indexer/consortium-auth";
import { startChildService } from "./child-service";
import { participantId } from "./demo-cast";
import { GATEWAY_ROLES, type GatewayRole } from "./demo-flow";
import type { StackLayout } from "./stack-layout";
import type { StackProcesses } from "./stack-processes";
import { DEMO_PASSWORD, type StackSecrets } from "./stack-secrets";
import type { StartOptions } from "./start-options";

const ROOT = join(__dirname, "..", "..");
const SERVICE_START_MS = 90_000;

/** Where the stack's services answer. */
export interface StackUrls {
  rpc: string;
  relayer: string;
  indexer: string;
  site: string;
  gateway: (role: GatewayRole) => string;
}

export function stackUrls(ports: StartOptions["ports"]): StackUrls {
  const at = (port: number) => `http://127.0.0.1:${port}`;
  return {
    rpc: at(ports.chain),
    relayer: at(ports.relayer),
    indexer: at(ports.indexer),
    site: at(ports.site),
    gateway: (role) => at(ports.gateways + GATEWAY_ROLES.indexOf(role)),
  };
}

/**
 * Starts the stack's services as child processes of its own, each with only its own settings (and
 * keystore), on the ports given: the indexer and the site, the relayer, each party's gateway.
 */
export function stackServices(o: {
  processes: StackProcesses;
  layout: StackLayout;
  /** the caller's environment without TRACKROOT_* and DATABASE_URL */
  baseEnv: Record<string, string | undefined>;
  urls: StackUrls;
  secrets: StackSecrets;
}) {
  const { processes, layout, urls, secrets } = o;
  const port = (url: string) => new URL(url).port;
  const service = (name: string, bin: string, ready: string, vars: Record<string, string>) =>
    processes.started(
      startChildService({
        name,
        command: process.execPath,
        args: [join(ROOT, "bin", bin)],
        env: { ...o.baseEnv, TRACKROOT_RPC_URL: urls.rpc, TRACKROOT_DEPLOYMENT: layout.deployment, ...vars },
        cwd: layout.dataDir,
        logFile: layout.log(name),
        ready,
        timeoutMs: SERVICE_START_MS,
        onSpawn: processes.onSpawn(name),
      }),
    );
  return {
    indexerAndSite: () =>
      Promise.all([
        service("indexer", "trackroot-indexer.js", "indexer ready", {
          TRACKROOT_INDEXER_DB: layout.indexerDb,
          TRACKROOT_CONTENT_DIR: layout.contentDir,
          TRACKROOT_INDEXER_PORT: port(urls.indexer),
          TRACKROOT_POLL_MS: "250",
          // the site forwards the visitor's address: it counts from the site alone (loopback and the token)
          TRACKROOT_TRUSTED_PROXIES: "127.0.0.1,::1",
          TRACKROOT_PROXY_TOKEN: secrets.proxyToken,
          TRACKROOT_METRICS_TOKEN: secrets.metricsToken,
          TRACKROOT_INDEXER_TOKENS: `${participantId("auditor")}:${tokenHash(secrets.indexerToken)}`,
        }),
        service("verify-web", "trackroot-verify-web.js", "verify-web ready", {
          TRACKROOT_INDEXER_URL: urls.indexer,
          TRACKROOT_INDEXER_PROXY_TOKEN: secrets.proxyToken,
          TRACKROOT_VERIFY_PORT: port(urls.site),
        }),
      ]),
    relayer: () =>
      service("relayer", "trackroot-relayer.js", "relayer ready", {
        TRACKROOT_RELAYER_KEYSTORE: layout.keystore("relayer"),
        TRACKROOT_RELAYER_KEYSTORE_PASSWORD: DEMO_PASSWORD,
        TRACKROOT_RELAYER_DB: layout.relayerDb,
        TRACKROOT_CONTENT_DIR: layout.contentDir,
        TRACKROOT_RELAYER_PORT: port(urls.relayer),
        TRACKROOT_BATCH_MAX_WAIT_MS: "300",
        TRACKROOT_METRICS_TOKEN: secrets.metricsToken,
      }),
    // each recording party's gateway, with only that party's keystore; its warehouse system's API token
    gateways: () =>
      Promise.all(
        GATEWAY_ROLES.map((role) =>
          service(`gateway-${role}`, "trackroot-gateway.js", "gateway ready", {
            TRACKROOT_GATEWAY_KEYSTORE: layout.keystore(role),
            TRACKROOT_GATEWAY_KEYSTORE_PASSWORD: DEMO_PASSWORD,
            TRACKROOT_GATEWAY_DB: layout.gatewayDb(role),
            TRACKROOT_GATEWAY_PORT: port(urls.gateway(role)),
            TRACKROOT_RELAYER_URLS: urls.relayer,
            TRACKROOT_GATEWAY_CLIENTS: `wms=${secrets.gatewayTokens[role]}`,
            TRACKROOT_GATEWAY_POLL_MS: "100",
            TRACKROOT_METRICS_TOKEN: secrets.metricsToken,
          }),
        ),
      ),
  };
}
