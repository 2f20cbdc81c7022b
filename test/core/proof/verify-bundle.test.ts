import { expect } from "chai";
import { privateKeyToAccount } from "viem/accounts";
import type { Hex } from "../../../src/core/bytes";
import { MerkleTree } from "../../../src/core/merkle/tree";
import {
  codeLeafHashes,
  COMMITMENT_LEAF_ENCODING,
  COMMITMENT_KIND,
  EVENT_LEAF_ENCODING,
} from "../../../src/core/merkle/leaves";
import {
  captureDigest,
  captureTypedData,
  handoverDigest,
  handoverTypedData,
  type Capture,
  type Handover,
} from "../../../src/core/custody/eip712";
import { eventHashBytes } from "../../../src/core/epcis/event-hash";
import { verifyBundle, ITEM_LEAF_ENCODING, type ReadRoot, type RootQuery } from "../../../src/core/proof/verify-bundle";
import type { ProofBundle } from "../../../src/core/proof/bundle";

const GTIN = "10614141073464";
const SERIALS = ["AAAA1111BBB", "CCCC2222DDD", "EEEE3333FFF"];
const producer = privateKeyToAccount(("0x" + "31".repeat(32)) as Hex);
const sender = privateKeyToAccount(("0x" + "32".repeat(32)) as Hex);
const receiver = privateKeyToAccount(("0x" + "33".repeat(32)) as Hex);
const LOG = "0x000000000000000000000000000000000000c0fe" as const;
const REGISTRY = "0x0000000000000000000000000000000000005e71" as const;
const domain = { chainId: 31337, verifyingContract: LOG };
const TX = ("0x" + "ee".repeat(32)) as Hex;

/** A ledger in miniature, built with the core alone: one batch, one signed capture, one handover. */
async function ledger(bizStep = "commissioning") {
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

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));

describe("core/proof verifyBundle", () => {
  it("finds a fully proven code genuine, with every check passed and its block", async () => {
    const { bundle, readRoot } = await ledger();
    const v = await verifyBundle(bundle, readRoot);
    expect(v.verdict).to.equal("genuine");
    expect(v.checks.every((c) => c.ok)).to.equal(true);
    expect(v.checks.length).to.be.greaterThan(10);
    expect(v.checks.find((c) => c.name === "batch root on chain")?.block).to.equal(10);
  });

  it("says recalled when the chain says the batch is recalled", async () => {
    const { bundle, readRoot, chain } = await ledger();
    chain.batch.recalled = true;
    expect((await verifyBundle(bundle, readRoot)).verdict).to.equal("recalled");
  });

  it("says decommissioned after a retail sale", async () => {
    const { bundle, readRoot } = await ledger("retail_selling");
    expect((await verifyBundle(bundle, readRoot)).verdict).to.equal("decommissioned");
  });

  it("says unknown when no released batch names the code", async () => {
    const { bundle, readRoot } = await ledger();
    expect((await verifyBundle({ ...bundle, release: null, custody: [] }, readRoot)).verdict).to.equal("unknown");
  });

  const tamperings: [string, (b: ProofBundle) => void, RegExp][] = [
    ["a different serial", (b) => (b.code.serial = SERIALS[0]), /inclusion in released batch/],
    [
      "a made-up batch root",
      (b) => (b.release!.root = ("0x" + "aa".repeat(32)) as Hex),
      /inclusion|batch root on chain/,
    ],
    [
      "an edited event",
      (b) => ((b.custody[0] as { event: Record<string, unknown> }).event.bizStep = "shipping"),
      /event hash/,
    ],
    [
      "a capture signature by another key",
      (b) =>
        ((b.custody[0] as { signature: string }).signature = (
          b.custody[1] as { senderSignature: string }
        ).senderSignature),
      /capture signature/,
    ],
    [
      "swapped handover signatures",
      (b) => {
        const h = b.custody[1] as { senderSignature: string; receiverSignature: string };
        [h.senderSignature, h.receiverSignature] = [h.receiverSignature, h.senderSignature];
      },
      /sender signature/,
    ],
    [
      "a commitment the chain does not have",
      (b) => ((b.custody[0] as { commitment: { sequence: string } }).commitment.sequence = "2"),
      /commitment on chain/,
    ],
    [
      "a commitment root the chain disagrees with",
      (b) => ((b.custody[1] as { commitment: { root: string } }).commitment.root = "0x" + "bb".repeat(32)),
      /handover in commitment|commitment on chain/,
    ],
    ["a malformed proof node", (b) => (b.release!.proof[0] = "0x12" as Hex), /bundle format/],
    ["another version", (b) => ((b as { version: number }).version = 2), /bundle format/],
  ];
  for (const [what, tamper, failing] of tamperings) {
    it(`is unverifiable with ${what}, naming the failed check`, async () => {
      const { bundle, readRoot } = await ledger();
      const b = clone(bundle);
      tamper(b);
      const v = await verifyBundle(b, readRoot);
      expect(v.verdict).to.equal("unverifiable");
      expect(
        v.checks
          .filter((c) => !c.ok)
          .map((c) => c.name)
          .join("; "),
      ).to.match(failing);
    });
  }

  it("is unverifiable when the chain cannot be read", async () => {
    const { bundle } = await ledger();
    const v = await verifyBundle(bundle, async () => {
      throw new Error("connection refused");
    });
    expect(v.verdict).to.equal("unverifiable");
    expect(v.checks.at(-1)?.detail).to.match(/connection refused/);
  });
});
