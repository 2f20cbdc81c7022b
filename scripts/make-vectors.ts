/**
 * Writes test/vectors/leaves.json, eip712.json, disclosure.json, handover-items.json,
 * product-record.json, commitment-hash.json and commitment-document.json: fixed inputs with the digests the TypeScript
 * core computes. The Solidity tests check the contracts reproduce every one, and the core tests
 * check the core still does, so neither side can drift. Run once when an encoding changes:
 *   node -r ts-node/register/transpile-only scripts/make-vectors.ts
 */
import { writeFileSync } from "node:fs";
import { keccak256, stringToHex } from "viem";
import { codeLeafHash, commitmentLeafHash } from "../src/core/merkle/leaves";
import { captureDigest, handoverDigest, participantHandoverDigest } from "../src/core/custody/eip712";
import type { Hex } from "../src/core/bytes";
import {
  disclosedEventLeafHash,
  identifierLeafHash,
  identifierLeaves,
  saltHash,
  shownFields,
} from "../src/core/custody/event-disclosure";
import { disclosedEventsTree, eventParts } from "../src/core/custody/disclosure-trees";
import { handoverItemsTree, itemLeafHash, itemSalt, shipmentRefHashOf } from "../src/core/custody/handover-items";
import { eventHashBytes, type EpcisEvent } from "../src/core/epcis/event-hash";
import { formatDigitalLink } from "../src/core/gs1/digital-link";
import { CANONICAL_ORIGIN } from "../src/core/gs1/epc-uri";
import { rawCid } from "../src/core/content/raw-cid";
import { commitmentHash, type CommitmentHashInput } from "../src/core/custody/commitment-hash";
import { contentImageUri } from "../src/core/products/product-image";
import { encodeProductRecord, type ProductRecord } from "../src/core/products/product-record";
import { demoProductPicture } from "../src/stack/demo-picture";
import { privateKeyToAccount } from "viem/accounts";
import { captureTypedData, handoverTypedData, type Capture, type Handover } from "../src/core/custody/eip712";
import { captureEventsTree, commitmentTree } from "../src/core/custody/capture-tree";
import {
  encodeCaptureEntryBody,
  encodeCommitmentDocument,
  encodeHandoverEntryBody,
  type StoredEntry,
} from "../src/core/custody/commitment-document";
import { verifyCommitmentContent, type KeyStandingAt } from "../src/core/custody/commitment-content";
import { handoverMessageJson } from "../src/core/custody/handover-message";
import { eventsOf } from "../src/core/epcis/event-hash";
import { verdictFacts } from "../test/support/content-verdict";

const codes = [
  { gtin: "10614141073464", serial: "2017" },
  { gtin: "04012345111118", serial: "9876" },
  { gtin: "00614141111114", serial: "aZ09xY77Qk3" },
  { gtin: "09506000134352", serial: "ABCDEFGHIJKLMNOPQRST" },
  { gtin: "10614141073464", serial: "!\"%&'()*+,-./:;<=>?_" },
].map((c) => ({ ...c, leaf: codeLeafHash(BigInt(c.gtin), c.serial) }));

const digest = ("0x" + "ab".repeat(32)) as Hex;
const commitments = (["capture", "handover"] as const).map((kind) => ({
  kind,
  digest,
  leaf: commitmentLeafHash(kind, digest),
}));
writeFileSync("test/vectors/leaves.json", JSON.stringify({ codes, commitments }, null, 2) + "\n");

