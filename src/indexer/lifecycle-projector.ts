import { sha256 } from "@noble/hashes/sha2";
import { bytesToHex } from "@noble/hashes/utils";
import type { Transaction } from "kysely";
import { unitOf, type CodeState } from "../core/lifecycle/code-state";
import type { Coordinates } from "../core/lifecycle/geo";
import { eventFact } from "../core/lifecycle/event-fact";
import { LedgerRules, type EventFact, type LedgerFact } from "../core/lifecycle/ledger-rules";
import type { CodeOrigin } from "../core/lifecycle/record-rights";
import { codeLeafHash } from "../core/merkle/leaves";
import type { IndexerTables } from "../store/indexer-schema";
import type { IndexerStore } from "./indexer-store";
import { rowChunks } from "../store/row-chunks";

type Tx = Transaction<IndexerTables>;

export interface LifecycleProjectorOptions {
  store: IndexerStore;
  /** known sites' coordinates by location id (readPoint), for travel checks */
  sites: Readonly<Record<string, Coordinates>>;
  /** faster than this between two sightings is impossible */
  maxSpeedKmh: number;
  log?: (event: string, detail: Record<string, unknown>) => void;
}

const CHUNK = 500;

/**
 * Applies the core's lifecycle rules to checked commitments in ledger order (block, relayer,
 * sequence), one commitment per transaction. A commitment waits while any content at or below its
 * block is still pending, so a code's history never depends on which fetch happened to finish
 * first: the same chain and content give the same history and anomalies.
 */
export class LifecycleProjector {
  constructor(private readonly options: LifecycleProjectorOptions) {}

  /** Applies up to `limit` commitments; returns how many. */
  async runOnce(limit = 50): Promise<number> {
    const { store } = this.options;
    const next = await store.db
      .selectFrom("commitments as c")
      .leftJoin("lifecycle_progress as p", (j) =>
        j.onRef("p.relayer", "=", "c.relayer").onRef("p.sequence", "=", "c.sequence"),
      )
      .select(["c.relayer", "c.sequence", "c.block_number"])
      .where("p.relayer", "is", null)
      .orderBy("c.block_number")
      .orderBy("c.relayer")
      .orderBy("c.sequence")
      .limit(limit)
      .execute();
    let applied = 0;
    for (const c of next) {
      const block = Number(c.block_number);
      const waiting = await store.db
        .selectFrom("content_checks")
        .select("subject")
        .where("status", "=", "pending")
        .where("block_number", "<=", block)
        .limit(1)
        .executeTakeFirst();
      if (waiting) break;
      await store.db.transaction().execute((tx) => this.apply(tx, c.relayer, Number(c.sequence), block));
      applied++;
    }
    return applied;
  }

