import { ValidationError } from "../errors";

/** The verdicts on which the page offers a report: where the visitor has reason to doubt the pack. */
export const SUSPECT_VERDICTS = ["unknown", "suspicious", "unverifiable"] as const;
export type SuspectVerdict = (typeof SUSPECT_VERDICTS)[number];

/** The most a report may say, field by field, and the most its request body may weigh. */
export const SUSPECT_REPORT_LIMITS = { where: 200, what: 2000, contact: 200, bodyBytes: 8192 } as const;

/**
 * A visitor's report of a suspect pack (trackroot.suspect-report.v1), as the verification page
 * sends it: the verdict it was shown, where the pack was bought, what looked wrong, and a way to
 * reach them if they chose to give one. Only what the visitor typed: nothing about them is added.
 */
export interface SuspectReport {
  verdict: SuspectVerdict;
  where: string;
  what: string;
  contact?: string;
}

const FIELDS = new Set(["verdict", "where", "what", "contact"]);
/** Control characters other than tabs and line breaks: never in what a person types. */
function hasControl(text: string): boolean {
  for (const c of text) {
    const n = c.codePointAt(0) as number;
    if ((n < 0x20 && n !== 0x09 && n !== 0x0a && n !== 0x0d) || n === 0x7f || n === 0x2028 || n === 0x2029) return true;
  }
  return false;
}

function text(
  body: Record<string, unknown>,
  field: "where" | "what" | "contact",
  required: boolean,
): string | undefined {
  const value = body[field];
  if (value === undefined || (value === "" && !required)) {
    if (required) throw new ValidationError(field, value, "is required");
    return undefined;
  }
  if (typeof value !== "string") throw new ValidationError(field, value, "must be text");
  const trimmed = value.trim();
  if (required && trimmed === "") throw new ValidationError(field, value, "is required");
  if ([...trimmed].length > SUSPECT_REPORT_LIMITS[field])
    throw new ValidationError(
      field,
      `${trimmed.slice(0, 40)}…`,
      `is at most ${SUSPECT_REPORT_LIMITS[field]} characters`,
    );
  if (hasControl(trimmed)) throw new ValidationError(field, trimmed.slice(0, 40), "holds control characters");
  return trimmed === "" ? undefined : trimmed;
}

/** A report from a parsed request body, each field checked; a bad one names the field. */
export function parseSuspectReport(body: unknown): SuspectReport {
  if (body === null || typeof body !== "object" || Array.isArray(body))
    throw new ValidationError("body", body, "a report is a JSON object");
  const record = body as Record<string, unknown>;
  const unknown = Object.keys(record).find((k) => !FIELDS.has(k));
  if (unknown !== undefined) throw new ValidationError(unknown, record[unknown], "is not a field of a report");
  const verdict = record.verdict;
  if (typeof verdict !== "string" || !(SUSPECT_VERDICTS as readonly string[]).includes(verdict))
    throw new ValidationError("verdict", verdict, `is one of ${SUSPECT_VERDICTS.join(", ")}`);
  const contact = text(record, "contact", false);
  return {
    verdict: verdict as SuspectVerdict,
    where: text(record, "where", true) as string,
    what: text(record, "what", true) as string,
    ...(contact !== undefined ? { contact } : {}),
  };
}
