import { expect } from "chai";
import { eventFact } from "../../../src/core/lifecycle/event-fact";

const UNIT = "https://id.gs1.org/01/10614141073464/21/A1";

describe("core/lifecycle eventFact (an EPCIS event as the lifecycle rules read it)", () => {
  it("reads an object event's fields, its time in ms and its read point's id", () => {
    const fact = eventFact(
      {
        type: "ObjectEvent",
        eventTime: "2026-11-01T10:00:00.000+01:00",
        action: "ADD",
        bizStep: "commissioning",
        readPoint: { id: "urn:epc:id:sgln:0614141.00000.0" },
        epcList: [UNIT],
      },
      "0xabc",
      7,
    );
    expect(fact).to.deep.equal({
      kind: "event",
      ref: "0xabc",
      participant: 7,
      time: Date.parse("2026-11-01T09:00:00.000Z"),
      type: "ObjectEvent",
      action: "ADD",
      bizStep: "commissioning",
      readPoint: "urn:epc:id:sgln:0614141.00000.0",
      epcs: [UNIT],
      parent: "",
      children: [],
      inputs: [],
      outputs: [],
    });
  });

  it("names a unit by its canonical Digital Link whichever way the event wrote it", () => {
    const urn = eventFact({ epcList: ["urn:epc:id:sgtin:0614141.107346.A1"] }, "0x1", 1).epcs;
    const padded = eventFact({ epcList: [`  ${UNIT}  `] }, "0x1", 1).epcs;
    expect(urn).to.deep.equal([UNIT]);
    expect(padded).to.deep.equal([UNIT]);
  });

  it("reads an aggregation's parent and children and a transformation's inputs and outputs", () => {
    const packing = eventFact(
      { type: "AggregationEvent", parentID: " https://id.gs1.org/00/106141412345678908 ", childEPCs: [UNIT] },
      "0x2",
      1,
    );
    expect(packing).to.include({ parent: "https://id.gs1.org/00/106141412345678908" });
    expect(packing.children).to.deep.equal([UNIT]);
    const transformed = eventFact({ type: "TransformationEvent", inputEPCList: [UNIT], outputEPCList: [] }, "0x3", 1);
    expect([transformed.inputs, transformed.outputs]).to.deep.equal([[UNIT], []]);
  });

  it("reads what is missing or of the wrong type as empty, never as a value", () => {
    const fact = eventFact(
      { epcList: [UNIT, 42, null], childEPCs: "not a list", readPoint: "not an object" },
      "0x4",
      1,
    );
    expect(fact.epcs).to.deep.equal([UNIT]);
    expect(fact.children).to.deep.equal([]);
    expect(fact).to.include({ type: "", action: "", bizStep: "", readPoint: "", parent: "" });
    expect(Number.isNaN(fact.time)).to.equal(true);
  });
});
