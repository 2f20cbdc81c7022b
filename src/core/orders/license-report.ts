import { ValidationError } from "../errors";

/** A release or void as the report counts it: who produced what, when, how many. */
export interface CodeMovement {
  kind: "released" | "voided";
  producer: number;
  gtin: string;
  /** seconds since the epoch (the block's timestamp) */
  timestamp: number;
  count: bigint;
}

/** One line of the license report: a producer's codes of one product in one month. */
export interface LicenseRow {
  producer: number;
  producerName: string;
  producerGln: string;
  gtin: string;
  /** YYYY-MM, UTC */
  period: string;
  batches: number;
  released: bigint;
  voided: bigint;
  /** released minus voided: the codes license fees are due on */
  net: bigint;
}

/** An inclusive UTC date range as [from, to) in seconds. */
export function reportRange(from: string, to: string): { from: number; to: number } {
  const day = (value: string, field: string) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
    if (!m || new Date(t).toISOString().slice(0, 10) !== value)
      throw new ValidationError(field, value, "a date YYYY-MM-DD");
    return t / 1000;
  };
  const range = { from: day(from, "from"), to: day(to, "to") + 86_400 };
  if (range.to <= range.from) throw new ValidationError("to", to, `must not be before --from ${from}`);
  return range;
}

/** Sums movements inside `range` per producer, GTIN and month, sorted by producer, GTIN, period. */
export function licenseRows(
  movements: readonly CodeMovement[],
  range: { from: number; to: number },
  participants: (id: number) => { name: string; gln: string },
): LicenseRow[] {
  const rows = new Map<string, LicenseRow>();
  for (const m of movements) {
    if (m.timestamp < range.from || m.timestamp >= range.to) continue;
    const period = new Date(m.timestamp * 1000).toISOString().slice(0, 7);
    const key = `${m.producer}|${m.gtin}|${period}`;
    let row = rows.get(key);
    if (!row) {
      const p = participants(m.producer);
      row = {
        producer: m.producer,
        producerName: p.name,
        producerGln: p.gln,
        gtin: m.gtin,
        period,
        batches: 0,
        released: 0n,
        voided: 0n,
        net: 0n,
      };
      rows.set(key, row);
    }
    if (m.kind === "released") {
      row.batches++;
      row.released += m.count;
    } else row.voided += m.count;
    row.net = row.released - row.voided;
  }
  return [...rows.values()].sort(
    (a, b) => a.producer - b.producer || a.gtin.localeCompare(b.gtin) || a.period.localeCompare(b.period),
  );
}

const CSV_COLUMNS = [
  "producer",
  "producer_name",
  "producer_gln",
  "gtin",
  "period",
  "batches",
  "released",
  "voided",
  "net",
];

/** The report as CSV (RFC 4180 quoting for names). */
export function licenseCsv(rows: readonly LicenseRow[]): string {
  const quote = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = rows.map((r) =>
    [r.producer, quote(r.producerName), r.producerGln, r.gtin, r.period, r.batches, r.released, r.voided, r.net].join(
      ",",
    ),
  );
  return [CSV_COLUMNS.join(","), ...lines].join("\n") + "\n";
}