const domains = [
  { chainId: 31337, verifyingContract: "0x5FbDB2315678afecb367f032d93F642f64180aa3" as const },
  { chainId: 1337, verifyingContract: "0x000000000000000000000000000000000000bEEF" as const },
];
const captures = [
  {
    submitter: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" as const,
    eventsRoot: ("0x" + "11".repeat(32)) as Hex,
    eventCount: 100,
    nonce: ("0x" + "22".repeat(32)) as Hex,
    issuedAt: 1_767_225_600n,
  },
  {
    submitter: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC" as const,
    eventsRoot: ("0x" + "a5".repeat(32)) as Hex,
    eventCount: 1,
    nonce: ("0x" + "00".repeat(31) + "01") as Hex,
    issuedAt: 0n,
  },
];
const handovers = [
  {
    handoverId: ("0x" + "33".repeat(32)) as Hex,
    from: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" as const,
    to: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC" as const,
    itemsRoot: ("0x" + "44".repeat(32)) as Hex,
    itemCount: 48,
    shipmentRefHash: ("0x" + "55".repeat(32)) as Hex,
    eventTime: 1_767_225_600n,
    deadline: 1_767_312_000n,
  },
];
// handover format 3: addressed to participants (any active key of each signs its half)
const participantHandovers = [
  {
    handoverId: ("0x" + "33".repeat(32)) as Hex,
    fromParticipant: 2,
    toParticipant: 3,
    itemsRoot: ("0x" + "44".repeat(32)) as Hex,
    itemCount: 48,
    shipmentRefHash: ("0x" + "55".repeat(32)) as Hex,
    eventTime: 1_767_225_600n,
    deadline: 1_767_312_000n,
  },
  {
    handoverId: ("0x" + "00".repeat(31) + "01") as Hex,
    fromParticipant: 4_294_967_295,
    toParticipant: 1,
    itemsRoot: ("0x" + "ff".repeat(32)) as Hex,
    itemCount: 1,
    shipmentRefHash: ("0x" + "00".repeat(32)) as Hex,
    eventTime: 0n,
    deadline: 18_446_744_073_709_551_615n,
  },
];
const out = {
  domains: domains.map((domain) => ({
    domain,
    captures: captures.map((c) => ({
      capture: { ...c, issuedAt: c.issuedAt.toString() },
      digest: captureDigest(domain, c),
    })),
    handovers: handovers.map((h) => ({
      handover: { ...h, eventTime: h.eventTime.toString(), deadline: h.deadline.toString() },
      digest: handoverDigest(domain, h),
    })),
    participantHandovers: participantHandovers.map((h) => ({
      handover: { ...h, eventTime: h.eventTime.toString(), deadline: h.deadline.toString() },
      digest: participantHandoverDigest(domain, h),
    })),
  })),
};
writeFileSync("test/vectors/eip712.json", JSON.stringify(out, null, 2) + "\n");
console.log("wrote test/vectors/leaves.json and test/vectors/eip712.json");

// capture format 2: selective disclosure of events (src/core/custody/event-disclosure.ts)
const salt = ("0x" + "5a".repeat(32)) as Hex;
const disclosureEvents = [
  {
    type: "ObjectEvent",
    eventTime: "2026-11-01T10:00:00.000Z",
    eventTimeZoneOffset: "+01:00",
    epcList: ["https://id.gs1.org/01/10614141073464/21/A1", "urn:epc:id:sgtin:0614141.107346.A2"],
    action: "ADD",
    bizStep: "commissioning",
    disposition: "active",
    readPoint: { id: "https://id.gs1.org/414/0614141000005" },
  },
  {
    type: "AggregationEvent",
    eventTime: "2026-11-01T11:00:00.000Z",
    eventTimeZoneOffset: "+00:00",
    parentID: "https://id.gs1.org/00/106141412345678908",
    childEPCs: ["https://id.gs1.org/01/10614141073464/21/A1", "https://id.gs1.org/01/10614141073464/21/A2"],
    action: "ADD",
    bizStep: "packing",
    bizLocation: { id: "urn:epc:id:sgln:0614141.00000.0" },
    sourceList: [{ type: "owning_party", source: "https://id.gs1.org/417/0614141000005" }],
    destinationList: [{ type: "location", destination: "https://id.gs1.org/414/0614141000012" }],
  },
  {
    type: "ObjectEvent",
    eventTime: "2026-11-02T09:30:00.000Z",
    eventTimeZoneOffset: "-05:00",
    quantityList: [{ epcClass: "urn:epc:class:lgtin:0614141.107346.L42", quantity: 200, uom: "KGM" }],
    action: "OBSERVE",
    bizStep: "inspecting",
  },
  {
    type: "ObjectEvent",
    eventTime: "2026-11-03T09:30:00.000Z",
    eventTimeZoneOffset: "+00:00",
    epcList: [formatDigitalLink({ origin: CANONICAL_ORIGIN, gtin: "10614141073464", serial: "!\"%&'()*+,-./:;<=>?_" })],
    action: "OBSERVE",
    bizStep: "retail_selling",
  },
] as EpcisEvent[];
const disclosed = disclosureEvents.map((event, i) => {
  const eventHash = eventHashBytes(event);
  const leaves = identifierLeaves(event, salt, i);
  const parts = eventParts(event, eventHash, salt, i);
  return {
    event,
    index: i,
    shown: shownFields(event),
    identifiers: leaves.map((l) => ({ ...l, leaf: identifierLeafHash(l) })),
    parts,
    leaf: disclosedEventLeafHash(parts, saltHash(salt)),
  };
});
writeFileSync(
  "test/vectors/disclosure.json",
  JSON.stringify(
    {
      salt,
      saltHash: saltHash(salt),
      events: disclosed,
      eventsRoot: disclosedEventsTree(
        disclosed.map((d) => d.parts),
        saltHash(salt),
      ).root,
    },
    null,
    2,
  ) + "\n",
);
console.log("wrote test/vectors/disclosure.json");

