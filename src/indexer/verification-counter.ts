import { sha256 } from "@noble/hashes/sha2";
import { bytesToHex } from "@noble/hashes/utils";
import type { IndexerTables } from "../store/indexer-schema";
import type { IndexerStore } from "./indexer-store";
import { rowChunks } from "../store/row-chunks";
import { visitorHash } from "./visitor-hash";

export interface VerificationCounterOptions {
  store: IndexerStore;
  /** the window verifications are counted over */
  windowMs: number;
  /** this many distinct clients verifying one code within the window is a clone warning */
  maxVerifications: number;
  /** verifications from this many regions within the window is a clone warning */
  maxRegions: number;
  /** this many lookups of codes never released, from one client within the window, is an enumeration attempt */
  maxUnknownLookups: number;
  /** mixed into each client's hash, so a stored hash does not give the address back by trying them all */
  clientSalt?: string;
  /** verifications are written in groups, at most this long after they were counted */
  flushMs?: number;
  now?: () => number;
}

export interface VerificationTally {
  /** distinct clients that verified the code within the window */
  verifications: number;
  regions: number;
  /** whether this code is flagged as possibly cloned (now or earlier in the window) */
  suspicious: boolean;
}

/**
 * Counts consumer verifications per code, and raises a clone alert when one code is verified by
 * more clients, or from more regions, than one genuine pack would be. What counts:
 * - a client (a salted hash of its address, never the address) counts once per code and window,
 *   however often it asks, so one visitor cannot make a genuine code look cloned;
 * - a region counts only when the HTTP layer took it from a trusted proxy (the caller passes ""
 *   otherwise): a request cannot declare its own;
 * - lookups of codes that were never released are no verification of anything: they are counted
 *   per client, and many from one client within the window raise an enumeration alert instead.
 * Counts are written in groups (one transaction per `flushMs`); a crash loses at most that much of
 * them, which are statistics, not submissions.
 */
export class VerificationCounter {
  private pending: IndexerTables["verifications"][] = [];
  private pendingAlerts: IndexerTables["clone_alerts"][] = [];
  private pendingLookups: IndexerTables["unknown_lookups"][] = [];
  private pendingEnumerations: IndexerTables["enumeration_alerts"][] = [];
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly options: VerificationCounterOptions) {}

  /** The count within the window, without counting a verification. */
  async tally(epc: string): Promise<VerificationTally> {
    const at = this.now();
    const rows = await this.counted(epc, at);
    return { ...summary(rows), suspicious: await this.alerted(epc, at) };
  }

  /** Counts a verification of a released code by `client` (its address), from `region` ("" unknown). */
  async record(input: { epc: string; region: string; client: string }): Promise<VerificationTally> {
    const at = this.now();
    const client = this.clientHash(input.client);
    const rows = await this.counted(input.epc, at);
    // the same client again within the window adds nothing, unless it brings a region not yet seen
    if (!rows.some((r) => r.client === client && r.region === input.region)) {
      const row = { epc: input.epc, at, region: input.region, client };
      rows.push(row);
      this.pending.push(row);
    }
    const { verifications, regions } = summary(rows);
    const over = verifications >= this.options.maxVerifications || regions >= this.options.maxRegions;
    const alerted = await this.alerted(input.epc, at);
    if (over && !alerted) {
      this.pendingAlerts.push({
        id: alertId(`cloned_code\n${input.epc}\n${at}`),
        epc: input.epc,
        detail: `verified by ${verifications} distinct clients from ${regions} region(s) within ${hours(this.options.windowMs)} h`,
        verifications,
        regions,
        at,
      });
    }
    this.schedule();
    return { verifications, regions, suspicious: over || alerted };
  }

  /** Counts a lookup of a code never released; many from one client are an enumeration attempt. */
  async recordUnknown(input: { client: string }): Promise<void> {
    const at = this.now();
    const client = this.clientHash(input.client);
    const since = at - this.options.windowMs;
    this.pendingLookups.push({ client, at });
    const stored = await this.options.store.db
      .selectFrom("unknown_lookups")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("client", "=", client)
      .where("at", ">", since)
      .executeTakeFirst();
    const lookups =
      Number(stored?.n ?? 0) + this.pendingLookups.filter((l) => l.client === client && l.at > since).length;
    if (lookups >= this.options.maxUnknownLookups && !(await this.enumerationAlerted(client, since))) {
      this.pendingEnumerations.push({
        id: alertId(`enumeration_attempt\n${client}\n${at}`),
        client,
        detail: `one client looked up ${lookups} codes that were never released within ${hours(this.options.windowMs)} h`,
        lookups,
        at,
      });
    }
    this.schedule();
  }

  /** Writes the counted verifications, lookups and alerts in one transaction. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = {
      verifications: this.pending,
      clone_alerts: this.pendingAlerts,
      unknown_lookups: this.pendingLookups,
      enumeration_alerts: this.pendingEnumerations,
    };
    this.pending = [];
    this.pendingAlerts = [];
    this.pendingLookups = [];
    this.pendingEnumerations = [];
    this.flushing = this.flushing.then(async () => {
      if (Object.values(batch).every((rows) => rows.length === 0)) return;
      await this.options.store.db.transaction().execute(async (tx) => {
        for (const chunk of rowChunks(batch.verifications))
          await tx.insertInto("verifications").values(chunk).execute();
        for (const chunk of rowChunks(batch.unknown_lookups))
          await tx.insertInto("unknown_lookups").values(chunk).execute();
        if (batch.clone_alerts.length) await tx.insertInto("clone_alerts").values(batch.clone_alerts).execute();
        if (batch.enumeration_alerts.length)
          await tx.insertInto("enumeration_alerts").values(batch.enumeration_alerts).execute();
      });
    });
    return this.flushing;
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => void this.flush(), this.options.flushMs ?? 100);
  }

  private clientHash(address: string): string {
    return visitorHash(address, this.options.clientSalt);
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private async counted(epc: string, at: number): Promise<{ region: string; client: string }[]> {
    const stored = await this.options.store.db
      .selectFrom("verifications")
      .select(["region", "client"])
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

  private async enumerationAlerted(client: string, since: number): Promise<boolean> {
    if (this.pendingEnumerations.some((a) => a.client === client)) return true;
    const stored = await this.options.store.db
      .selectFrom("enumeration_alerts")
      .select("id")
      .where("client", "=", client)
      .where("at", ">", since)
      .executeTakeFirst();
    return !!stored;
  }
}

function summary(rows: readonly { region: string; client: string }[]): { verifications: number; regions: number } {
  return {
    verifications: new Set(rows.map((r) => r.client)).size,
    regions: new Set(rows.map((r) => r.region).filter(Boolean)).size,
  };
}

const alertId = (text: string) => `0x${bytesToHex(sha256(new TextEncoder().encode(text))).slice(0, 32)}`;
const hours = (ms: number) => Math.round(ms / 3_600_000);
