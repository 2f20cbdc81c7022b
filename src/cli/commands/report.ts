import type { Command } from "commander";
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { licenseCsv, reportRange } from "../../core/orders/license-report";
import type { CliContext } from "../context";
import { emit, positiveInt } from "./shared";

/** report licenses: the basis of license fees, from the chain's events alone. */
export function registerReportCommands(program: Command, context: () => Promise<CliContext>): void {
  const report = program.command("report").description("reports from the ledger");
  report
    .command("licenses")
    .description("codes released and voided per producer or licensee, product (GTIN) and month")
    .requiredOption("--from <date>", "first day, YYYY-MM-DD (UTC)")
    .requiredOption("--to <date>", "last day, YYYY-MM-DD (UTC), inclusive")
    .option("--brand <id>", "only this brand's orders", positiveInt("brand"))
    .option("--csv [file]", "CSV: to the file, or to standard output")
    .action(async (opts: { from: string; to: string; brand?: number; csv?: string | true }) => {
      const range = reportRange(opts.from, opts.to);
      const ctx = await context();
      const { licenseReport } = await import("../../release/license-report");
      const rows = await licenseReport({
        ledger: await ctx.ledger(false),
        range,
        ...(opts.brand !== undefined ? { brand: opts.brand } : {}),
      });
      if (opts.csv === true) return ctx.io.out(licenseCsv(rows).trimEnd());
      if (typeof opts.csv === "string") {
        const file = resolve(ctx.cwd, opts.csv);
        await writeFile(file, licenseCsv(rows));
        ctx.io.err(`${rows.length} rows written to ${file}`);
      }
      const total = rows.reduce((sum, r) => sum + r.net, 0n);
      emit(
        ctx,
        rows,
        [
          ...rows.map(
            (r) =>
              `${r.period}  producer ${r.producer} ${r.producerName} (${r.producerGln})  GTIN ${r.gtin}: ${r.released} released in ${r.batches} batches, ${r.voided} voided, ${r.net} net`,
          ),
          `${total} codes net from ${opts.from} to ${opts.to}`,
        ].join("\n"),
      );
    });
}