// handover format 2: salted item leaves and shipment reference hash (src/core/custody/handover-items.ts)
const handoverSalt = ("0x" + "c3".repeat(32)) as Hex;
const handoverItems = ["https://id.gs1.org/00/106141412345678908", "https://id.gs1.org/01/10614141073464/21/A1"];
const itemsTree = handoverItemsTree(handoverItems, handoverSalt);
writeFileSync(
  "test/vectors/handover-items.json",
  JSON.stringify(
    {
      salt: handoverSalt,
      items: handoverItems.map((item, i) => ({
        item,
        itemSalt: itemSalt(handoverSalt, i),
        leaf: itemLeafHash(item, itemSalt(handoverSalt, i)),
        formatOneLeaf: itemLeafHash(item),
      })),
      itemsRoot: itemsTree.root,
      formatOneItemsRoot: handoverItemsTree(handoverItems).root,
      shipmentRef: "DESADV-0001",
      shipmentRefHash: shipmentRefHashOf("DESADV-0001", handoverSalt),
      formatOneShipmentRefHash: shipmentRefHashOf("DESADV-0001"),
    },
    null,
    2,
  ) + "\n",
);
console.log("wrote test/vectors/handover-items.json");

// a product record: its canonical bytes and raw-block CID (src/core/products, src/core/content/raw-cid.ts)
const productRecord: ProductRecord = {
  "@context": {
    gs1: "https://ref.gs1.org/voc/",
  },
  "@type": "gs1:Product",
  "gs1:gtin": "10614141073464",
  "gs1:productName": [
    {
      "@value": "Paracetamol Acme 500 mg",
      "@language": "en",
    },
    {
      "@value": "Paracetamol Acme 500 mg Tabletten",
      "@language": "de",
    },
    {
      "@value": "باراسيتامول أكمي ٥٠٠ ملغ",
      "@language": "ar",
    },
  ],
  "gs1:productDescription": [
    {
      "@value": "500 mg tablets, 20 tablets in blister packs",
      "@language": "en",
    },
    {
      "@value": "500 mg Tabletten, 20 Tabletten in Blisterpackungen",
      "@language": "de",
    },
  ],
  "gs1:netContent": [
    {
      "@type": "gs1:QuantitativeValue",
      "gs1:value": "20",
      "gs1:unitCode": "H87",
    },
  ],
  "gs1:image": [
    {
      "@id": "https://acme.example/img/10614141073464.png",
    },
  ],
  "gs1:epil": [
    {
      "@id": "https://acme.example/leaflets/10614141073464",
    },
  ],
  "gs1:recallStatus": [
    {
      "@id": "https://acme.example/recalls/10614141073464",
    },
  ],
  "gs1:support": [
    {
      "@id": "https://acme.example/contact",
    },
  ],
};
const productBytes = encodeProductRecord(productRecord);
// the same record naming its picture by content: the picture's CID, inside the record's bytes
const picture = demoProductPicture();
const pictured: ProductRecord = {
  ...productRecord,
  "gs1:image": [{ "@id": contentImageUri(rawCid(picture)) }, ...productRecord["gs1:image"]!],
};
const picturedBytes = encodeProductRecord(pictured);
writeFileSync(
  "test/vectors/product-record.json",
  JSON.stringify(
    {
      comment:
        "A product record (trackroot product set): the record, its canonical bytes as text (sorted keys, no white space, UTF-8) and their CID (CIDv1 raw, sha2-256, base32), as the content store and Kubo give it. src/core/products/product-record.ts and src/core/content/raw-cid.ts reproduce them.",
      record: productRecord,
      canonical: new TextDecoder().decode(productBytes),
      cid: rawCid(productBytes),
      picture: {
        comment:
          "A picture named by content (src/core/products/product-image.ts): its bytes (base64, a PNG), its raw-block CID, and the record above naming it first in gs1:image as ipfs://CID, with that record's canonical bytes and CID.",
        base64: picture.toString("base64"),
        cid: rawCid(picture),
        record: pictured,
        canonical: new TextDecoder().decode(picturedBytes),
        recordCid: rawCid(picturedBytes),
      },
    },
    null,
    2,
  ) + "\n",
);
console.log("wrote test/vectors/product-record.json");

