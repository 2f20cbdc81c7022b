import { join } from "node:path";
import { freePort } from "./chain-node";
import { ROOT, startLoggedProcess, type LoggedProcess } from "./child-process";
import type { RelayerLedger } from "./relayer-ledger";

export interface RelayerProcess extends LoggedProcess {
  url: string;
}

/** The operator's /metrics token every relayer process of the tests and benches runs with. */
export const RELAYER_METRICS_TOKEN = "relayer-process-metrics-token";

/** A relayer's Prometheus text, read with the operator's token. */
export async function relayerMetrics(url: string): Promise<string> {
  const res = await fetch(`${url}/metrics`, { headers: { Authorization: `Bearer ${RELAYER_METRICS_TOKEN}` } });
  if (res.status !== 200) throw new Error(`GET ${url}/metrics answered ${res.status}`);
  return res.text();
}

/** bin/trackroot-relayer.js in its own process on a free port, configured for `chain`; `env` adds or overrides. */
export async function startRelayerProcess(options: {
  rpcUrl: string;
  chain: RelayerLedger;
  contentDir: string;
  env?: Record<string, string>;
  /** the checkout whose bin/trackroot-relayer.js runs (benchmarks compare two side by side); default this one */
  root?: string;
  /** its port (a restarted relayer keeps its address); default a free one */
  port?: number;
}): Promise<RelayerProcess> {
  const port = options.port ?? (await freePort());
  const running = await startLoggedProcess({
    name: "relayer",
    args: [join(options.root ?? ROOT, "bin", "trackroot-relayer.js")],
    ready: "relayer ready",
    env: {
      TRACKROOT_RPC_URL: options.rpcUrl,
      TRACKROOT_DEPLOYMENT: options.chain.deploymentPath,
      TRACKROOT_RELAYER_KEYSTORE: options.chain.relayerKeystore,
      TRACKROOT_RELAYER_KEYSTORE_PASSWORD: "pw",
      TRACKROOT_CONTENT_DIR: options.contentDir,
      TRACKROOT_RELAYER_PORT: String(port),
      TRACKROOT_METRICS_TOKEN: RELAYER_METRICS_TOKEN,
      ...options.env,
    },
  });
  return { ...running, url: `http://127.0.0.1:${port}` };
}
