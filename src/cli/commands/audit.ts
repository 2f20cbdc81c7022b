import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import type { Command } from "commander";
import type { AuditReport } from "../../audit/report-schema";
import { ValidationError } from "../../core/errors";
import type { CliContext } from "../context";
import { describeError, EXIT } from "../exit-codes";
import { readJsonFile } from "../io";
import { ProgressBar } from "../progress";
import { emit, positiveInt } from "./shared";

const FILES = {
  json: "audit-report.json",
  html: "audit-report.html",
  csv: "audit-violations.csv",
  state: "audit-state.json.gz",
} as const;

interface AuditOptions {
  out: string;
  since?: string;
  toBlock?: number;
  refusals: boolean;
}

/**
 * audit: replays the whole ledger from the chain node and the content store (nothing else) and
 * proves or refutes every invariant. Writes a JSON report, an HTML report and a CSV of violations,
 * plus the state its checkpoint continues from. Exit 0 clean, 3 violations, 1 could not audit.
 */
export function registerAuditCommand(
  program: Command,
  context: () => Promise<CliContext>,
  setExit: (code: number) => void,
): void {
  program
    .command("audit")
    .description(
      "replay the ledger from the chain and the content store and check every invariant (exit 0 clean, 3 violations, 1 could not audit)",
    )
    .option("--out <dir>", "where the reports go", "audit")
    .option("--since <report>", "continue from a previous audit-report.json's checkpoint (its state file beside it)")
    .option("--to-block <n>", "audit up to this block (default: the head)", positiveInt("to-block"))
    .option("--no-refusals", "skip reading every block for release attempts the contract refused")
    .action(async (opts: AuditOptions) => {
      const ctx = await context();
      try {
        await audit(ctx, opts, setExit);
      } catch (e) {
        ctx.io.err(`could not audit: ${describeError(e, false).replace(/^(error|unexpected): /, "")}`);
        setExit(EXIT.user);
      }
    });
}

async function audit(ctx: CliContext, opts: AuditOptions, setExit: (code: number) => void): Promise<void> {
  // loaded by this command alone: `trackroot --help` and every other command start without them
  const [{ createPublicClient, http }, { runAudit }, { RpcChainSource }, { contractAddresses, readDeployment }] =
    await Promise.all([
      import("viem"),
      import("../../audit/run-audit"),
      import("../../chain/chain-source"),
      import("../../chain/deployment"),
    ]);
  const [{ reportHtml }, { violationsCsv }] = await Promise.all([
    import("../../audit/report-html"),
    import("../../audit/report-csv"),
  ]);
  const out = resolve(ctx.cwd, opts.out);
  const resume = opts.since ? await readCheckpoint(resolve(ctx.cwd, opts.since)) : undefined;
  const deployment = await readDeployment(await ctx.deploymentPath());
  const client = createPublicClient({ transport: http(ctx.config.rpcUrl, { retryCount: 2, timeout: 30_000 }) });
  const addresses = contractAddresses(deployment);
  const chain = new RpcChainSource(client, [addresses.registry, addresses.serials, addresses.log]);
  let bar: ProgressBar | undefined;
  let phase = "";
  const { report, stateText } = await runAudit({
    chain,
    content: ctx.contentStore(),
    deployment,
    ...(resume ? { resume } : {}),
    ...(opts.toBlock !== undefined ? { toBlock: opts.toBlock } : {}),
    refusals: opts.refusals,
    stateFile: FILES.state,
    progress: (name, done, total) => {
      if (name !== phase) {
        bar?.finish();
        phase = name;
        bar = new ProgressBar(ctx.io, name.padEnd(13), total);
      }
      bar?.update(done);
    },
  });
  bar?.finish();
  await mkdir(out, { recursive: true });
  // the state first and the JSON report last: a report on disk always has its state beside it
  await writeAtomically(join(out, FILES.state), gzipSync(stateText));
  await writeAtomically(join(out, FILES.html), reportHtml(report));
  await writeAtomically(join(out, FILES.csv), violationsCsv(report));
  await writeAtomically(join(out, FILES.json), JSON.stringify(report, null, 2) + "\n");
  const t = report.totals;
  emit(
    ctx,
    report,
    [
      `${report.verdict === "clean" ? "✓ clean" : `✗ ${t.violations} violation${t.violations === 1 ? "" : "s"}${report.since ? ` (${t.newViolations} new)` : ""}`}: chain ${report.chain.chainId}, blocks ${report.since ? report.since.block + 1 : report.chain.fromBlock}–${report.chain.toBlock}; ${t.orders} orders, ${t.codesReleased.toLocaleString("en")} codes released, ${t.commitments} commitments, ${t.events.toLocaleString("en")} events, ${t.handovers} handovers`,
      ...report.checks.filter((c) => !c.passed).map((c) => `  ✗ ${c.title}: ${c.violations}`),
      ...report.violations
        .filter((v) => v.new)
        .slice(0, 20)
        .map((v) => `  - ${v.title}: ${v.explanation} (tx ${v.evidence.transaction}, block ${v.evidence.block})`),
      `report: ${join(out, FILES.html)} (JSON ${FILES.json}, CSV ${FILES.csv})`,
      `checkpoint: block ${report.checkpoint.block}, state ${report.checkpoint.stateDigest}; continue with: trackroot audit --since ${join(opts.out, FILES.json)}`,
    ].join("\n"),
  );
  setExit(report.verdict === "clean" ? EXIT.ok : EXIT.notProven);
}

/** A previous report (validated) and the state file its checkpoint names, from beside it. */
async function readCheckpoint(path: string): Promise<{ report: AuditReport; stateText: string }> {
  const [{ AuditReportSchema }, { CannotAuditError }] = await Promise.all([
    import("../../audit/report-schema"),
    import("../../audit/cannot-audit-error"),
  ]);
  const json = await readJsonFile(path, "since");
  const parsed = AuditReportSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ValidationError(`since.${issue.path.join(".")}`, path, issue.message);
  }
  const statePath = join(dirname(path), parsed.data.checkpoint.stateFile);
  let stateText: string;
  try {
    stateText = gunzipSync(await readFile(statePath)).toString("utf8");
  } catch (e) {
    throw new CannotAuditError(`the checkpoint's state file ${statePath} cannot be read: ${(e as Error).message}`);
  }
  return { report: parsed.data, stateText };
}

async function writeAtomically(path: string, data: string | Uint8Array): Promise<void> {
  await writeFile(`${path}.tmp`, data);
  await rename(`${path}.tmp`, path);
}