  private async apply(tx: Tx, relayer: number, sequence: number, block: number): Promise<void> {
    const facts = await factsOf(tx, relayer, sequence);
    const states = new Map<string, CodeState>();
    const children = new Map<string, Set<string>>();
    await loadStates(tx, facts, states, children);
    const origins = await unitOrigins(tx, facts);
    const kinds = await participantKinds(tx, facts);
    const rules = new LedgerRules({
      states,
      children,
      origin: (u) => origins.get(codeLeafHash(BigInt(u.gtin), u.serial)),
      kindOf: (participant) => kinds.get(participant),
      sites: this.options.sites,
      maxSpeedKmh: this.options.maxSpeedKmh,
    });
    const history: IndexerTables["code_history"][] = [];
    const anomalies: IndexerTables["anomalies"][] = [];
    for (const { fact, position, sub } of facts) {
      const base = `${pad(block, 12)}.${pad(relayer, 6)}.${pad(sequence, 12)}.${pad(position, 7)}.${pad(sub, 7)}`;
      const result = rules.apply(fact);
      for (const [k, change] of result.changes.entries()) {
        const s = change.state;
        history.push({
          epc: change.epc,
          ordinal: `${base}.${pad(k, 7)}`,
          cause: change.cause,
          ref: change.ref,
          participant: change.participant,
          time: change.time,
          place: change.place,
          commissioned: s.commissioned ? 1 : 0,
          ended: s.ended,
          holder: s.holder,
          parent: s.parent,
          last_time: s.lastTime,
          last_place: s.lastPlace,
          block_number: block,
        });
      }
      for (const [k, a] of result.anomalies.entries()) {
        const ordinal = `${base}.${pad(k, 7)}`;
        anomalies.push({
          id: `0x${bytesToHex(sha256(new TextEncoder().encode(`${a.kind}\n${a.epc}\n${a.ref}\n${ordinal}`))).slice(0, 32)}`,
          kind: a.kind,
          epc: a.epc,
          ref: a.ref,
          detail: a.detail,
          ordinal,
          time: fact.time,
          block_number: block,
        });
      }
    }
    for (const chunk of rowChunks(history)) await tx.insertInto("code_history").values(chunk).execute();
    for (const chunk of rowChunks(anomalies)) await tx.insertInto("anomalies").values(chunk).execute();
    await tx.insertInto("lifecycle_progress").values({ relayer, sequence, block_number: block }).execute();
    this.options.log?.("lifecycle.applied", {
      relayer,
      sequence,
      changes: history.length,
      anomalies: anomalies.length,
    });
  }
}

interface PlacedFact {
  fact: LedgerFact;
  /** the entry's position in its commitment, and the event's in its capture */
  position: number;
  sub: number;
}

/** The valid events and handovers first committed in this commitment, in content order. */
async function factsOf(tx: Tx, relayer: number, sequence: number): Promise<PlacedFact[]> {
  const entries = await tx
    .selectFrom("commitment_entries")
    .select(["position", "kind", "digest"])
    .where("relayer", "=", relayer)
    .where("sequence", "=", sequence)
    .orderBy("position")
    .execute();
  const events = await tx
    .selectFrom("capture_events as e")
    .innerJoin("captures as c", "c.digest", "e.digest")
    .select(["e.digest", "e.position", "e.event_hash", "e.event", "c.participant"])
    .where("c.relayer", "=", relayer)
    .where("c.sequence", "=", sequence)
    .where("c.valid", "=", 1)
    .orderBy("e.digest")
    .orderBy("e.position")
    .execute();
  const handovers = await tx
    .selectFrom("handovers")
    .select(["digest", "sender_participant", "receiver_participant", "event_time"])
    .where("relayer", "=", relayer)
    .where("sequence", "=", sequence)
    .where("valid", "=", 1)
    .execute();
  const items = await tx
    .selectFrom("handover_items as i")
    .innerJoin("handovers as h", "h.digest", "i.digest")
    .select(["i.digest", "i.item"])
    .where("h.relayer", "=", relayer)
    .where("h.sequence", "=", sequence)
    .orderBy("i.digest")
    .orderBy("i.position")
    .execute();
  const eventsOf = group(events, (e) => e.digest);
  const itemsOf = group(items, (i) => i.digest);
  const handoverOf = new Map(handovers.map((h) => [h.digest, h]));
  const facts: PlacedFact[] = [];
  for (const entry of entries) {
    if (entry.kind === "capture") {
      for (const e of eventsOf.get(entry.digest) ?? []) {
        facts.push({
          fact: eventFact(JSON.parse(e.event) as Record<string, unknown>, e.event_hash, e.participant),
          position: entry.position,
          sub: e.position,
        });
      }
      continue;
    }
    const h = handoverOf.get(entry.digest);
    if (!h) continue;
    facts.push({
      fact: {
        kind: "handover",
        ref: h.digest,
        sender: h.sender_participant,
        receiver: h.receiver_participant,
        time: Number(h.event_time) * 1000,
        items: (itemsOf.get(h.digest) ?? []).map((i) => i.item),
      },
      position: entry.position,
      sub: 0,
    });
  }
  return facts;
}

/**
 * Loads the current state of every code the facts name, of their containers up the hierarchy, and
 * of the codes packed in containers that a whole-container unpacking (DELETE without children) empties.
 */
