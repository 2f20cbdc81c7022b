import { Command, CommanderError } from "commander";
import { registerAuditCommand } from "./commands/audit";
import { registerCaptureCommands } from "./commands/capture";
import { registerHandoverCommands } from "./commands/handover";
import { registerCodesCommands } from "./commands/codes";
import { registerEpcisCommands } from "./commands/epcis";
import { registerIndexerCommands } from "./commands/indexer";
import { registerLedgerAdminCommands } from "./commands/ledger-admin";
import { registerOrderCommands } from "./commands/order";
import { registerProductCommands } from "./commands/product";
import { registerRecallCommands } from "./commands/recall";
import { registerReportCommands } from "./commands/report";
import { registerVerifyCommand } from "./commands/verify";
import { loadConfig } from "./config";
import type { CliContext, PasswordPrompt } from "./context";
import { describeError, EXIT, exitCodeOf } from "./exit-codes";
import { processIo, type CliIo } from "./io";
import type { GlobalOptions } from "./options";

/** Where the CLI runs: the process's environment, directory and terminal, or a test's stand-ins. */
export interface CliEnvironment {
  io: CliIo;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  prompt: PasswordPrompt;
}

/** The `trackroot` program; `setExit` records a non-error exit code, `contexts` collects what to close. */
export function buildProgram(
  environment: CliEnvironment,
  setExit: (code: number) => void,
  contexts: CliContext[],
): Command {
  const { io } = environment;
  const program = new Command("trackroot")
    .description("trackroot: serial codes, supply-chain events and proofs on a permissioned EVM ledger")
    .option("--json", "machine-readable output")
    .option("--config <file>", "configuration file (default ./trackroot.config.json)")
    .option("--verbose", "stack traces for unexpected errors")
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, "")), writeErr: (s) => io.err(s.replace(/\n$/, "")) });
  // configuration is read and validated once, when the first command that needs it asks
  let context: Promise<CliContext> | undefined;
  const getContext = () => {
    context ??= (async () => {
      const opts = program.opts<GlobalOptions & { config?: string }>();
      const config = await loadConfig({
        env: environment.env,
        cwd: environment.cwd,
        ...(opts.config ? { file: opts.config } : {}),
      });
      // the chain, the keys and the stores are loaded only by a command that uses them
      const { CliContext } = await import("./context");
      const ctx = new CliContext({
        config,
        io,
        prompt: environment.prompt,
        json: opts.json === true,
        cwd: environment.cwd,
      });
      contexts.push(ctx);
      return ctx;
    })();
    return context;
  };
  registerEpcisCommands(program, io, setExit);
  registerLedgerAdminCommands(program, getContext);
  registerOrderCommands(program, getContext);
  registerCodesCommands(program, getContext);
  registerRecallCommands(program, getContext);
  registerProductCommands(program, getContext);
  registerCaptureCommands(program, getContext);
  registerHandoverCommands(program, getContext);
  registerReportCommands(program, getContext);
  registerIndexerCommands(program, getContext, environment.env);
  registerVerifyCommand(program, getContext, setExit);
  registerAuditCommand(program, getContext, setExit);
  return program;
}

/** Runs the CLI on `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: readonly string[], environment: Partial<CliEnvironment> = {}): Promise<number> {
  const env: CliEnvironment = {
    io: environment.io ?? processIo,
    env: environment.env ?? process.env,
    cwd: environment.cwd ?? process.cwd(),
    prompt: environment.prompt ?? (async () => undefined),
  };
  let code: number = EXIT.ok;
  const contexts: CliContext[] = [];
  const program = buildProgram(env, (c) => (code = c), contexts);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return exitCodeOf(e); // commander has printed the usage error
    env.io.err(describeError(e, argv.includes("--verbose")));
    return exitCodeOf(e);
  } finally {
    await Promise.all(contexts.map((c) => c.close()));
  }
}

/** Asks for a password on the terminal without echoing it. */
const terminalPrompt: PasswordPrompt = async (question) => {
  if (!process.stdin.isTTY) return undefined;
  process.stderr.write(question);
  const stdin = process.stdin;
  stdin.setRawMode(true);
  stdin.resume();
  return new Promise((resolve) => {
    let value = "";
    const onData = (buf: Buffer) => {
      for (const ch of buf.toString("utf8")) {
        if (ch === "\r" || ch === "\n" || ch === "\u0004") {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off("data", onData);
          process.stderr.write("\n");
          resolve(value);
          return;
        }
        if (ch === "\u0003") process.exit(130);
        value = ch === "\u007f" ? value.slice(0, -1) : value + ch;
      }
    };
    stdin.on("data", onData);
  });
};

/** The bin entry point. */
export function main(): void {
  runCli(process.argv.slice(2), { prompt: terminalPrompt }).then(
    (code) => (process.exitCode = code),
    (e) => {
      process.stderr.write(`unexpected: ${String(e)}\n`);
      process.exitCode = EXIT.unexpected;
    },
  );
}