// the hash chaining a relayer's commitments (src/core/custody/commitment-hash.ts, contracts/libraries/CommitmentHash.sol):
// a relayer's first two commitments, the second naming the first, at the contract test's chain and relayer
const commitmentLog = "0x000000000000000000000000000000000000c0de" as const;
const first: CommitmentHashInput = {
  chainId: 31337,
  commitmentLog,
  relayer: 5,
  sequence: 1,
  root: keccak256(stringToHex("commitment root 1")),
  eventCount: 3,
  contentCid: "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy",
  previousHash: `0x${"0".repeat(64)}`,
};
const firstHash = commitmentHash(first);
const second: CommitmentHashInput = {
  ...first,
  sequence: 2,
  root: keccak256(stringToHex("commitment root 2")),
  eventCount: 4_000_000,
  contentCid: "bafybeie5gq4jxvzmsym6hjlwxej4rwdoxt7wadqvmmwbqi7r27fclha2va",
  previousHash: firstHash,
};
writeFileSync(
  "test/vectors/commitment-hash.json",
  JSON.stringify(
    {
      comment:
        "The hash CommitmentLog records for a commitment and chains the next one to: keccak256(abi.encode(chainId, log, relayer, sequence, root, eventCount, keccak256(bytes(contentCid)), previousHash)). src/core/custody/commitment-hash.ts and contracts/libraries/CommitmentHash.sol reproduce both.",
      commitments: [
        { input: first, hash: firstHash },
        { input: second, hash: commitmentHash(second) },
      ],
    },
    null,
    2,
  ) + "\n",
);
console.log("wrote test/vectors/commitment-hash.json");

