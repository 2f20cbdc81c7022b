import { readFile } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import { z } from "zod";
import { FEE_MODES } from "../chain/fee-mode";
import { ValidationError } from "../core/errors";

/**
 * The CLI's one configuration: trackroot.config.json (or --config) overlaid by TRACKROOT_*
 * environment variables, validated once at start. Nothing below main reads the environment.
 */
export const ConfigSchema = z.object({
  rpcUrl: z.string().url().default("http://127.0.0.1:8545").describe("JSON-RPC endpoint of the chain"),
  deployment: z.string().min(1).optional().describe("deployment file; default <deploymentsDir>/<chainId>.json"),
  fees: z
    .enum(FEE_MODES)
    .default("auto")
    .describe(
      'how transactions pay for gas: "auto" as the node suggests, or "zero" (legacy, gas price 0) on a network without gas prices',
    ),
  deploymentsDir: z.string().min(1).default("deployments").describe("where deployment files are found and written"),
  keystore: z.string().min(1).optional().describe("encrypted JSON keystore of the signer"),
  keystorePassword: z
    .string()
    .optional()
    .describe("its password (from the environment; prompted for on a terminal when absent)"),
  ipfsApiUrl: z
    .string()
    .url()
    .optional()
    .describe("a Kubo RPC API (e.g. http://127.0.0.1:5001); default the embedded store under dataDir"),
  dataDir: z.string().min(1).default(".trackroot").describe("where the embedded content store and local state live"),
  relayerUrl: z
    .string()
    .url()
    .default("http://127.0.0.1:8787")
    .describe("the relayer that `trackroot capture` sends signed captures to"),
  linkOrigin: z
    .string()
    .url()
    .default("https://id.gs1.org")
    .describe("origin of the brand's GS1 Digital Link resolver, for the printed URLs"),
});
export type Config = z.infer<typeof ConfigSchema>;

export const CLI_ENV: Record<string, keyof Config> = {
  TRACKROOT_RPC_URL: "rpcUrl",
  TRACKROOT_DEPLOYMENT: "deployment",
  TRACKROOT_FEES: "fees",
  TRACKROOT_KEYSTORE: "keystore",
  TRACKROOT_KEYSTORE_PASSWORD: "keystorePassword",
  TRACKROOT_IPFS_API_URL: "ipfsApiUrl",
  TRACKROOT_DATA_DIR: "dataDir",
  TRACKROOT_DEPLOYMENTS_DIR: "deploymentsDir",
  TRACKROOT_LINK_ORIGIN: "linkOrigin",
  TRACKROOT_RELAYER_URL: "relayerUrl",
};

export interface LoadConfigOptions {
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** explicit config file; default ./trackroot.config.json when it exists */
  file?: string;
}

/** Reads, merges and validates the configuration; paths come back absolute (against cwd). */
export async function loadConfig(options: LoadConfigOptions): Promise<Config> {
  const path = resolve(options.cwd, options.file ?? "trackroot.config.json");
  let fromFile: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(await readFile(path, "utf8"));
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new ValidationError("config", path, "must be a JSON object");
    }
    fromFile = parsed as Record<string, unknown>;
  } catch (e) {
    if (e instanceof ValidationError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== "ENOENT" || options.file) {
      throw new ValidationError(
        "config",
        path,
        code ? `cannot be read (${code})` : `is not JSON: ${(e as Error).message}`,
      );
    }
  }
  const fromEnv = Object.fromEntries(
    Object.entries(CLI_ENV)
      .filter(([name]) => options.env[name] !== undefined && options.env[name] !== "")
      .map(([name, key]) => [key, options.env[name]]),
  );
  const parsed = ConfigSchema.strict().safeParse({ ...fromFile, ...fromEnv });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue.path[0] ?? "config");
    const envName = Object.keys(CLI_ENV).find((n) => CLI_ENV[n] === key && fromEnv[key] !== undefined);
    const value = issue.path.length ? ({ ...fromFile, ...fromEnv } as Record<string, unknown>)[key] : undefined;
    throw new ValidationError(
      envName ?? `config.${key}`,
      key === "keystorePassword" ? "(hidden)" : value,
      issue.message,
    );
  }
  const c = parsed.data;
  const abs = (p: string | undefined) => (p === undefined ? undefined : isAbsolute(p) ? p : resolve(options.cwd, p));
  return {
    ...c,
    dataDir: abs(c.dataDir) as string,
    deploymentsDir: abs(c.deploymentsDir) as string,
    ...(c.deployment ? { deployment: abs(c.deployment) } : {}),
    ...(c.keystore ? { keystore: abs(c.keystore) } : {}),
  };
}
