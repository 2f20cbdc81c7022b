import { expect } from "chai";
import { PARTICIPANT_KINDS } from "../../../src/core/custody/participant-kinds";
import { effectiveHolder, type CodeState } from "../../../src/core/lifecycle/code-state";
import { LedgerRules, type EventFact, type LedgerFact } from "../../../src/core/lifecycle/ledger-rules";

const A = "https://id.gs1.org/01/10614141073464/21/A";
const B = "https://id.gs1.org/01/10614141073464/21/B";
const CASE = "https://id.gs1.org/00/106141412345678908";
const MIX = "https://id.gs1.org/01/10614141073464/10/MIX1";
const SITE = "geo:52.52,13.405";

/** The cast: the order of A and B names brand 9 and producer 1; 5 is another brand's producer. */
const BRAND = 9;
const PRODUCER = 1;
const CAST: { id: number; kind: number; name: string }[] = [
  { id: BRAND, kind: 0, name: "the code's brand" },
  { id: PRODUCER, kind: 1, name: "the order's producer" },
  { id: 5, kind: 1, name: "another producer" },
  { id: 2, kind: 2, name: "a custodian" },
  { id: 3, kind: 3, name: "a retailer" },
  { id: 6, kind: 4, name: "a relayer" },
  { id: 7, kind: 5, name: "an auditor" },
];
const kindOf = (p: number) => CAST.find((c) => c.id === p)?.kind;
const records = (p: number) => (kindOf(p) ?? 4) <= 3;

let n = 0;
const event = (participant: number, partial: Partial<EventFact>): EventFact => ({
  kind: "event",
  ref: `0xevent${n++}`,
  participant,
  time: 1000 + n,
  type: "ObjectEvent",
  action: "OBSERVE",
  bizStep: "",
  readPoint: SITE,
  epcs: [],
  parent: "",
  children: [],
  inputs: [],
  outputs: [],
  ...partial,
});
const observe = (step: string) => (p: number) => event(p, { bizStep: step, epcs: [A] });

/** What each kind of event does, and whether it needs custody of A (else: who may commission). */
const EVENTS: { name: string; needs: "custody" | "origin" | "nothing"; fact: (p: number) => LedgerFact }[] = [
  {
    name: "commissioning",
    needs: "origin",
    fact: (p) => event(p, { action: "ADD", bizStep: "commissioning", epcs: [B] }),
  },
  {
    name: "packing",
    needs: "custody",
    fact: (p) => event(p, { type: "AggregationEvent", action: "ADD", bizStep: "packing", parent: CASE, children: [A] }),
  },
  { name: "shipping", needs: "custody", fact: observe("shipping") },
  { name: "receiving", needs: "custody", fact: observe("receiving") },
  { name: "selling", needs: "custody", fact: observe("retail_selling") },
  { name: "dispensing", needs: "custody", fact: observe("dispensing") },
  {
    name: "decommissioning",
    needs: "custody",
    fact: (p) => event(p, { action: "DELETE", bizStep: "decommissioning", epcs: [A] }),
  },
  { name: "destroying", needs: "custody", fact: observe("destroying") },
  {
    name: "transforming",
    needs: "custody",
    fact: (p) => event(p, { type: "TransformationEvent", bizStep: "transforming", inputs: [A], outputs: [MIX] }),
  },
  {
    name: "a handover to the retailer",
    needs: "custody",
    fact: (p) => ({ kind: "handover", ref: `0xh${n++}`, sender: p, receiver: p === 3 ? 2 : 3, time: 5000, items: [A] }),
  },
  { name: "an observation", needs: "nothing", fact: observe("inspecting") },
];

/** A commissioned by its producer and, when `holder` is someone else, handed over to them. */
function setup(holder: number) {
  const states = new Map<string, CodeState>();
  const rules = new LedgerRules({
    states,
    children: new Map(),
    origin: () => ({ brand: BRAND, producer: PRODUCER }),
    kindOf,
    sites: {},
    maxSpeedKmh: 1000,
  });
  rules.apply(event(PRODUCER, { action: "ADD", bizStep: "commissioning", epcs: [A], readPoint: "" }));
  if (holder !== PRODUCER)
    rules.apply({ kind: "handover", ref: "0xsetup", sender: PRODUCER, receiver: holder, time: 1, items: [A] });
  return { states, rules };
}

