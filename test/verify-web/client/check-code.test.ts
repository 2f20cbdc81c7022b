import { localeOf } from "../../../src/verify-web/client/i18n/locale";
import { placeText, reasonText, stepText, whoText } from "../../../src/verify-web/client/page";
import { expect } from "chai";
import type { Address } from "viem";
import type { ParticipantFacts, ProductFacts } from "../../../src/chain/ledger-facts";
import { checkCode, type CheckCodeDeps, type Verifications } from "../../../src/verify-web/client/check-code";
import type { CodeRef } from "../../../src/verify-web/client/code-input";
import { GTIN, producer, proofLedger, receiver, sender, SERIALS } from "../../support/proof-ledger";

const party = (id: number, name: string): ParticipantFacts => ({
  id,
  kind: "brand",
  gln: "0614141000005",
  name,
  active: true,
});
const NAMES = new Map<string, ParticipantFacts>([
  [producer.address.toLowerCase(), party(1, "Acme")],
  [sender.address.toLowerCase(), party(2, "Distributor")],
  [receiver.address.toLowerCase(), party(3, "Pharmacy")],
]);
const PRODUCT: ProductFacts = {
  orderId: "1",
  gtin: GTIN,
  lot: "L1",
  expiry: "20280630",
  brand: party(1, "Acme"),
  producer: party(1, "Acme"),
};

interface Case {
  name: string;
  verdict: string;
  bizStep?: string;
  code?: Partial<CodeRef>;
  recalled?: boolean;
  verifications?: Verifications;
  fetchFails?: boolean;
  chainFails?: boolean;
  namesFail?: boolean;
  tamper?: (bundle: { custody: { event?: Record<string, unknown> }[] }) => void;
  reason?: RegExp;
}

const CASES: Case[] = [
  { name: "a fully proven code", verdict: "genuine" },
  { name: "a code whose batch is recalled", verdict: "recalled", recalled: true },
  {
    name: "a code verified from too many regions",
    verdict: "suspicious",
    verifications: { count: 9, regions: 4, warning: true },
  },
  {
    name: "a recalled code that also looks cloned (the recall comes first)",
    verdict: "recalled",
    recalled: true,
    verifications: { count: 9, regions: 4, warning: true },
  },
  { name: "a code sold at retail", verdict: "sold", bizStep: "retail_selling", reason: /^Sold on Nov 1, 2026\.$/ },
  { name: "a code whose pack shows its released lot", verdict: "genuine", code: { lot: "L1" } },
  {
    name: "a code whose pack shows another lot",
    verdict: "unverifiable",
    code: { lot: "L2" },
    reason: /lot on the pack \(L2\)/,
  },
  {
    name: "a bundle for another code than the one asked about",
    verdict: "unverifiable",
    code: { serial: SERIALS[0] },
    reason: /code asked for/,
  },
  {
    name: "an edited event",
    verdict: "unverifiable",
    tamper: (b) => (b.custody[0].event!.eventTime = "2025-01-01T00:00:00.000Z"),
    reason: /disagree: custody step 1: event hash/,
  },
  {
    name: "an indexer that cannot be reached",
    verdict: "unverifiable",
    fetchFails: true,
    reason: /server could not be reached/,
  },
  {
    name: "a chain that cannot be reached",
    verdict: "unverifiable",
    chainFails: true,
    reason: /ledger could not be reached/,
  },
  {
    name: "a chain that fails while the names are read",
    verdict: "unverifiable",
    namesFail: true,
    reason: /ledger could not be reached/,
  },
];

