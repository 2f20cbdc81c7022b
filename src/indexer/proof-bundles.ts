import { unitIdentifier } from "../core/epcis/unit-identifier";
import type { Address, Hex } from "viem";
import { captureEventsTree, commitmentTree } from "../core/custody/capture-tree";
import { identifierLeaves, saltHash, shownFields, type EventParts } from "../core/custody/event-disclosure";
import { disclosedEventsTree, identifiersTree } from "../core/custody/disclosure-trees";
import { discloseEvent } from "../core/proof/disclose";
import { kernelKeccak256 } from "../core/merkle/kernel";
import type { EpcisEvent } from "../core/epcis/event-hash";
import { handoverItemsTree, itemSalt } from "../core/custody/handover-items";
import { normalizeGtin } from "../core/gs1/gtin";
import { checkSerial } from "../core/gs1/digital-link";
import { codeLeafHash } from "../core/merkle/leaves";
import type { MerkleTree } from "../core/merkle/tree";
import type { CommitmentRef, CustodyStep, ProofBundle } from "../core/proof/bundle";
import { historyRows } from "./code-view";
import { containerStretches } from "./container-stretches";
import type { IndexerStore } from "./indexer-store";
import type { LruCache } from "./lru-cache";

export interface BundleSources {
  store: IndexerStore;
  chainId: number;
  serialRegistry: Address;
  commitmentLog: Address;
  /** a batch's tree from its (checked) leaf file; the caller caches it */
  batchTree: (batchId: number, cid: string) => Promise<MerkleTree>;
  /**
   * what requests share: trees rebuilt from stored hashes (a capture's events, a commitment's
   * entries) and parsed proof data, reused across requests
   */
  cache?: LruCache<string, unknown>;
}

/**
 * The ProofBundle v1 of a code, from checked state only: its inclusion in the released batch that
 * holds its leaf, and every valid event and handover naming it, each with the proofs from the
 * entry to its signed root and from the entry to its commitment's root. A code in no batch gets a
 * bundle with no release (the verifier's "unknown").
 */
