import { randomBytes } from "node:crypto";
import { readFile, writeFile, stat } from "node:fs/promises";
import { encryptKeystore } from "../chain/keystore";
import { CAST, GOVERNOR_ACCOUNT, devKey, type CastRole } from "./demo-cast";
import { GATEWAY_ROLES, type GatewayRole } from "./demo-flow";
import type { StackLayout } from "./stack-layout";

/** Whether something is at `path` (missing or unreadable: absent). */
const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/** The demo keystores' password. The keys are the public development keys: this protects nothing. */
export const DEMO_PASSWORD = "trackroot-demo";

export interface StackSecrets {
  /** the auditor's consortium read token for the indexer */
  indexerToken: string;
  /** between the site and the indexer only, new each start */
  proxyToken: string;
  /** the operator's token for every service's /metrics */
  metricsToken: string;
  /** each party's warehouse system's API token at its gateway */
  gatewayTokens: Record<GatewayRole, string>;
}

const token = () => randomBytes(24).toString("base64url") + "\n";

/** A file's token, made once: a data directory from before keeps its tokens, and gets the missing ones. */
async function kept(path: string, make: () => string): Promise<string> {
  if (!(await exists(path))) await writeFile(path, make());
  return (await readFile(path, "utf8")).trim();
}

/**
 * Each party's own encrypted keystore, named after its role, and the stack's tokens: made on first
 * start, kept after (a data directory from before gets the missing ones).
 */
export async function stackSecrets(layout: StackLayout): Promise<StackSecrets> {
  await Promise.all(
    (["governor", ...(Object.keys(CAST) as CastRole[])] as const).map(async (role) => {
      if (await exists(layout.keystore(role))) return;
      const key = devKey(role === "governor" ? GOVERNOR_ACCOUNT : CAST[role].accountIndex);
      await writeFile(layout.keystore(role), await encryptKeystore(key, DEMO_PASSWORD, 4096));
    }),
  );
  const gatewayTokens = Object.fromEntries(
    await Promise.all(GATEWAY_ROLES.map(async (r) => [r, await kept(layout.gatewayToken(r), token)])),
  ) as Record<GatewayRole, string>;
  return {
    indexerToken: await kept(layout.indexerToken, () => randomBytes(32).toString("base64url") + "\n"),
    proxyToken: randomBytes(24).toString("base64url"),
    metricsToken: await kept(layout.metricsToken, token),
    gatewayTokens,
  };
}