async function loadStates(
  tx: Tx,
  facts: readonly PlacedFact[],
  states: Map<string, CodeState>,
  children: Map<string, Set<string>>,
): Promise<void> {
  let wanted = new Set(facts.flatMap((f) => LedgerRules.identifiers(f.fact)));
  const emptied = facts
    .map((f) => f.fact)
    .filter((f): f is EventFact => f.kind === "event" && f.action === "DELETE" && !!f.parent && !f.children.length)
    .map((f) => f.parent);
  for (let i = 0; i < emptied.length; i += CHUNK) {
    const rows = await tx
      .selectFrom("code_history")
      .select("epc")
      .distinct()
      .where("parent", "in", emptied.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) wanted.add(r.epc);
  }
  const loaded = new Set<string>();
  while (wanted.size) {
    const batch = [...wanted].filter((e) => !loaded.has(e));
    wanted = new Set();
    for (let i = 0; i < batch.length; i += CHUNK) {
      const chunk = batch.slice(i, i + CHUNK);
      for (const e of chunk) loaded.add(e);
      const rows = await tx
        .selectFrom("code_history")
        .selectAll()
        .where("epc", "in", chunk)
        .orderBy("epc")
        .orderBy("ordinal")
        .execute();
      for (const r of rows) {
        // rows come oldest first: the last one per code is its current state
        states.set(r.epc, {
          epc: r.epc,
          commissioned: r.commissioned === 1,
          ended: r.ended as CodeState["ended"],
          holder: r.holder,
          parent: r.parent,
          lastTime: Number(r.last_time),
          lastPlace: r.last_place,
        });
      }
    }
    for (const e of batch) {
      const parent = states.get(e)?.parent;
      if (parent && !loaded.has(parent)) wanted.add(parent);
    }
  }
  for (const s of states.values()) {
    if (!s.parent) continue;
    const set = children.get(s.parent) ?? new Set<string>();
    set.add(s.epc);
    children.set(s.parent, set);
  }
}

/** The brand and producer of each unit the facts commission that some checked batch holds, by leaf. */
async function unitOrigins(tx: Tx, facts: readonly PlacedFact[]): Promise<Map<string, CodeOrigin>> {
  const leaves = new Set<string>();
  for (const { fact } of facts) {
    if (fact.kind !== "event") continue;
    const born = fact.type === "TransformationEvent" ? fact.outputs : fact.action === "ADD" ? fact.epcs : [];
    for (const epc of born) {
      const unit = unitOf(epc);
      if (unit) leaves.add(codeLeafHash(BigInt(unit.gtin), unit.serial));
    }
  }
  const all = [...leaves];
  const found = new Map<string, CodeOrigin>();
  for (let i = 0; i < all.length; i += CHUNK) {
    const rows = await tx
      .selectFrom("code_leaves as l")
      .innerJoin("batches as b", "b.id", "l.batch_id")
      .innerJoin("orders as o", "o.id", "b.order_id")
      .select(["l.leaf", "o.brand", "o.producer"])
      .where("l.leaf", "in", all.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) found.set(r.leaf, { brand: r.brand, producer: r.producer });
  }
  return found;
}

/** The kind of every participant the facts name (submitters, senders, receivers). */
async function participantKinds(tx: Tx, facts: readonly PlacedFact[]): Promise<Map<number, number>> {
  const ids = new Set<number>();
  for (const { fact } of facts) {
    if (fact.kind === "event") ids.add(fact.participant);
    else ids.add(fact.sender).add(fact.receiver);
  }
  if (ids.size === 0) return new Map();
  const rows = await tx
    .selectFrom("participants")
    .select(["id", "kind"])
    .where("id", "in", [...ids])
    .execute();
  return new Map(rows.map((r) => [r.id, r.kind]));
}

function group<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const list = map.get(key(row));
    if (list) list.push(row);
    else map.set(key(row), [row]);
  }
  return map;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}
