import { privateKeyToAccount } from "viem/accounts";
import type { Hex } from "../../src/core/bytes";
import { MerkleTree } from "../../src/core/merkle/tree";
import {
  codeLeafHashes,
  COMMITMENT_LEAF_ENCODING,
  COMMITMENT_KIND,
  EVENT_LEAF_ENCODING,
} from "../../src/core/merkle/leaves";
import {
  captureDigest,
  captureTypedData,
  handoverDigest,
  handoverTypedData,
  participantHandoverDigest,
  participantHandoverTypedData,
  type Capture,
  type Handover,
  type ParticipantHandover,
} from "../../src/core/custody/eip712";
import { saltHash } from "../../src/core/custody/event-disclosure";
import { disclosedEventsTree, eventParts } from "../../src/core/custody/disclosure-trees";
import { handoverItemsTree, itemSalt, shipmentRefHashOf } from "../../src/core/custody/handover-items";
import { eventHashBytes, type EpcisEvent } from "../../src/core/epcis/event-hash";
import { discloseEvent } from "../../src/core/proof/disclose";
import { expect } from "chai";
import { ITEM_LEAF_ENCODING, verifyBundle, type ReadRoot, type RootQuery } from "../../src/core/proof/verify-bundle";
import type { ProofBundle } from "../../src/core/proof/bundle";

export const GTIN = "10614141073464";
export const SERIALS = ["AAAA1111BBB", "CCCC2222DDD", "EEEE3333FFF"];
export const producer = privateKeyToAccount(("0x" + "31".repeat(32)) as Hex);
export const sender = privateKeyToAccount(("0x" + "32".repeat(32)) as Hex);
export const receiver = privateKeyToAccount(("0x" + "33".repeat(32)) as Hex);
const LOG = "0x000000000000000000000000000000000000c0fe" as const;
export const REGISTRY = "0x0000000000000000000000000000000000005e71" as const;
const domain = { chainId: 31337, verifyingContract: LOG };
/** The registry of the miniature ledger: the producer is participant 2, the sender 3, the receiver 4. */
export const PARTICIPANT_OF_KEY = new Map<string, number>([
  [producer.address.toLowerCase(), 2],
  [sender.address.toLowerCase(), 3],
  [receiver.address.toLowerCase(), 4],
]);
export const keyOwner = async (key: string): Promise<number | null> =>
  PARTICIPANT_OF_KEY.get(key.toLowerCase()) ?? null;
const TX = ("0x" + "ee".repeat(32)) as Hex;

/** The one commitment of a miniature ledger: its tree over `entries`, and its reference on chain. */
function commitmentOf(entries: [number, Hex][]) {
  const tree = MerkleTree.of(entries, COMMITMENT_LEAF_ENCODING);
  const ref = { chainId: 31337, contract: LOG, transaction: TX, block: 12, relayer: 5, sequence: "1", root: tree.root };
  return { tree, ref };
}

/** The chain of a miniature ledger: batch 3 and commitment 5/1, and what a verifier reads of them. */
function chainOf(batch: MerkleTree, commitment: MerkleTree) {
  const chain = { batch: { root: batch.root, recalled: false, gtin: GTIN }, commitment: { root: commitment.root } };
  const readRoot: ReadRoot = async (q: RootQuery) => {
    if (q.kind === "batch") return q.batchId === 3n && q.contract === REGISTRY ? chain.batch : null;
    return q.relayer === 5 && q.sequence === 1n ? chain.commitment : null;
  };
  return { chain, readRoot };
}

