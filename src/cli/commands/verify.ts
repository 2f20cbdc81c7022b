import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { NotFoundError, ValidationError } from "../../core/errors";
import type { CliContext } from "../context";
import { EXIT } from "../exit-codes";
import { emit } from "./shared";

async function readBundle(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new NotFoundError(`no proof file at ${path}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ValidationError("bundle", path, `is not JSON: ${(e as Error).message}`);
  }
}

/**
 * verify --bundle: checks a proof file (the one the verification page downloads) against the
 * configured chain node, trusting nothing else. Exit 0 when it proves a genuine code in circulation,
 * 3 when it proves anything else or proves nothing (recalled, sold, unknown, unverifiable).
 */
export function registerVerifyCommand(
  program: Command,
  context: () => Promise<CliContext>,
  setExit: (code: number) => void,
): void {
  program
    .command("verify")
    .description("check a downloaded proof file against the chain (TRACKROOT_RPC_URL), offline from any server")
    .requiredOption("--bundle <file>", "the proof file (ProofBundle v1 JSON)")
    .action(async (opts: { bundle: string }) => {
      const bundle = await readBundle(opts.bundle);
      const ctx = await context();
      const ledger = await ctx.ledger(false);
      const [{ verifyBundle }, { chainRootReader }] = await Promise.all([
        import("../../core/proof/verify-bundle"),
        import("../../chain/chain-roots"),
      ]);
      const result = await verifyBundle(bundle, chainRootReader(ledger));
      const code = (bundle as { code?: { gtin?: unknown; serial?: unknown } })?.code;
      const lines = result.checks.map(
        (c) =>
          `${c.ok ? "✓" : "✗"} ${c.name}: ${c.detail}${c.block !== undefined ? ` (block ${c.block}${c.transaction ? `, tx ${c.transaction}` : ""})` : ""}`,
      );
      emit(
        ctx,
        { verdict: result.verdict, code: code ?? null, checks: result.checks },
        [`${result.verdict}: GTIN ${String(code?.gtin)} serial ${String(code?.serial)}`, ...lines].join("\n"),
      );
      setExit(result.verdict === "genuine" ? EXIT.ok : EXIT.notProven);
    });
}
