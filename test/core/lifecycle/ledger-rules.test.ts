import { expect } from "chai";
import { effectiveHolder, type CodeState } from "../../../src/core/lifecycle/code-state";
import { coordinatesOf, distanceKm } from "../../../src/core/lifecycle/geo";
import {
  LedgerRules,
  type EventFact,
  type HandoverFact,
  type LedgerFact,
} from "../../../src/core/lifecycle/ledger-rules";

const unit = (s: string) => `https://id.gs1.org/01/10614141073464/21/${s}`;
const SSCC = "https://id.gs1.org/00/106141412345678908";
const PALLET = "https://id.gs1.org/00/106141419999999994";
const PARIS = "geo:48.8566,2.3522";
const TOKYO = "geo:35.6762,139.6503";
const LYON = "geo:45.7640,4.8357";
const HOUR = 3_600_000;

let n = 0;
function event(partial: Partial<EventFact>): EventFact {
  return {
    kind: "event",
    ref: `0xevent${n++}`,
    participant: 1,
    time: 0,
    type: "ObjectEvent",
    action: "OBSERVE",
    bizStep: "",
    readPoint: "",
    epcs: [],
    parent: "",
    children: [],
    inputs: [],
    outputs: [],
    ...partial,
  };
}
const commission = (epcs: string[], extra: Partial<EventFact> = {}) =>
  event({ action: "ADD", bizStep: "commissioning", epcs, ...extra });
const handover = (items: string[], sender: number, receiver: number, time = 0): HandoverFact => ({
  kind: "handover",
  ref: `0xhandover${n++}`,
  sender,
  receiver,
  time,
  items,
});

/** Participant ids to ParticipantKind: 9 the brand, 1 the order's producer, custodians 2 and 4, 3 a retailer. */
const KINDS = new Map([
  [9, 0],
  [1, 1],
  [2, 2],
  [4, 2],
  [3, 3],
]);

function run(facts: LedgerFact[], released = (s: string) => s !== "FAKE") {
  const states = new Map<string, CodeState>();
  const rules = new LedgerRules({
    states,
    children: new Map(),
    origin: (u) => (released(u.serial) ? { brand: 9, producer: 1 } : undefined),
    kindOf: (p) => KINDS.get(p),
    sites: { "https://id.gs1.org/414/0614141000005": { lat: 52.52, lon: 13.405 } },
    maxSpeedKmh: 1000,
  });
  const out = facts.map((f) => rules.apply(f));
  return {
    states,
    anomalies: out.flatMap((o) => o.anomalies),
    changes: out.flatMap((o) => o.changes),
    commissioned: out.map((o) => o.commissioned),
    holder: (epc: string) => effectiveHolder(epc, (e) => states.get(e)),
  };
}

