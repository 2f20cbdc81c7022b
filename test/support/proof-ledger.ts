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
  type Capture,
  type Handover,
} from "../../src/core/custody/eip712";
import { eventHashBytes } from "../../src/core/epcis/event-hash";
import { ITEM_LEAF_ENCODING, type ReadRoot, type RootQuery } from "../../src/core/proof/verify-bundle";
import type { ProofBundle } from "../../src/core/proof/bundle";

export const GTIN = "10614141073464";
export const SERIALS = ["AAAA1111BBB", "CCCC2222DDD", "EEEE3333FFF"];
export const producer = privateKeyToAccount(("0x" + "31".repeat(32)) as Hex);
export const sender = privateKeyToAccount(("0x" + "32".repeat(32)) as Hex);
export const receiver = privateKeyToAccount(("0x" + "33".repeat(32)) as Hex);
const LOG = "0x000000000000000000000000000000000000c0fe" as const;
export const REGISTRY = "0x0000000000000000000000000000000000005e71" as const;
const domain = { chainId: 31337, verifyingContract: LOG };
const TX = ("0x" + "ee".repeat(32)) as Hex;

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
  const commitment = MerkleTree.of(
    [
      [COMMITMENT_KIND.capture, captureDigest(domain, capture)],
      [COMMITMENT_KIND.handover, handoverDigest(domain, handover)],
    ],
    COMMITMENT_LEAF_ENCODING,
  );
  const ref = {
    chainId: 31337,
    contract: LOG,
    transaction: TX,
    block: 12,
    relayer: 5,
    sequence: "1",
    root: commitment.root,
  };
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
  const chain = { batch: { root: batch.root, recalled: false, gtin: GTIN }, commitment: { root: commitment.root } };
  const readRoot: ReadRoot = async (q: RootQuery) => {
    if (q.kind === "batch") return q.batchId === 3n && q.contract === REGISTRY ? chain.batch : null;
    return q.relayer === 5 && q.sequence === 1n ? chain.commitment : null;
  };
  return { bundle, chain, readRoot };
}