/** A ledger in miniature, built with the core alone: one batch, one signed capture, one handover. */
export async function proofLedger(bizStep = "commissioning") {
  const batch = MerkleTree.fromLeafHashes(codeLeafHashes(BigInt(GTIN), SERIALS));
  const event = {
    type: "ObjectEvent",
    eventTime: "2026-11-01T10:00:00.000Z",
    eventTimeZoneOffset: "+00:00",
    action: "ADD",
    bizStep,
    epcList: [`https://id.gs1.org/01/${GTIN}/21/${SERIALS[1]}`],
    readPoint: { id: "https://id.gs1.org/414/0614141000005" },
  };
  const eventHash = eventHashBytes(event);
  const events = MerkleTree.of([[eventHash], [("0x" + "01".repeat(32)) as Hex]], EVENT_LEAF_ENCODING);
  const capture: Capture = {
    submitter: producer.address,
    eventsRoot: events.root,
    eventCount: 2,
    nonce: ("0x" + "07".repeat(32)) as Hex,
    issuedAt: 1_790_000_000n,
  };
  const signature = await producer.signTypedData(captureTypedData(domain, capture));
  const item = `https://id.gs1.org/01/${GTIN}/21/${SERIALS[1]}`;
  const items = MerkleTree.of([[item], ["https://id.gs1.org/00/306141411234567891"]], ITEM_LEAF_ENCODING);
  const handover: Handover = {
    handoverId: ("0x" + "08".repeat(32)) as Hex,
    from: sender.address,
    to: receiver.address,
    itemsRoot: items.root,
    itemCount: 2,
    shipmentRefHash: ("0x" + "09".repeat(32)) as Hex,
    eventTime: 1_790_000_100n,
    deadline: 1_790_086_400n,
  };
  const { tree: commitment, ref } = commitmentOf([
    [COMMITMENT_KIND.capture, captureDigest(domain, capture)],
    [COMMITMENT_KIND.handover, handoverDigest(domain, handover)],
  ]);
  const bundle: ProofBundle = {
    version: 1,
    code: { gtin: GTIN, serial: SERIALS[1] },
    release: {
      chainId: 31337,
      contract: REGISTRY,
      transaction: TX,
      block: 10,
      batchId: "3",
      root: batch.root,
      proof: batch.proof(1),
    },
    custody: [
      {
        kind: "event",
        event,
        eventHash,
        eventProof: events.proof(0),
        capture: { ...capture, issuedAt: capture.issuedAt.toString() },
        signature,
        captureProof: commitment.proof(0),
        commitment: ref,
      },
      {
        kind: "handover",
        handover: { ...handover, eventTime: handover.eventTime.toString(), deadline: handover.deadline.toString() },
        senderSignature: await sender.signTypedData(handoverTypedData(domain, handover)),
        receiverSignature: await receiver.signTypedData(handoverTypedData(domain, handover)),
        item,
        itemProof: items.proof(0),
        proof: commitment.proof(1),
        commitment: ref,
      },
    ],
  };
  const { chain, readRoot } = chainOf(batch, commitment);
  return { bundle, chain, readRoot };
}

export const SSCC = "https://id.gs1.org/00/106141412345678908";
/** another pallet on the same truck: nothing of it may appear in the unit's bundle */
export const OTHER_SSCC = "https://id.gs1.org/00/106141412345678915";
export const unitLink = (serial: string) => `https://id.gs1.org/01/${GTIN}/21/${serial}`;

/**
 * The same miniature ledger with format-2 (selectively disclosed) captures, the shape of the demo:
 * the whole batch commissioned in one event and packed onto a pallet, the pallet shipped with
 * another one and handed over with it; the bundle of SERIALS[1] built the way the indexer builds it.
 */
