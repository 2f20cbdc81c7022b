import { expect } from "chai";
import { keccak256, stringToHex } from "viem";
import { assembleProofBundle, type AssemblyOptions } from "../../src/indexer/bundle-assembly";
import type { BundleEventRow, BundleHandoverRow, BundleRows } from "../../src/indexer/bundle-rows";

const UNIT = "https://id.gs1.org/01/10614141073464/21/A1";
const CASE = "https://id.gs1.org/00/106141412345678908";
const h = (s: string) => keccak256(stringToHex(s));
const LOG = "0x000000000000000000000000000000000000c0de" as const;

/** A format-1 capture of `events` (each: its time and the subject it names), committed in commitment 1:1. */
function capture(name: string, events: { time: string; epc: string }[]): BundleEventRow[] {
  const digest = h(name);
  const proofData = JSON.stringify({
    capture: { submitter: LOG, eventsRoot: h("root"), eventCount: events.length, nonce: h("n"), issuedAt: "1" },
    signature: "0x01",
    eventHashes: events.map((_, i) => h(`${name}/${i}`)),
  });
  return events.map((e, position) => ({
    digest,
    position,
    event_hash: h(`${name}/${position}`),
    event: JSON.stringify({ type: "ObjectEvent", eventTime: e.time, action: "OBSERVE", epcList: [e.epc] }),
    event_time: e.time,
    relayer: 1,
    sequence: 1,
    proof_data: proofData,
    block_number: 10,
    epc: e.epc,
  }));
}

function handover(name: string, items: string[], seconds: number): BundleHandoverRow[] {
  const digest = h(name);
  const proofData = JSON.stringify({
    handover: { handoverId: h(`${name} id`), from: LOG, to: LOG, itemsRoot: h("i"), itemCount: items.length },
    senderSignature: "0x02",
    receiverSignature: "0x03",
    items,
  });
  return items.map((item, position) => ({
    digest,
    position,
    item,
    relayer: 1,
    sequence: 1,
    proof_data: proofData,
    event_time: String(seconds),
    block_number: 11,
  }));
}

function rows(events: BundleEventRow[], handovers: BundleHandoverRow[], caseFrom = 0, caseTo = Infinity): BundleRows {
  const captures = new Set(events.map((r) => r.digest));
  const digests = [...new Set([...events, ...handovers].map((r) => r.digest))];
  return {
    gtin: "10614141073464",
    serial: "A1",
    epc: UNIT,
    release: null,
    within: new Map([
      [UNIT, [{ from: -Infinity, to: Infinity }]],
      [CASE, [{ from: caseFrom, to: caseTo }]],
    ]),
    refusals: new Map([[h("cap-b/0"), "Participant 9 recorded it"]]),
    events,
    handovers,
    commitments: new Map([
      [
        "1:1",
        {
          row: {
            relayer: 1,
            sequence: 1,
            root: h("commitment"),
            event_count: 3,
            content_cid: "bafk",
            previous_hash: h("p"),
            hash: h("c"),
            block_number: 10,
            transaction_hash: h("tx"),
          },
          entries: digests.map((digest) => ({ kind: captures.has(digest) ? "capture" : "handover", digest })),
        },
      ],
    ]),
  } as BundleRows;
}

const options: AssemblyOptions = {
  chainId: 31337,
  serialRegistry: LOG,
  commitmentLog: LOG,
  batchTree: null,
  memo: (_key, build) => build(),
};
const kinds = (bundle: ReturnType<typeof assembleProofBundle>) =>
  bundle.custody.map((s) => `${s.kind}@${"eventHash" in s ? s.eventHash : (s as { item: string }).item}`);

describe("indexer/assembleProofBundle (pure: rows in, bundle out)", () => {
  it("orders the steps by ledger time, whatever order the rows came in", () => {
    const events = [
      ...capture("cap-a", [{ time: "2026-11-02T00:00:00.000Z", epc: UNIT }]),
      ...capture("cap-b", [{ time: "2026-11-01T00:00:00.000Z", epc: UNIT }]),
    ];
    const bundle = assembleProofBundle(rows(events, []), options);
    expect(kinds(bundle)).to.deep.equal([`recorded_event@${h("cap-b/0")}`, `recorded_event@${h("cap-a/0")}`]);
  });

  it("shows an event naming the unit and its case once", () => {
    const events = capture("cap-a", [{ time: "2026-11-02T00:00:00.000Z", epc: UNIT }]);
    const twice = [...events, { ...events[0], epc: CASE }];
    expect(assembleProofBundle(rows(twice, []), options).custody).to.have.length(1);
  });

  it("leaves out a container's steps from outside the code's stretch in it", () => {
    const events = capture("cap-a", [
      { time: "2026-11-01T00:00:00.000Z", epc: CASE },
      { time: "2026-11-03T00:00:00.000Z", epc: CASE },
    ]);
    const from = Date.parse("2026-11-02T00:00:00.000Z");
    expect(kinds(assembleProofBundle(rows(events, [], from), options))).to.deep.equal([
      `recorded_event@${h("cap-a/1")}`,
    ]);
  });

  it("proves a handover of the unit and its case together through the unit, once", () => {
    const bundle = assembleProofBundle(rows([], handover("ho-a", [CASE, UNIT], 1_793_000_000)), options);
    expect(kinds(bundle)).to.deep.equal([`handover@${UNIT}`]);
  });

  it("says why the rules refused a step, and only that step", () => {
    const events = [
      ...capture("cap-a", [{ time: "2026-11-02T00:00:00.000Z", epc: UNIT }]),
      ...capture("cap-b", [{ time: "2026-11-01T00:00:00.000Z", epc: UNIT }]),
    ];
    const bundle = assembleProofBundle(rows(events, []), options);
    expect(bundle.custody.map((s) => s.refused)).to.deep.equal(["Participant 9 recorded it", undefined]);
  });

  it("places each step in its commitment with a proof to the commitment's root", () => {
    const bundle = assembleProofBundle(
      rows(capture("cap-a", [{ time: "2026-11-02T00:00:00.000Z", epc: UNIT }]), handover("ho-a", [UNIT], 1)),
      options,
    );
    for (const step of bundle.custody) {
      expect(step.commitment).to.include({ relayer: 1, sequence: "1", root: h("commitment") });
    }
  });

  it("refuses rows that name a commitment the query step did not read", () => {
    const events = capture("cap-a", [{ time: "2026-11-02T00:00:00.000Z", epc: UNIT }]).map((e) => ({
      ...e,
      sequence: 2,
    }));
    expect(() => assembleProofBundle(rows(events, []), options)).to.throw(/commitment 1:2 was not read/);
  });
});
