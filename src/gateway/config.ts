import { isAbsolute, resolve } from "node:path";
import { z } from "zod";
import { chainSettings, databaseUrlSetting, logSettings } from "../service/shared-settings";
import { parseEnvConfig } from "../service/service-main";

const int = (min: number) => z.coerce.number().int().min(min);

/**
 * The participant gateway's configuration, from TRACKROOT_* environment variables (and
 * DATABASE_URL), parsed once by main. docs/ lists it; nothing below main reads the environment.
 */
export const GatewayConfigSchema = z.object({
  ...chainSettings,
  ...databaseUrlSetting("TRACKROOT_GATEWAY_DB", " for the outbox"),
  TRACKROOT_GATEWAY_DB: z
    .string()
    .min(1)
    .default(".trackroot/gateway.sqlite")
    .describe("the outbox's SQLite file, when DATABASE_URL is absent"),
  TRACKROOT_GATEWAY_KEYSTORE: z
    .string()
    .min(1)
    .describe("the participant's encrypted JSON keystore: the one key this gateway signs with"),
  TRACKROOT_GATEWAY_KEYSTORE_PASSWORD: z.string().describe("its password"),
  TRACKROOT_RELAYER_URLS: z
    .string()
    .min(1)
    .transform((v, ctx) => {
      const urls = v
        .split(",")
        .map((u) => u.trim())
        .filter(Boolean);
      for (const u of urls) {
        if (!/^https?:\/\/[^\s/]+/.test(u)) ctx.addIssue({ code: "custom", message: `${u} is not an http(s) URL` });
      }
      if (urls.length === 0) ctx.addIssue({ code: "custom", message: "name at least one relayer" });
      return urls.map((u) => u.replace(/\/+$/, ""));
    })
    .describe("the relayers, comma-separated, in order of preference (the first also hosts the handover mailbox)"),
  TRACKROOT_GATEWAY_CLIENTS: z
    .string()
    .min(1)
    .describe("the client systems and their API tokens: name=token pairs, comma-separated, tokens of 32+ characters"),
  TRACKROOT_GATEWAY_HOST: z.string().min(1).default("127.0.0.1").describe("the interface the HTTP API listens on"),
  TRACKROOT_GATEWAY_PORT: int(0).max(65535).default(8790).describe("its port (0: any free port)"),
  TRACKROOT_GATEWAY_FAILOVER_MS: int(1)
    .default(120_000)
    .describe("a capture a relayer acknowledged but has not committed this long goes to the next relayer"),
  TRACKROOT_GATEWAY_POLL_MS: int(10).default(500).describe("how often the outbox is looked at"),
  TRACKROOT_GATEWAY_CONCURRENCY: int(1).max(64).default(4).describe("captures forwarded at once"),
  TRACKROOT_BODY_LIMIT: z
    .string()
    .regex(/^\d+(kb|mb)$/i, "like 512kb or 4mb")
    .default("4mb")
    .describe("largest capture body (like 512kb or 4mb)"),
  TRACKROOT_CAPTURE_MAX_EVENTS: int(1).max(100_000).default(10_000).describe("most events in one capture"),
  TRACKROOT_CAPTURE_MAX_AGE_SECONDS: int(1)
    .default(86_400)
    .describe("the relayers' limit on a capture's age: one refused for age after an outage is signed anew"),
  TRACKROOT_METRICS_TOKEN: z
    .string()
    .min(16)
    .optional()
    .describe("the bearer token /metrics asks for; unset, /metrics is not served"),
  TRACKROOT_GATEWAY_HALT_AT: z
    .enum(["acknowledged", "signed", "sent"])
    .optional()
    .describe("crash tests only: the process SIGKILLs itself at this step"),
  ...logSettings,
});
export type GatewayConfig = z.infer<typeof GatewayConfigSchema>;

/** Validates the environment; a bad value names its variable. Relative paths resolve against `cwd`. */
export function parseGatewayConfig(env: Readonly<Record<string, string | undefined>>, cwd: string): GatewayConfig {
  const c = parseEnvConfig(GatewayConfigSchema, env, /PASSWORD|TOKEN|CLIENTS/);
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));
  return {
    ...c,
    TRACKROOT_DEPLOYMENT: abs(c.TRACKROOT_DEPLOYMENT),
    TRACKROOT_GATEWAY_KEYSTORE: abs(c.TRACKROOT_GATEWAY_KEYSTORE),
    TRACKROOT_GATEWAY_DB: abs(c.TRACKROOT_GATEWAY_DB),
  };
}
