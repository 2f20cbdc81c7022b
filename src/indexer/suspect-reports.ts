import { randomBytes } from "node:crypto";
import type { SuspectReport } from "../core/reports/suspect-report";
import type { RateLimiter } from "../http/rate-limiter";
import type { IndexerStore } from "./indexer-store";
import { visitorHash } from "./visitor-hash";

export interface SuspectReportsOptions {
  store: IndexerStore;
  /** per visitor (its salted hash): reports are few, so a handful an hour */
  limiter: RateLimiter;
  /** the salt of the visitors' hashes, shared with the verification counter */
  clientSalt?: string;
  now?: () => number;
}

/**
 * Visitors' reports of suspect packs, kept with the anomalies: exactly what the visitor typed, the
 * code and the verdict they were shown, and a salted hash of their address (so a brand sees one
 * visitor's repeats, never who they are). The webhooks send each one like an anomaly.
 */
export class SuspectReports {
  constructor(private readonly options: SuspectReportsOptions) {}

  /** Stores a report from the visitor at `address`; a visitor over its budget is refused (429). */
  async record(epc: string, report: SuspectReport, address: string): Promise<{ id: string }> {
    const visitor = visitorHash(address, this.options.clientSalt);
    this.options.limiter.take(visitor, 1);
    const id = `report-${randomBytes(12).toString("hex")}`;
    await this.options.store.db
      .insertInto("suspect_reports")
      .values({
        id,
        epc,
        verdict: report.verdict,
        bought_at: report.where,
        what: report.what,
        contact: report.contact ?? "",
        visitor,
        at: (this.options.now ?? Date.now)(),
      })
      .execute();
    return { id };
  }
}
