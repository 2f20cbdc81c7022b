import { resolve } from "node:path";
import { Command, CommanderError } from "commander";
import { z } from "zod";
import { ValidationError } from "../core/errors";

/** `npm start` options, validated once. */
export const StartOptionsSchema = z.object({
  dataDir: z
    .string()
    .min(1)
    .default(".trackroot/local")
    .describe("where the chain state, keys, databases, content and logs live"),
  basePort: z.coerce
    .number()
    .int()
    .min(1024)
    .max(65528)
    .optional()
    .describe(
      "the chain's port; the relayer, indexer and site take the next three, the four gateways the four after (default: 8545, 8787, 8788, 8790, 8791-8794)",
    ),
  fresh: z.boolean().default(false).describe("delete the data directory first"),
});
export type StartOptions = z.infer<typeof StartOptionsSchema> & {
  ports: { chain: number; relayer: number; indexer: number; site: number; gateways: number };
};

/** The services' own default ports, used when no --base-port is given. */
const DEFAULT_PORTS = { chain: 8545, relayer: 8787, indexer: 8788, site: 8790, gateways: 8791 };

/**
 * Parses `npm start -- [--data-dir dir] [--base-port n] [--fresh]`. Returns undefined after
 * printing help; throws a ValidationError naming the option for a bad value.
 */
export function parseStartOptions(
  argv: readonly string[],
  options: { cwd: string; out: (text: string) => void },
): StartOptions | undefined {
  const program = new Command("npm start --")
    .description("the whole ledger on this machine: a chain, the contracts, a demo, the relayer, indexer and site")
    .option("--data-dir <dir>", "where state is kept (default .trackroot/local)")
    .option(
      "--base-port <port>",
      "chain port; relayer, indexer and site take the next three, the gateways the four after (default 8545, 8787, 8788, 8790, 8791-8794)",
    )
    .option("--fresh", "delete the data directory and start over")
    .exitOverride()
    .configureOutput({ writeOut: options.out, writeErr: options.out });
  try {
    program.parse([...argv], { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError && e.code === "commander.helpDisplayed") return undefined;
    if (e instanceof CommanderError) throw new ValidationError("arguments", argv.join(" "), e.message);
    throw e;
  }
  const raw = program.opts<{ dataDir?: string; basePort?: string; fresh?: boolean }>();
  const parsed = StartOptionsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    throw new ValidationError(`--${name}`, (raw as Record<string, unknown>)[String(issue.path[0])], issue.message);
  }
  const base = parsed.data.basePort;
  return {
    ...parsed.data,
    dataDir: resolve(options.cwd, parsed.data.dataDir),
    ports:
      base === undefined
        ? DEFAULT_PORTS
        : { chain: base, relayer: base + 1, indexer: base + 2, site: base + 3, gateways: base + 4 },
  };
}
