import { sha256 } from "@noble/hashes/sha2";
import { bytesToHex } from "@noble/hashes/utils";
import type { IndexerStore } from "./indexer-store";

export interface VerificationCounterOptions {
  store: IndexerStore;
  /** the window verifications are counted over */
  windowMs: number;
  /** this many verifications of one code within the window is a clone warning */
  maxVerifications: number;
  /** verifications from this many regions within the window is a clone warning */
  maxRegions: number;
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
 * client is stored only as a salted hash, never the address itself.
 */
export class VerificationCounter {
  constructor(private readonly options: VerificationCounterOptions) {}

  /** The count within the window, without counting a verification. */
  async tally(epc: string): Promise<VerificationTally> {
    const at = (this.options.now ?? Date.now)();
    const rows = await this.options.store.db
      .selectFrom("verifications")
      .select("region")
      .where("epc", "=", epc)
      .where("at", ">", at - this.options.windowMs)
      .execute();
    const alert = await this.options.store.db
      .selectFrom("clone_alerts")
      .select("id")
      .where("epc", "=", epc)
      .where("at", ">", at - this.options.windowMs)
      .executeTakeFirst();
    const regions = new Set(rows.map((r) => r.region).filter(Boolean)).size;
    return { verifications: rows.length, regions, suspicious: !!alert };
  }

  async record(input: { epc: string; region: string; client: string }): Promise<VerificationTally> {
    const { store, windowMs } = this.options;
    const at = (this.options.now ?? Date.now)();
    const client = bytesToHex(sha256(new TextEncoder().encode(`trackroot-client\n${input.client}`))).slice(0, 16);
    return store.db.transaction().execute(async (tx) => {
      await tx.insertInto("verifications").values({ epc: input.epc, at, region: input.region, client }).execute();
      const rows = await tx
        .selectFrom("verifications")
        .select(["region"])
        .where("epc", "=", input.epc)
        .where("at", ">", at - windowMs)
        .execute();
      const regions = new Set(rows.map((r) => r.region).filter(Boolean)).size;
      const tally = { verifications: rows.length, regions };
      const over = tally.verifications >= this.options.maxVerifications || regions >= this.options.maxRegions;
      const recent = await tx
        .selectFrom("clone_alerts")
        .select("id")
        .where("epc", "=", input.epc)
        .where("at", ">", at - windowMs)
        .executeTakeFirst();
      if (over && !recent) {
        await tx
          .insertInto("clone_alerts")
          .values({
            id: `0x${bytesToHex(sha256(new TextEncoder().encode(`cloned_code\n${input.epc}\n${at}`))).slice(0, 32)}`,
            epc: input.epc,
            detail: `verified ${tally.verifications} times from ${regions} region(s) within ${Math.round(windowMs / 3_600_000)} h`,
            verifications: tally.verifications,
            regions,
            at,
          })
          .execute();
      }
      return { ...tally, suspicious: over || !!recent };
    });
  }
}