async function run(c: Case, productRecord?: CheckCodeDeps["productRecord"]) {
  const { bundle, readRoot, chain } = await proofLedger(c.bizStep);
  chain.batch.recalled = c.recalled ?? false;
  const served = JSON.parse(JSON.stringify(bundle));
  c.tamper?.(served);
  const deps: CheckCodeDeps = {
    fetchBundle: async () => {
      if (c.fetchFails) throw new Error("connection refused");
      return { bundle: served, verifications: c.verifications ?? { count: 1, regions: 1, warning: false } };
    },
    readRoot: async (q) => {
      if (c.chainFails) throw new Error("connection refused");
      return readRoot(q);
    },
    facts: {
      productOfBatch: async () => PRODUCT,
      participantOfKey: async (key: Address) => {
        if (c.namesFail) throw new Error("connection reset");
        return NAMES.get(key.toLowerCase()) ?? null;
      },
      participant: async (id: number) => [...NAMES.values()].find((p) => p.id === id) ?? null,
    },
    ...(productRecord ? { productRecord } : {}),
  };
  return checkCode({ gtin: GTIN, serial: SERIALS[1], ...c.code }, deps);
}

describe("verify-web/client checkCode", () => {
  for (const c of CASES) {
    it(`says ${c.verdict} for ${c.name}`, async () => {
      const outcome = await run(c);
      expect(outcome.verdict).to.equal(c.verdict);
      if (c.reason) expect(reasonText(localeOf("en"), outcome.reason)).to.match(c.reason);
      // a timeline is shown only for what was proven
      if (c.verdict === "unverifiable") expect(outcome.timeline).to.deep.equal([]);
    });
  }

  it("says unknown when the indexer knows no released batch for the code, and reads no product", async () => {
    const { bundle, readRoot } = await proofLedger();
    let asked = false;
    const outcome = await checkCode(
      { gtin: GTIN, serial: SERIALS[1] },
      {
        fetchBundle: async () => ({ bundle: { ...bundle, release: null, custody: [] }, verifications: null }),
        readRoot,
        facts: {
          productOfBatch: async () => {
            asked = true;
            return PRODUCT;
          },
          participantOfKey: async () => null,
          participant: async () => null,
        },
      },
    );
    expect(outcome.verdict).to.equal("unknown");
    expect(asked).to.equal(false);
  });

  it("lists the product record's check beside the proof's, and keeps the verdict when the record differs", async () => {
    const ok = await run({ name: "genuine", verdict: "genuine" }, async () => ({
      ok: true,
      cid: "bafkreiok",
      version: 2,
      record: {} as never,
    }));
    expect(ok.verdict).to.equal("genuine");
    expect(ok.checks.at(-1)).to.deep.equal({
      name: "product record",
      ok: true,
      detail: "version 2, bafkreiok, as the chain names it",
    });
    const differs = await run({ name: "genuine", verdict: "genuine" }, async () => ({
      ok: false,
      cid: "bafkreiok",
      version: 2,
      detail: "the record the server sent is bafkreiother, the chain names bafkreiok",
    }));
    expect(differs.verdict).to.equal("genuine");
    expect(differs.record).to.deep.include({ ok: false });
    expect(differs.checks.at(-1)).to.deep.include({ name: "product record", ok: false });
  });

  it("shows no record, and keeps the verdict, when the chain answers no product record (a registry deployed before them)", async () => {
    const outcome = await run({ name: "genuine", verdict: "genuine" }, async () => {
      throw new Error('The contract function "productRecord" reverted');
    });
    expect(outcome.verdict).to.equal("genuine");
    expect(outcome.record).to.equal(null);
    expect(outcome.checks.some((c) => c.name === "product record")).to.equal(false);
  });

  it("tells the journey in words, with the registry's names, oldest first", async () => {
    const outcome = await run({ name: "genuine", verdict: "genuine" });
    expect(outcome.product).to.deep.equal(PRODUCT);
    const en = localeOf("en");
    expect(
      outcome.timeline.map((t) => [stepText(en, t.step), whoText(en, t.by), placeText(en, t.where)]),
    ).to.deep.equal([
      ["Handed over", "Distributor → Pharmacy", null],
      ["Made and coded", "Acme", "site 0614141000005"],
    ]);
    expect(outcome.timeline[0].block).to.be.a("number");
  });
});
