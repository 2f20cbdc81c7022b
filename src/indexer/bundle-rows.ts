import type { Selectable } from "kysely";
import { unitIdentifier } from "../core/epcis/unit-identifier";
import { codeLeafHash } from "../core/merkle/leaves";
import type { IndexerTables } from "../store/indexer-schema";
import { historyRows } from "./code-view";
import { containerStretches } from "./container-stretches";
import type { IndexerStore } from "./indexer-store";

/** A span of ledger time (ms) in which a subject's steps are the code's. */
export interface Stretch {
  from: number;
  to: number;
}

export interface BundleEventRow {
  digest: string;
  position: number;
  event_hash: string;
  event: string;
  event_time: string;
  relayer: number;
  sequence: number;
  proof_data: string;
  block_number: number;
  epc: string;
}

export interface BundleHandoverRow {
  digest: string;
  position: number;
  item: string;
  relayer: number;
  sequence: number;
  proof_data: string;
  event_time: string;
  block_number: number;
}

export interface BundleCommitment {
  row: Selectable<IndexerTables["commitments"]>;
  /** its entries in leaf order */
  entries: { kind: "capture" | "handover"; digest: string }[];
}

/** Everything a code's proof bundle is assembled from, read in one step (src/indexer/bundle-assembly.ts is the rest). */
export interface BundleRows {
  gtin: string;
  serial: string;
  /** the code's EPC (its Digital Link) */
  epc: string;
  /** the released batch holding the code's leaf, and the leaf's rank in it */
  release: { batch: Selectable<IndexerTables["batches"]>; rank: number } | null;
  /** the code, and every container while the code was inside it */
  within: Map<string, Stretch[]>;
  /** why the lifecycle rules refused facts naming these subjects, by event hash or handover digest */
  refusals: Map<string, string>;
  events: BundleEventRow[];
  handovers: BundleHandoverRow[];
  /** each commitment the events and handovers are in, by "relayer:sequence" */
  commitments: Map<string, BundleCommitment>;
}

export const commitmentKey = (relayer: number, sequence: number): string => `${relayer}:${sequence}`;

/** Reads from checked state what a code's proof bundle needs; the queries and nothing else. */
export async function readBundleRows(store: IndexerStore, gtin: string, serial: string): Promise<BundleRows> {
  const { db } = store;
  const leaf = codeLeafHash(BigInt(gtin), serial);
  const at = await db.selectFrom("code_leaves").selectAll().where("leaf", "=", leaf).executeTakeFirst();
  const release = at
    ? {
        batch: await db.selectFrom("batches").selectAll().where("id", "=", at.batch_id).executeTakeFirstOrThrow(),
        rank: at.rank,
      }
    : null;
  const epc = unitIdentifier(gtin, serial);
  // the code's own steps, and those of every container while it was inside (a case's handover is
  // the custody of every unit in it, proven through the packing event), before and after unpacking
  const stretches = await containerStretches(await historyRows(store, [epc]), (c) => historyRows(store, [c]));
  const within = new Map<string, Stretch[]>([[epc, [{ from: -Infinity, to: Infinity }]]]);
  for (const s of stretches)
    within.set(s.epc, [...(within.get(s.epc) ?? []), { from: s.from.time, to: s.to?.time ?? Infinity }]);
  const subjects = [...within.keys()];

  const events = await db
    .selectFrom("event_epcs as x")
    .innerJoin("capture_events as e", (j) =>
      j.onRef("e.digest", "=", "x.digest").onRef("e.position", "=", "x.position"),
    )
    .innerJoin("captures as c", "c.digest", "e.digest")
    .select([
      "e.digest",
      "e.position",
      "e.event_hash",
      "e.event",
      "e.event_time",
      "c.relayer",
      "c.sequence",
      "c.proof_data",
      "c.block_number",
      "x.epc",
    ])
    .where("x.epc", "in", subjects)
    .where("c.valid", "=", 1)
    .execute();
  const handovers = await db
    .selectFrom("handover_items as i")
    .innerJoin("handovers as h", "h.digest", "i.digest")
    .select([
      "i.digest",
      "i.position",
      "i.item",
      "h.relayer",
      "h.sequence",
      "h.proof_data",
      "h.event_time",
      "h.block_number",
    ])
    .where("i.item", "in", subjects)
    .where("h.valid", "=", 1)
    .execute();
  const wanted = new Map<string, { relayer: number; sequence: number }>();
  for (const r of [...events, ...handovers]) {
    const sequence = Number(r.sequence);
    wanted.set(commitmentKey(r.relayer, sequence), { relayer: r.relayer, sequence });
  }
  return {
    gtin,
    serial,
    epc,
    release,
    within,
    refusals: await refusalsOf(store, subjects),
    events: events.map((e) => ({ ...e, sequence: Number(e.sequence), block_number: Number(e.block_number) })),
    handovers: handovers.map((h) => ({ ...h, sequence: Number(h.sequence), block_number: Number(h.block_number) })),
    commitments: await commitmentsOf(store, [...wanted.values()]),
  };
}

async function commitmentsOf(
  store: IndexerStore,
  wanted: readonly { relayer: number; sequence: number }[],
): Promise<Map<string, BundleCommitment>> {
  const found = new Map<string, BundleCommitment>();
  for (const { relayer, sequence } of wanted) {
    const row = await store.db
      .selectFrom("commitments")
      .selectAll()
      .where("relayer", "=", relayer)
      .where("sequence", "=", sequence)
      .executeTakeFirstOrThrow();
    const entries = await store.db
      .selectFrom("commitment_entries")
      .select(["kind", "digest"])
      .where("relayer", "=", relayer)
      .where("sequence", "=", sequence)
      .orderBy("position")
      .execute();
    found.set(commitmentKey(relayer, sequence), { row, entries });
  }
  return found;
}

/**
 * Why the lifecycle rules refused facts naming these codes, by event hash or handover digest, with
 * participants named as the registry names them: the page shows the attempt, never its effect.
 */
async function refusalsOf(store: IndexerStore, subjects: readonly string[]): Promise<Map<string, string>> {
  const rows = await store.db
    .selectFrom("anomalies")
    .select(["ref", "detail"])
    .where("epc", "in", subjects)
    .where("kind", "in", ["unauthorised_event", "handover_by_non_holder"])
    .orderBy("ordinal")
    .execute();
  if (rows.length === 0) return new Map();
  const names = new Map(
    (await store.db.selectFrom("participants").select(["id", "name"]).execute()).map((p) => [String(p.id), p.name]),
  );
  const refusals = new Map<string, string>();
  for (const r of rows) {
    if (refusals.has(r.ref)) continue;
    refusals.set(
      r.ref,
      r.detail.replace(/participant (\d+)/g, (whole, id: string) => names.get(id) ?? whole),
    );
  }
  return refusals;
}
