import { Command, CommanderError } from "commander";
import { registerEpcisCommands } from "./commands/epcis";
import { describeError, EXIT, exitCodeOf } from "./exit-codes";
import { processIo, type CliIo } from "./io";

/** The `trackroot` program, writing through `io`; `setExit` records a non-error exit code. */
export function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command("trackroot")
    .description("trackroot: serial codes, supply-chain events and proofs on a permissioned EVM ledger")
    .option("--json", "machine-readable output")
    .option("--verbose", "stack traces for unexpected errors")
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, "")), writeErr: (s) => io.err(s.replace(/\n$/, "")) });
  registerEpcisCommands(program, io, setExit);
  return program;
}

/** Runs the CLI on `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync([...argv], { from: "user" });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return exitCodeOf(e); // commander has printed the usage error
    io.err(describeError(e, argv.includes("--verbose")));
    return exitCodeOf(e);
  }
}

/** The bin entry point. */
export function main(): void {
  runCli(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e) => {
      process.stderr.write(`unexpected: ${String(e)}\n`);
      process.exitCode = EXIT.unexpected;
    },
  );
}