// trackroot.commitment.v1 (src/core/custody/commitment-document.ts): a commitment's published
// document holding a signed capture and a co-signed handover, and the same document tampered with
// in each way a relayer or a content store could, with the verdict src/core/custody/commitment-content.ts
// gives each. Signatures are deterministic (RFC 6979), so the file is the same each run.
void (async () => {
  const domain = { chainId: 31337, verifyingContract: "0x000000000000000000000000000000000000c0de" as const };
  const brand = privateKeyToAccount(`0x${"b1".repeat(32)}`);
  const distributor = privateKeyToAccount(`0x${"d1".repeat(32)}`);
  const stranger = privateKeyToAccount(`0x${"e1".repeat(32)}`);
  const documentText = JSON.stringify({
    "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],
    type: "EPCISDocument",
    schemaVersion: "2.0",
    creationDate: "2026-11-01T10:00:00.000Z",
    epcisBody: { eventList: disclosureEvents.slice(0, 2) },
  });
  const { events, context, ignore } = eventsOf(JSON.parse(documentText));
  const capture: Capture = {
    submitter: brand.address,
    eventsRoot: captureEventsTree(events.map((e) => eventHashBytes(e, context, ignore))).root,
    eventCount: events.length,
    nonce: keccak256(stringToHex("vector capture nonce")),
    issuedAt: 1_793_000_000n,
  };
  const captureEntry: StoredEntry = {
    kind: "capture",
    digest: captureDigest(domain, capture),
    body: encodeCaptureEntryBody(documentText, {
      capture: { ...capture, issuedAt: capture.issuedAt.toString() },
      signature: await brand.signTypedData(captureTypedData(domain, capture)),
      rejected: [],
    }),
  };
  const items = ["https://id.gs1.org/00/106141412345678908"];
  const salt = `0x${"c4".repeat(32)}` as Hex;
  const handover: Handover = {
    handoverId: keccak256(stringToHex("vector handover")),
    from: brand.address,
    to: distributor.address,
    itemsRoot: handoverItemsTree(items, salt).root,
    itemCount: items.length,
    shipmentRefHash: shipmentRefHashOf("DESADV-7", salt),
    eventTime: 1_793_000_100n,
    deadline: 1_793_086_500n,
  };
  const handoverEntry: StoredEntry = {
    kind: "handover",
    digest: handoverDigest(domain, handover),
    body: encodeHandoverEntryBody({
      handover: handoverMessageJson(handover),
      items,
      shipmentRef: "DESADV-7",
      salt,
      senderSignature: await brand.signTypedData(handoverTypedData(domain, handover)),
      receiverSignature: await distributor.signTypedData(handoverTypedData(domain, handover)),
    }),
  };
  // in leaf-value order, as the relayer lists them
  const leafOf = (e: StoredEntry) => commitmentLeafHash(e.kind, e.digest as Hex);
  const entries = [captureEntry, handoverEntry].sort((a, b) => (leafOf(a) < leafOf(b) ? -1 : 1));
  const root = commitmentTree(entries.map((e) => ({ kind: e.kind, digest: e.digest as Hex }))).root;
  const record = { ...domain, commitmentLog: domain.verifyingContract, relayer: 2, sequence: 7, root, eventCount: 3 };
  const text = new TextDecoder().decode(
    encodeCommitmentDocument(
      { chainId: 31337, commitmentLog: domain.verifyingContract, relayer: 2, sequence: 7, root },
      entries,
    ),
  );
  // brand (participant 1) and distributor (2) hold custody; the stranger's key was never registered
  const keys: Record<string, KeyStandingAt> = {
    [brand.address.toLowerCase()]: { participant: 1, kind: 1, active: true },
    [distributor.address.toLowerCase()]: { participant: 2, kind: 2, active: true },
  };
  const keyAt = async (key: string) => keys[key.toLowerCase()] ?? { participant: 0, kind: 0, active: false };
  const strangerCaptureSignature = await stranger.signTypedData(captureTypedData(domain, capture));
  const cases: { name: string; text: string }[] = [
    { name: "as published", text },
    {
      name: "an event's time edited",
      text: text.replace(
        '2026-11-01T10:00:00.000Z","eventTimeZoneOffset',
        '2026-11-01T10:00:01.000Z","eventTimeZoneOffset',
      ),
    },
    {
      name: "an event dropped",
      text: text.replace(/,\{"type":"AggregationEvent".*?"destinationList":\[[^\]]*\]\}/, ""),
    },
    {
      name: "the capture's signature replaced by another key's",
      text: text.replace(/"signature":"0x[0-9a-f]+"/, `"signature":"${strangerCaptureSignature}"`),
    },
    { name: "the capture's event count raised", text: text.replace('"eventCount":2', '"eventCount":3') },
    {
      name: "a handover item swapped",
      text: text.replace(
        '"items":["https://id.gs1.org/00/106141412345678908"]',
        '"items":["https://id.gs1.org/00/106141412345678915"]',
      ),
    },
    {
      name: "the receiver's signature replaced by the sender's",
      text: text.replace(
        /"receiverSignature":"0x[0-9a-f]+"/,
        text.match(/"senderSignature":"(0x[0-9a-f]+)"/)![0].replace("sender", "receiver"),
      ),
    },
    { name: "an entry's digest changed", text: text.replace(captureEntry.digest, `0x${"00".repeat(32)}`) },
    { name: "the header's sequence changed", text: text.replace('"sequence":7', '"sequence":8') },
    { name: "the header's chain changed", text: text.replace('"chainId":31337', '"chainId":1') },
    { name: "the header's root changed", text: text.replace(`"root":"${root}"`, `"root":"0x${"11".repeat(32)}"`) },
    { name: "the type renamed", text: text.replace("trackroot.commitment.v1", "trackroot.commitment.v2") },
    { name: "no entries", text: text.replace(/"entries":\[.*\]\}$/, '"entries":[]}') },
    { name: "an entry of an unknown kind", text: text.replace('"kind":"handover"', '"kind":"receipt"') },
    {
      name: "a name repeated",
      text: text.replace('{"type":"trackroot.commitment.v1",', '{"type":"trackroot.commitment.v1","relayer":2,'),
    },
    { name: "its last brace cut off", text: text.slice(0, -1) },
    {
      name: "the shipment reference changed",
      text: text.replace('"shipmentRef":"DESADV-7"', '"shipmentRef":"DESADV-8"'),
    },
  ];
  const tampered = [];
  for (const c of cases) {
    if (c.name !== "as published" && c.text === text) throw new Error(`case "${c.name}" changes nothing`);
    const verdict = await verifyCommitmentContent(new TextEncoder().encode(c.text), record, keyAt);
    tampered.push({ name: c.name, document: c.text, ...verdictFacts(verdict) });
  }
  writeFileSync(
    "test/vectors/commitment-document.json",
    JSON.stringify(
      {
        comment:
          "trackroot.commitment.v1 (src/core/custody/commitment-document.ts): the document a relayer publishes for a commitment, from its stored entries, and that document tampered with, each with the verdict of verifyCommitmentContent against the chain's record and the key standings given.",
        record,
        keys,
        entries,
        document: text,
        cases: tampered,
      },
      null,
      2,
    ) + "\n",
  );
  console.log("wrote test/vectors/commitment-document.json");
})();