describe("core: who may record what", () => {
  for (const who of CAST) {
    for (const e of EVENTS) {
      for (const holds of [false, true]) {
        // only a participant that records can be handed the code
        if (holds && !records(who.id)) continue;
        const holder = holds ? who.id : who.id === PRODUCER ? 2 : PRODUCER;
        const allowed =
          records(who.id) &&
          (e.needs === "nothing" ||
            (e.needs === "origin" && (who.id === PRODUCER || who.id === BRAND)) ||
            (e.needs === "custody" && holds));
        const verdict = allowed
          ? "changes the code's state"
          : e.needs === "nothing" && records(who.id)
            ? "changes nothing and is no anomaly"
            : "is refused, changes nothing and is flagged naming the submitter";
        it(`${e.name} by ${who.name} (${PARTICIPANT_KINDS[who.kind]}) ${holds ? "holding" : "not holding"} the code ${verdict}`, () => {
          const { states, rules } = setup(holder);
          const before = JSON.stringify([...states.entries()]);
          const fact = e.fact(who.id);
          const { anomalies, changes } = rules.apply(fact);
          const after = JSON.stringify([...states.entries()]);
          if (allowed) {
            expect(anomalies.map((a) => a.kind)).to.deep.equal([]);
            expect(changes.map((c) => c.cause)).to.not.include("refused");
            if (e.needs !== "nothing") expect(after).to.not.equal(before);
            else expect(states.get(A)?.lastPlace).to.equal(holds || who.id === holder ? SITE : "");
            return;
          }
          // a refused fact leaves every state as it was
          expect(after).to.equal(before);
          if (e.needs === "nothing" && records(who.id)) {
            expect(anomalies).to.deep.equal([]);
            expect(changes.map((c) => c.cause)).to.deep.equal(["observed"]);
            return;
          }
          expect(anomalies).to.have.length.greaterThan(0);
          const expectedKind =
            fact.kind === "handover" && records(who.id) ? "handover_by_non_holder" : "unauthorised_event";
          for (const a of anomalies) {
            expect(a.kind).to.equal(expectedKind);
            expect(a.detail).to.include(`participant ${who.id}`);
          }
          expect(changes.length).to.be.greaterThan(0);
          expect(changes.every((c) => c.cause === "refused")).to.equal(true);
        });
      }
    }
  }

  it("a unit packed in a case is unpacked, shipped and sold only by the case's holder", () => {
    const { states, rules } = setup(PRODUCER);
    rules.apply(event(PRODUCER, { type: "AggregationEvent", action: "ADD", parent: CASE, children: [A] }));
    rules.apply({ kind: "handover", ref: "0xcase", sender: PRODUCER, receiver: 2, time: 2000, items: [CASE] });
    const byProducer = rules.apply(
      event(PRODUCER, { type: "AggregationEvent", action: "DELETE", parent: CASE, children: [] }),
    );
    // refused for the case and for the unit inside it
    expect(byProducer.anomalies.map((a) => [a.kind, a.epc])).to.deep.equal([
      ["unauthorised_event", CASE],
      ["unauthorised_event", A],
    ]);
    expect(states.get(A)?.parent).to.equal(CASE);
    const sale = rules.apply(observe("retail_selling")(3));
    expect(sale.anomalies.map((a) => a.detail)).to.deep.equal([
      "participant 3 (retailer) marked it sold; participant 2 held it",
    ]);
    expect(states.get(A)?.ended).to.equal("");
    const byHolder = rules.apply(event(2, { type: "AggregationEvent", action: "DELETE", parent: CASE, children: [] }));
    expect(byHolder.anomalies).to.deep.equal([]);
    expect(states.get(A)).to.include({ parent: "", holder: 2 });
    expect(effectiveHolder(A, (e) => states.get(e))).to.equal(2);
  });

  it("a refused handover leaves custody with the holder, so the real holder can still hand it on", () => {
    const { states, rules } = setup(2);
    expect(
      rules.apply({ kind: "handover", ref: "0xthief", sender: 3, receiver: 5, time: 3000, items: [A] }).anomalies,
    ).to.have.length(1);
    expect(states.get(A)?.holder).to.equal(2);
    expect(
      rules.apply({ kind: "handover", ref: "0xreal", sender: 2, receiver: 3, time: 4000, items: [A] }).anomalies,
    ).to.deep.equal([]);
    expect(states.get(A)?.holder).to.equal(3);
  });

  it("a handover to an auditor is refused however the sender holds the goods", () => {
    const { states, rules } = setup(2);
    const out = rules.apply({ kind: "handover", ref: "0xaudit", sender: 2, receiver: 7, time: 3000, items: [A] });
    expect(out.anomalies.map((a) => a.kind)).to.deep.equal(["unauthorised_event"]);
    expect(states.get(A)?.holder).to.equal(2);
  });
});