describe("core: the lifecycle rules", () => {
  const cases: { name: string; facts: () => LedgerFact[]; anomalies: string[] }[] = [
    { name: "a released unit commissioned once is clean", facts: () => [commission([unit("A")])], anomalies: [] },
    {
      name: "a unit in no released batch is flagged when commissioned",
      facts: () => [commission([unit("FAKE")])],
      anomalies: ["commission_outside_release"],
    },
    {
      name: "a second commissioning is flagged",
      facts: () => [commission([unit("A")]), commission([unit("A")], { participant: 9 })],
      anomalies: ["double_commission"],
    },
    {
      name: "an event after decommissioning is flagged",
      facts: () => [
        commission([unit("A")]),
        event({ action: "DELETE", epcs: [unit("A")] }),
        event({ epcs: [unit("A")] }),
      ],
      anomalies: ["event_after_end"],
    },
    {
      name: "an event after a sale is flagged",
      facts: () => [
        commission([unit("A")]),
        event({ bizStep: "https://ref.gs1.org/cbv/BizStep-retail_selling", epcs: [unit("A")] }),
        event({ bizStep: "shipping", epcs: [unit("A")] }),
      ],
      anomalies: ["event_after_end"],
    },
    {
      name: "a handover by the holder is clean",
      facts: () => [commission([unit("A")], { participant: 1 }), handover([unit("A")], 1, 2)],
      anomalies: [],
    },
    {
      name: "a handover by someone else than the holder is flagged",
      facts: () => [commission([unit("A")], { participant: 1 }), handover([unit("A")], 3, 2)],
      anomalies: ["handover_by_non_holder"],
    },
    {
      name: "a handover of a code nobody holds is flagged",
      facts: () => [handover([unit("A")], 1, 2)],
      anomalies: ["handover_by_non_holder"],
    },
    {
      name: "a handover of a packed unit by its container's holder is clean (inherited custody)",
      facts: () => [
        commission([unit("A")], { participant: 1 }),
        event({ type: "AggregationEvent", action: "ADD", parent: SSCC, children: [unit("A")], participant: 1 }),
        handover([SSCC], 1, 2),
        handover([unit("A")], 2, 3),
      ],
      anomalies: [],
    },
    {
      name: "the previous holder of a shipped case cannot hand over a unit inside it",
      facts: () => [
        commission([unit("A")], { participant: 1 }),
        event({ type: "AggregationEvent", action: "ADD", parent: SSCC, children: [unit("A")], participant: 1 }),
        handover([SSCC], 1, 2),
        handover([unit("A")], 1, 3),
      ],
      anomalies: ["handover_by_non_holder"],
    },
    {
      name: "Paris and Tokyo an hour apart is impossible travel",
      facts: () => [
        commission([unit("A")], { readPoint: PARIS, time: 0 }),
        event({ epcs: [unit("A")], readPoint: TOKYO, time: HOUR }),
      ],
      anomalies: ["impossible_travel"],
    },
    {
      name: "Paris and Lyon four hours apart is a lorry",
      facts: () => [
        commission([unit("A")], { readPoint: PARIS, time: 0 }),
        event({ epcs: [unit("A")], readPoint: LYON, time: 4 * HOUR }),
      ],
      anomalies: [],
    },
    {
      name: "a known site (by GLN) and a geo URI are compared too",
      facts: () => [
        commission([unit("A")], { readPoint: "https://id.gs1.org/414/0614141000005", time: 0 }),
        event({ epcs: [unit("A")], readPoint: TOKYO, time: 2 * HOUR }),
      ],
      anomalies: ["impossible_travel"],
    },
  ];
  for (const c of cases) {
    it(`${c.name}`, () => {
      expect(run(c.facts()).anomalies.map((a) => a.kind)).to.deep.equal(c.anomalies);
    });
  }

  const firsts: { name: string; facts: () => LedgerFact[]; commissioned: string[][] }[] = [
    {
      name: "a unit's first commissioning, not its second",
      facts: () => [commission([unit("A")]), commission([unit("A")], { participant: 9 })],
      commissioned: [[unit("A")], []],
    },
    {
      name: "nothing of a commissioning its submitter had no right to",
      facts: () => [commission([unit("A")], { participant: 2 })],
      commissioned: [[]],
    },
    {
      name: "a unit named twice in one event once",
      facts: () => [commission([unit("A"), unit("A")])],
      commissioned: [[unit("A")]],
    },
    {
      name: "not a container made by packing into it",
      facts: () => [
        commission([unit("A")]),
        event({ type: "AggregationEvent", action: "ADD", parent: SSCC, children: [unit("A")] }),
      ],
      commissioned: [[unit("A")], []],
    },
    {
      name: "a transformation's outputs",
      facts: () => [
        commission([unit("A")]),
        event({ type: "TransformationEvent", inputs: [unit("A")], outputs: [unit("B"), unit("C")] }),
      ],
      commissioned: [[unit("A")], [unit("B"), unit("C")]],
    },
  ];
  for (const c of firsts) {
    it(`reports as commissioned for the first time ${c.name}`, () => {
      expect(run(c.facts()).commissioned).to.deep.equal(c.commissioned);
    });
  }

  it("names what an event sets out to commission: an ADD's EPCs, a transformation's outputs, nothing of a packing", () => {
    expect(LedgerRules.commissions(commission([unit("A")]))).to.deep.equal([unit("A")]);
    expect(
      LedgerRules.commissions(event({ type: "TransactionEvent", action: "ADD", epcs: [unit("B")] })),
    ).to.deep.equal([unit("B")]);
    expect(LedgerRules.commissions(event({ type: "TransformationEvent", outputs: [unit("C")] }))).to.deep.equal([
      unit("C"),
    ]);
    expect(
      LedgerRules.commissions(event({ type: "AggregationEvent", action: "ADD", parent: SSCC, children: [unit("A")] })),
    ).to.deep.equal([]);
    expect(LedgerRules.commissions(event({ epcs: [unit("A")] }))).to.deep.equal([]);
  });

  it("custody follows a pallet through cases to units, and unpacking hands each unit its container's holder", () => {
    const r = run([
      commission([unit("A"), unit("B")], { participant: 1 }),
      event({ type: "AggregationEvent", action: "ADD", parent: SSCC, children: [unit("A"), unit("B")] }),
      event({ type: "AggregationEvent", action: "ADD", parent: PALLET, children: [SSCC] }),
      handover([PALLET], 1, 2),
    ]);
    expect(r.holder(unit("A"))).to.equal(2);
    expect(r.states.get(unit("A"))?.holder).to.equal(1);
    const after = run([
      commission([unit("A"), unit("B")], { participant: 1 }),
      event({ type: "AggregationEvent", action: "ADD", parent: SSCC, children: [unit("A"), unit("B")] }),
      handover([SSCC], 1, 2),
      event({ type: "AggregationEvent", action: "DELETE", parent: SSCC, participant: 2 }),
    ]);
    expect(after.states.get(unit("A"))).to.include({ parent: "", holder: 2 });
    expect(after.states.get(unit("B"))).to.include({ parent: "", holder: 2 });
    expect(after.changes.filter((c) => c.cause === "unpacked").map((c) => c.epc)).to.deep.equal([unit("A"), unit("B")]);
  });

  it("a transformation ends its inputs and commissions its outputs", () => {
    const r = run([
      commission([unit("A")]),
      event({ type: "TransformationEvent", inputs: [unit("A")], outputs: [unit("B")], participant: 1 }),
    ]);
    expect(r.anomalies).to.deep.equal([]);
    expect(r.states.get(unit("A"))?.ended).to.equal("decommissioned");
    expect(r.states.get(unit("B"))).to.include({ commissioned: true, holder: 1 });
  });

  it("reads geo URIs and rejects out-of-range ones; measures Paris to Tokyo", () => {
    expect(coordinatesOf("geo:48.8566,2.3522;u=10", {})).to.deep.equal({ lat: 48.8566, lon: 2.3522 });
    expect(coordinatesOf("geo:91,0", {})).to.equal(undefined);
    expect(coordinatesOf("urn:epc:id:sgln:0614141.00001.0", {})).to.equal(undefined);
    const km = distanceKm({ lat: 48.8566, lon: 2.3522 }, { lat: 35.6762, lon: 139.6503 });
    expect(km).to.be.within(9700, 9740);
  });
});
