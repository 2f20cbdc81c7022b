import type { Address, Hex } from "viem";
import { captureEventsTree, commitmentTree } from "../core/custody/capture-tree";
import { identifierLeaves, saltHash, shownFields, type EventParts } from "../core/custody/event-disclosure";
import { disclosedEventsTree, identifiersTree } from "../core/custody/disclosure-trees";
import { handoverItemsTree, itemSalt } from "../core/custody/handover-items";
import type { EpcisEvent } from "../core/epcis/event-hash";
import { IntegrityError } from "../core/errors";
import { kernelKeccak256 } from "../core/merkle/kernel";
import type { MerkleTree } from "../core/merkle/tree";
import { discloseEvent } from "../core/proof/disclose";
import type { CommitmentRef, CustodyStep, ProofBundle } from "../core/proof/bundle";
import { commitmentKey, type BundleRows } from "./bundle-rows";

/** Builds a value once per key (trees rebuilt from stored hashes, parsed proof data), shared across requests. */
export type Memo = <T>(key: string, build: () => T) => T;

export interface AssemblyOptions {
  chainId: number;
  serialRegistry: Address;
  commitmentLog: Address;
  /** the tree of the batch holding the code (from its checked leaf file), when one does */
  batchTree: MerkleTree | null;
  memo: Memo;
}

type ProofBundleCapture = Extract<CustodyStep, { kind: "event" }>["capture"];
type ProofBundleHandover = Extract<CustodyStep, { kind: "handover" }>["handover"];

interface CaptureProofData {
  capture: ProofBundleCapture;
  signature: Hex;
  eventHashes: Hex[];
  context?: unknown;
  disclosure?: { salt: Hex; parts: EventParts[] };
}

interface HandoverProofData {
  handover: ProofBundleHandover;
  senderSignature: Hex;
  receiverSignature: Hex;
  items: string[];
  salt?: Hex;
}

/**
 * The ProofBundle of a code from the rows read for it: the release proof, then every event and
 * handover naming the code (or a container while the code was inside), each once, with the proofs
 * from it to its signed root and from its entry to its commitment's root, in ledger time order.
 * Pure: every row was read before, every tree is built from them.
 */
export function assembleProofBundle(rows: BundleRows, options: AssemblyOptions): ProofBundle {
  const { memo } = options;
  const release: ProofBundle["release"] =
    rows.release && options.batchTree
      ? {
          chainId: options.chainId,
          contract: options.serialRegistry,
          transaction: rows.release.batch.transaction_hash as Hex,
          block: Number(rows.release.batch.block_number),
          batchId: String(rows.release.batch.id),
          root: rows.release.batch.root as Hex,
          proof: options.batchTree.proof(rows.release.rank),
        }
      : null;
  const inside = (subject: string, time: number) =>
    (rows.within.get(subject) ?? []).some((w) => time >= w.from && time <= w.to);
  const followed = new Set(rows.within.keys());
  const commitment = (relayer: number, sequence: number) => {
    const key = commitmentKey(relayer, sequence);
    const c = rows.commitments.get(key);
    if (!c) throw new IntegrityError(`commitment ${key} was not read`);
    const tree = memo(`commitment:${key}`, () =>
      commitmentTree(c.entries.map((e) => ({ kind: e.kind, digest: e.digest as Hex }))),
    );
    const ref: CommitmentRef = {
      chainId: options.chainId,
      contract: options.commitmentLog,
      transaction: c.row.transaction_hash as Hex,
      block: Number(c.row.block_number),
      relayer,
      sequence: String(sequence),
      root: c.row.root as Hex,
    };
    return { ref, proofOf: (digest: string) => tree.proof(c.entries.findIndex((e) => e.digest === digest)) };
  };
  const refused = (ref: string): { refused?: string } => {
    const why = rows.refusals.get(ref);
    return why ? { refused: why.slice(0, 1000) } : {};
  };

  const steps: { time: number; block: number; step: CustodyStep }[] = [];
  const seen = new Set<string>();
  for (const e of rows.events) {
    if (seen.has(`${e.digest}:${e.position}`) || !inside(e.epc, Date.parse(e.event_time))) continue;
    seen.add(`${e.digest}:${e.position}`);
    const data = memo(`capture-data:${e.digest}`, () => JSON.parse(e.proof_data) as CaptureProofData);
    const c = commitment(e.relayer, e.sequence);
    const event = JSON.parse(e.event) as EpcisEvent;
    const placed = {
      capture: data.capture,
      signature: data.signature,
      captureProof: c.proofOf(e.digest),
      commitment: c.ref,
    };
    const d = data.disclosure;
    let step: CustodyStep;
    if (d) {
      // the salted leaves and trees of an event are the same for every code it names: built once
      const leaves = memo(`identifier-leaves:${e.digest}:${e.position}`, () =>
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
          events: memo(`capture:${e.digest}`, () => disclosedEventsTree(d.parts, saltHash(d.salt))),
          identifiers: memo(`identifiers:${e.digest}:${e.position}`, () => identifiersTree(leaves)),
        },
      });
      // an event that names the code only through a field that discloses nothing is left out
      if (!disclosed) continue;
      step = { ...disclosed, ...placed, ...refused(e.event_hash) };
    } else {
      // a format-1 capture signs whole events: none can be shown without its other identifiers
      step = {
        kind: "recorded_event",
        shown: shownFields(event),
        eventHash: e.event_hash as Hex,
        eventProof: memo(`capture:${e.digest}`, () => captureEventsTree(data.eventHashes)).proof(e.position),
        ...placed,
        ...refused(e.event_hash),
      };
    }
    steps.push({ time: Date.parse(e.event_time), block: e.block_number, step });
  }

  // a handover of the unit and its case together is one step, proven through the unit itself
  const handovers = [...rows.handovers].sort((a, b) => Number(b.item === rows.epc) - Number(a.item === rows.epc));
  for (const h of handovers) {
    if (seen.has(h.digest) || !inside(h.item, Number(h.event_time) * 1000)) continue;
    seen.add(h.digest);
    const data = memo(`handover-data:${h.digest}`, () => JSON.parse(h.proof_data) as HandoverProofData);
    const c = commitment(h.relayer, h.sequence);
    steps.push({
      time: Number(h.event_time) * 1000,
      block: h.block_number,
      step: {
        kind: "handover",
        handover: data.handover,
        senderSignature: data.senderSignature,
        receiverSignature: data.receiverSignature,
        item: data.items[h.position],
        // format 2: the item's own salt, so its siblings' hashes say nothing of the other items
        ...(data.salt ? { itemSalt: itemSalt(data.salt, h.position) } : {}),
        itemProof: memo(`handover:${h.digest}`, () => handoverItemsTree(data.items, data.salt)).proof(h.position),
        proof: c.proofOf(h.digest),
        commitment: c.ref,
        ...refused(h.digest),
      },
    });
  }
  steps.sort((a, b) => a.time - b.time || a.block - b.block);
  return { version: 2, code: { gtin: rows.gtin, serial: rows.serial }, release, custody: steps.map((s) => s.step) };
}