export async function disclosedProofLedger(endStep?: string) {
  const batch = MerkleTree.fromLeafHashes(codeLeafHashes(BigInt(GTIN), SERIALS));
  const at = (h: number) => `2026-11-0${h}T10:00:00.000Z`;
  const where = { id: "https://id.gs1.org/414/0614141000005" };
  const first: EpcisEvent[] = [
    {
      type: "ObjectEvent",
      eventTime: at(1),
      eventTimeZoneOffset: "+00:00",
      epcList: SERIALS.map(unitLink),
      action: "ADD",
      bizStep: "commissioning",
      disposition: "active",
      readPoint: where,
    },
    {
      type: "AggregationEvent",
      eventTime: at(2),
      eventTimeZoneOffset: "+00:00",
      parentID: SSCC,
      childEPCs: SERIALS.map(unitLink),
      action: "ADD",
      bizStep: "packing",
      readPoint: where,
    },
  ];
  const second: EpcisEvent[] = [
    {
      type: "ObjectEvent",
      eventTime: at(3),
      eventTimeZoneOffset: "+00:00",
      epcList: [SSCC, OTHER_SSCC],
      action: "OBSERVE",
      bizStep: "shipping",
      disposition: "in_transit",
      readPoint: where,
    },
    ...(endStep
      ? [
          {
            type: "ObjectEvent",
            eventTime: at(5),
            eventTimeZoneOffset: "+00:00",
            epcList: [unitLink(SERIALS[1])],
            action: "OBSERVE",
            bizStep: endStep,
            readPoint: where,
          },
        ]
      : []),
  ];
  const salts = [("0x" + "a1".repeat(32)) as Hex, ("0x" + "b2".repeat(32)) as Hex];
  const signed = await Promise.all(
    [first, second].map(async (events, c) => {
      const parts = events.map((e, i) => eventParts(e, eventHashBytes(e), salts[c], i));
      const tree = disclosedEventsTree(parts, saltHash(salts[c]));
      const capture: Capture = {
        submitter: producer.address,
        eventsRoot: tree.root,
        eventCount: events.length,
        nonce: ("0x" +
          String(c + 1)
            .padStart(2, "0")
            .repeat(32)) as Hex,
        issuedAt: 1_790_000_000n,
      };
      return {
        events,
        parts,
        tree,
        capture,
        signature: await producer.signTypedData(captureTypedData(domain, capture)),
      };
    }),
  );
  // handover format 3: addressed to participants, salted item leaves and shipment reference hash
  const handoverSalt = ("0x" + "c3".repeat(32)) as Hex;
  const items = handoverItemsTree([SSCC, OTHER_SSCC], handoverSalt);
  const handover: ParticipantHandover = {
    handoverId: ("0x" + "08".repeat(32)) as Hex,
    fromParticipant: 3,
    toParticipant: 4,
    itemsRoot: items.root,
    itemCount: 2,
    shipmentRefHash: shipmentRefHashOf("DESADV-0001", handoverSalt),
    eventTime: BigInt(Date.parse(at(4)) / 1000),
    deadline: BigInt(Date.parse(at(4)) / 1000 + 86_400),
  };
  const { tree: commitment, ref } = commitmentOf([
    ...signed.map((s): [number, Hex] => [COMMITMENT_KIND.capture, captureDigest(domain, s.capture)]),
    [COMMITMENT_KIND.handover, participantHandoverDigest(domain, handover)],
  ]);
  const subjects = new Set([unitLink(SERIALS[1]), SSCC]);
  const eventSteps = signed.flatMap((s, c) =>
    s.events.map((event, position) => ({
      ...discloseEvent({ event, position, salt: salts[c], parts: s.parts, subjects })!,
      capture: { ...s.capture, issuedAt: s.capture.issuedAt.toString() },
      signature: s.signature,
      captureProof: commitment.proof(c),
      commitment: ref,
    })),
  );
  const handoverStep = {
    kind: "handover" as const,
    handover: { ...handover, eventTime: handover.eventTime.toString(), deadline: handover.deadline.toString() },
    senderSignature: await sender.signTypedData(participantHandoverTypedData(domain, handover)),
    receiverSignature: await receiver.signTypedData(participantHandoverTypedData(domain, handover)),
    item: SSCC,
    itemSalt: itemSalt(handoverSalt, 0),
    itemProof: items.proof(0),
    proof: commitment.proof(2),
    commitment: ref,
  };
  const bundle: ProofBundle = {
    version: 2,
    code: { gtin: GTIN, serial: SERIALS[1] },
    release: {
      chainId: 31337,
      contract: REGISTRY,
      transaction: TX,
      block: 10,
      batchId: "3",
      root: batch.root,
      proof: batch.proof(1),
    },
    custody: [eventSteps[0], eventSteps[1], eventSteps[2], handoverStep, ...eventSteps.slice(3)],
  };
  const { chain, readRoot } = chainOf(batch, commitment);
  // what a disclosure of the other identifiers would look like: real proofs, of the wrong codes
  const otherUnit = discloseEvent({
    event: first[0],
    position: 0,
    salt: salts[0],
    parts: signed[0].parts,
    subjects: new Set([unitLink(SERIALS[0])]),
  })!;
  return { bundle, chain, readRoot, otherUnit, items, handoverSalt };
}

/** Verifies a tampered bundle and asserts it is unverifiable, with the failed checks' names matching `failing`. */
export async function expectUnverifiable(bundle: unknown, readRoot: ReadRoot, failing: RegExp): Promise<void> {
  const v = await verifyBundle(bundle, readRoot, { keyOwner });
  expect(v.verdict).to.equal("unverifiable");
  expect(
    v.checks
      .filter((c) => !c.ok)
      .map((c) => c.name)
      .join("; "),
  ).to.match(failing);
}
