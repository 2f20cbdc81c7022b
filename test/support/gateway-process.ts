import { join } from "node:path";
import { freePort } from "./chain-node";
import { ROOT, startLoggedProcess, type LoggedProcess } from "./child-process";

export interface GatewayProcess extends LoggedProcess {
  url: string;
  port: number;
}

/** The client systems every gateway of the tests accepts: a warehouse system and a point of sale. */
export const GATEWAY_TOKENS = {
  wms: "wms-token-0123456789abcdef0123456789",
  pos: "pos-token-0123456789abcdef0123456789",
};
export const GATEWAY_METRICS_TOKEN = "gateway-process-metrics-token";

/** bin/trackroot-gateway.js in its own process, holding one participant's keystore; `env` adds or overrides. */
export async function startGatewayProcess(options: {
  rpcUrl: string;
  deploymentPath: string;
  keystore: string;
  relayerUrls: string[];
  env?: Record<string, string>;
  port?: number;
  root?: string;
}): Promise<GatewayProcess> {
  const port = options.port ?? (await freePort());
  const running = await startLoggedProcess({
    name: "gateway",
    args: [join(options.root ?? ROOT, "bin", "trackroot-gateway.js")],
    ready: "gateway ready",
    env: {
      TRACKROOT_RPC_URL: options.rpcUrl,
      TRACKROOT_DEPLOYMENT: options.deploymentPath,
      TRACKROOT_GATEWAY_KEYSTORE: options.keystore,
      TRACKROOT_GATEWAY_KEYSTORE_PASSWORD: "pw",
      TRACKROOT_RELAYER_URLS: options.relayerUrls.join(","),
      TRACKROOT_GATEWAY_CLIENTS: Object.entries(GATEWAY_TOKENS)
        .map(([name, token]) => `${name}=${token}`)
        .join(","),
      TRACKROOT_GATEWAY_PORT: String(port),
      TRACKROOT_GATEWAY_POLL_MS: "100",
      TRACKROOT_METRICS_TOKEN: GATEWAY_METRICS_TOKEN,
      ...options.env,
    },
  });
  return { ...running, url: `http://127.0.0.1:${port}`, port };
}
