/**
 * Writes test/vectors/leaves.json and eip712.json: fixed inputs with the digests the TypeScript
 * core computes. The Solidity tests check the contracts reproduce every one, and the core tests
 * check the core still does, so neither side can drift. Run once when an encoding changes:
 *   node -r ts-node/register/transpile-only scripts/make-vectors.ts
 */
import { writeFileSync } from "node:fs";
import { codeLeafHash, commitmentLeafHash } from "../src/core/merkle/leaves";
import { captureDigest, handoverDigest } from "../src/core/custody/eip712";
import type { Hex } from "../src/core/bytes";

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
  })),
};
writeFileSync("test/vectors/eip712.json", JSON.stringify(out, null, 2) + "\n");
console.log("wrote test/vectors/leaves.json and test/vectors/eip712.json");
