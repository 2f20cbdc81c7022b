import type { AuditReport } from "./report-schema";

const COLUMNS = [
  "id",
  "kind",
  "check",
  "title",
  "explanation",
  "block",
  "transaction",
  "cid",
  "relayer",
  "sequence",
  "entry_digest",
  "event_hash",
  "epc",
  "submitter",
  "participant",
  "participant_name",
  "order",
  "batch",
  "new",
] as const;

/** The violations as CSV (RFC 4180), one row each with its evidence, for spreadsheets and case files. */
export function violationsCsv(report: AuditReport): string {
  const rows = report.violations.map((v) => {
    const e = v.evidence;
    return [
      v.id,
      v.kind,
      v.check,
      v.title,
      v.explanation,
      e.block,
      e.transaction,
      e.cid,
      e.relayer,
      e.sequence,
      e.entryDigest,
      e.eventHash,
      e.epc,
      e.submitter,
      e.participant,
      e.participantName,
      e.order,
      e.batch,
      v.new,
    ];
  });
  return [COLUMNS, ...rows].map((row) => row.map(cell).join(",")).join("\r\n") + "\r\n";
}

/** A quoted cell; text a spreadsheet would run as a formula is prefixed with an apostrophe. */
function cell(value: unknown): string {
  if (value === undefined) return "";
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n']/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
