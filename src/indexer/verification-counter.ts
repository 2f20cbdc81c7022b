import { sha256 } from "@noble/hashes/sha2";
import { bytesToHex } from "@noble/hashes/utils";
import type { IndexerTables } from "../store/indexer-schema";
import type { IndexerStore } from "./indexer-store";
import { rowChunks } from "../store/row-chunks";

export interface VerificationCounterOptions {
  store: IndexerStore;
  /** the window verifications are counted over */
  windowMs: number;
  /** this many verifications of one code within the window is a clone warning */
  maxVerifications: number;
  /** verifications from this many regions within the window is a clone warning */
  maxRegions: number;
  /** verifications are written in groups, at most this long after they were counted */
  flushMs?: number;
  now?: () => number;
}

export interface VerificationTally {
  verifications: number;
  regions: number;
  /** whether this code is flagged as possibly cloned (now or earlier in the window) */
  suspicious: boolean;
}

/**
 * Counts consumer verifications per code, and raises a clone alert when one code is verified
 * more often, or from more regions, than one genuine pack would be. A region is what the proof
 * endpoint was told (a trusted proxy's country header, or the page's self-declared region); the
 * client is stored only as a salted hash, never the address itself. Counts are written in groups
 * (one transaction per `flushMs`), so a busy proof endpoint does not wait on a disk flush per
 * request; a crash loses at most that much of the counts, which are statistics, not submissions.
 */
export class VerificationCounter {
  private pending: IndexerTables["verifications"][] = [];
  private pendingAlerts: IndexerTables["clone_alerts"][] = [];
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly options: VerificationCounterOptions) {}

  /** The count within the window, without counting a verification. */
  async tally(epc: string): Promise<VerificationTally> {
    const at = this.now();
    const rows = await this.counted(epc, at);
    const regions = new Set(rows.map((r) => r.region).filter(Boolean)).size;
    return { verifications: rows.length, regions, suspicious: await this.alerted(epc, at) };
  }

  async record(input: { epc: string; region: string; client: string }): Promise<VerificationTally> {
    const at = this.now();
    const client = bytesToHex(sha256(new TextEncoder().encode(`trackroot-client\n${input.client}`))).slice(0, 16);
    const row = { epc: input.epc, at, region: input.region, client };
    const rows = [...(await this.counted(input.epc, at)), row];
    this.pending.push(row);
    const regions = new Set(rows.map((r) => r.region).filter(Boolean)).size;
    const over = rows.length >= this.options.maxVerifications || regions >= this.options.maxRegions;
    const alerted = await this.alerted(input.epc, at);
    if (over && !alerted) {
      this.pendingAlerts.push({
        id: `0x${bytesToHex(sha256(new TextEncoder().encode(`cloned_code\n${input.epc}\n${at}`))).slice(0, 32)}`,
        epc: input.epc,
        detail: `verified ${rows.length} times from ${regions} region(s) within ${Math.round(this.options.windowMs / 3_600_000)} h`,
        verifications: rows.length,
        regions,
        at,
      });
    }
    this.timer ??= setTimeout(() => void this.flush(), this.options.flushMs ?? 100);
    return { verifications: rows.length, regions, suspicious: over || alerted };
  }

  /** Writes the counted verifications and alerts in one transaction. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const rows = this.pending;
    const alerts = this.pendingAlerts;
    this.pending = [];
    this.pendingAlerts = [];
    this.flushing = this.flushing.then(async () => {
      if (!rows.length && !alerts.length) return;
      await this.options.store.db.transaction().execute(async (tx) => {
        for (const chunk of rowChunks(rows)) await tx.insertInto("verifications").values(chunk).execute();
        if (alerts.length) await tx.insertInto("clone_alerts").values(alerts).execute();
      });
    });
    return this.flushing;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private async counted(epc: string, at: number): Promise<{ region: string }[]> {
    const stored = await this.options.store.db
      .selectFrom("verifications")
      .select("region")
      .where("epc", "=", epc)
      .where("at", ">", at - this.options.windowMs)
      .execute();
    return [...stored, ...this.pending.filter((p) => p.epc === epc && p.at > at - this.options.windowMs)];
  }

  private async alerted(epc: string, at: number): Promise<boolean> {
    if (this.pendingAlerts.some((a) => a.epc === epc)) return true;
    const stored = await this.options.store.db
      .selectFrom("clone_alerts")
      .select("id")
      .where("epc", "=", epc)
      .where("at", ">", at - this.options.windowMs)
      .executeTakeFirst();
    return !!stored;
  }
}