export async function proofBundleFor(
  sources: BundleSources,
  gtinInput: string,
  serialInput: string,
): Promise<ProofBundle> {
  const gtin = normalizeGtin(gtinInput);
  const serial = checkSerial(serialInput);
  const { store } = sources;
  const cache = sources.cache;
  const trees = {
    get: <T>(key: string, load: () => T): Promise<T> =>
      cache ? (cache.get(key, load) as Promise<T>) : Promise.resolve(load()),
  };
  const leaf = codeLeafHash(BigInt(gtin), serial);
  const at = await store.db.selectFrom("code_leaves").selectAll().where("leaf", "=", leaf).executeTakeFirst();
  let release: ProofBundle["release"] = null;
  if (at) {
    const batch = await store.db
      .selectFrom("batches")
      .selectAll()
      .where("id", "=", at.batch_id)
      .executeTakeFirstOrThrow();
    const tree = await sources.batchTree(batch.id, batch.content_cid);
    release = {
      chainId: sources.chainId,
      contract: sources.serialRegistry,
      transaction: batch.transaction_hash as Hex,
      block: Number(batch.block_number),
      batchId: String(batch.id),
      root: batch.root as Hex,
      proof: tree.proof(at.rank),
    };
  }
  const epc = unitIdentifier(gtin, serial);
  // the code's own steps, and those of every container while it was inside (a case's handover is
  // the custody of every unit in it, proven through the packing event), before and after unpacking
  const stretches = await containerStretches(await historyRows(store, [epc]), (c) => historyRows(store, [c]));
  const within = new Map<string, { from: number; to: number }[]>([[epc, [{ from: -Infinity, to: Infinity }]]]);
  for (const s of stretches)
    within.set(s.epc, [...(within.get(s.epc) ?? []), { from: s.from.time, to: s.to?.time ?? Infinity }]);
  const inside = (subject: string, time: number) =>
    (within.get(subject) ?? []).some((w) => time >= w.from && time <= w.to);
  const subjects = [...within.keys()];
  const followed = new Set(subjects);
  const steps: { time: number; block: number; step: CustodyStep }[] = [];
  const refusals = await refusalsOf(store, subjects);
  const commitments = new Map<
    string,
    { ref: Omit<CommitmentRef, "root">; root: Hex; tree: MerkleTree; digests: string[] }
  >();
  const commitment = async (relayer: number, sequence: number) => {
    const key = `${relayer}:${sequence}`;
    let c = commitments.get(key);
    if (!c) {
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
      const tree = await trees.get(`commitment:${key}`, () =>
        commitmentTree(entries.map((e) => ({ kind: e.kind, digest: e.digest as Hex }))),
      );
      c = {
        ref: {
          chainId: sources.chainId,
          contract: sources.commitmentLog,
          transaction: row.transaction_hash as Hex,
          block: Number(row.block_number),
          relayer,
          sequence: String(sequence),
        },
        root: row.root as Hex,
        tree,
        digests: entries.map((e) => e.digest),
      };
      commitments.set(key, c);
    }
    return c;
  };

  const events = await store.db
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
  const seen = new Set<string>();
  for (const e of events) {
    if (seen.has(`${e.digest}:${e.position}`) || !inside(e.epc, Date.parse(e.event_time))) continue;
    seen.add(`${e.digest}:${e.position}`);
    const data = await trees.get(
      `capture-data:${e.digest}`,
      () =>
        JSON.parse(e.proof_data) as {
          capture: ProofBundleCapture;
          signature: Hex;
          eventHashes: Hex[];
          context?: unknown;
          disclosure?: { salt: Hex; parts: EventParts[] };
        },
    );
    const c = await commitment(e.relayer, Number(e.sequence));
    const event = JSON.parse(e.event) as EpcisEvent;
    const placed = {
      capture: data.capture,
      signature: data.signature,
      captureProof: c.tree.proof(c.digests.indexOf(e.digest)),
      commitment: { ...c.ref, root: c.root },
    };
    const d = data.disclosure;
    let step: CustodyStep;
    if (d) {
      // the salted leaves and trees of an event are the same for every code it names: built once
      const leaves = await trees.get(`identifier-leaves:${e.digest}:${e.position}`, () =>
        identifierLeaves(event, d.salt, e.position, kernelKeccak256),
      );
      const disclosed = discloseEvent({
        event,
        position: e.position,
        salt: d.salt,
        parts: d.parts,
        subjects: followed,
        trees: {
          leaves,
          events: await trees.get(`capture:${e.digest}`, () => disclosedEventsTree(d.parts, saltHash(d.salt))),
          identifiers: await trees.get(`identifiers:${e.digest}:${e.position}`, () => identifiersTree(leaves)),
        },
      });
      // an event that names the code only through a field that discloses nothing is left out
      if (!disclosed) continue;
      step = { ...disclosed, ...placed, ...refusedStep(refusals, e.event_hash) };
    } else {
      // a format-1 capture signs whole events: none can be shown without its other identifiers
      step = {
        kind: "recorded_event",
        shown: shownFields(event),
        eventHash: e.event_hash as Hex,
        eventProof: (await trees.get(`capture:${e.digest}`, () => captureEventsTree(data.eventHashes))).proof(
          e.position,
        ),
        ...placed,
        ...refusedStep(refusals, e.event_hash),
      };
    }
    steps.push({ time: Date.parse(e.event_time), block: Number(e.block_number), step });
  }

  const handovers = await store.db
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
  // a handover of the unit and its case together is one step, proven through the unit itself
  handovers.sort((a, b) => Number(b.item === epc) - Number(a.item === epc));
  for (const h of handovers) {
    if (seen.has(h.digest) || !inside(h.item, Number(h.event_time) * 1000)) continue;
    seen.add(h.digest);
    const data = await trees.get(
      `handover-data:${h.digest}`,
      () =>
        JSON.parse(h.proof_data) as {
          handover: ProofBundleHandover;
          senderSignature: Hex;
          receiverSignature: Hex;
          items: string[];
          salt?: Hex;
        },
    );
    const c = await commitment(h.relayer, Number(h.sequence));
    steps.push({
      time: Number(h.event_time) * 1000,
      block: Number(h.block_number),
      step: {
        kind: "handover",
        handover: data.handover,
        senderSignature: data.senderSignature,
        receiverSignature: data.receiverSignature,
        item: data.items[h.position],
        // format 2: the item's own salt, so its siblings' hashes say nothing of the other items
        ...(data.salt ? { itemSalt: itemSalt(data.salt, h.position) } : {}),
        itemProof: (await trees.get(`handover:${h.digest}`, () => handoverItemsTree(data.items, data.salt))).proof(
          h.position,
        ),
        proof: c.tree.proof(c.digests.indexOf(h.digest)),
        commitment: { ...c.ref, root: c.root },
        ...refusedStep(refusals, h.digest),
      },
    });
  }
  steps.sort((a, b) => a.time - b.time || a.block - b.block);
  return { version: 2, code: { gtin, serial }, release, custody: steps.map((s) => s.step) };
}

type ProofBundleCapture = Extract<CustodyStep, { kind: "event" }>["capture"];
type ProofBundleHandover = Extract<CustodyStep, { kind: "handover" }>["handover"];

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

function refusedStep(refusals: ReadonlyMap<string, string>, ref: string): { refused?: string } {
  const why = refusals.get(ref);
  return why ? { refused: why.slice(0, 1000) } : {};
}
