import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { eventsOf, type EpcisEvent } from "../../../src/core/epcis/event-hash";
import { compareEvents, eventMatches, parseEventQuery, type QueryParams } from "../../../src/core/epcis/event-query";
import { ValidationError } from "../../../src/core/errors";

const doc = JSON.parse(
  readFileSync(join(__dirname, "../../data/epcis-event-hash/epcisDocWithVariousEventTypes.jsonld"), "utf8"),
);
const { events } = eventsOf(doc);
const matching = (params: QueryParams) => {
  const q = parseEventQuery(params, { maxPerPage: 100 });
  return events
    .map((e, i) => [e, i] as const)
    .filter(([e]) => eventMatches(e, q))
    .map(([, i]) => i);
};

describe("core/epcis the EPCIS 2.0 query language", () => {
  it("matches each parameter family as the standard defines it, values in any spelling", () => {
    const cases: [QueryParams, (e: EpcisEvent) => boolean][] = [
      [
        { eventType: "AggregationEvent|TransformationEvent" },
        (e) => ["AggregationEvent", "TransformationEvent"].includes(String(e.type)),
      ],
      [{ EQ_action: "ADD" }, (e) => e.action === "ADD"],
      [{ EQ_bizStep: "urn:epcglobal:cbv:bizstep:departing" }, (e) => e.bizStep === "departing"],
      [{ EQ_bizStep: "https://ref.gs1.org/cbv/BizStep-packing" }, (e) => e.bizStep === "packing"],
      [
        { MATCH_parentID: "urn:epc:id:sscc:4047023.0111111122" },
        (e) => e.parentID === "urn:epc:id:sscc:4047023.0111111122",
      ],
      [{ EXISTS_ilmd: "true" }, (e) => e.ilmd !== undefined],
      [{ EXISTS_ilmd: "false" }, (e) => e.ilmd === undefined],
      [
        { GE_quantity: "600" },
        (e) =>
          ["quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"].some((f) =>
            ((e[f] as { quantity?: number }[] | undefined) ?? []).some((q) => Number(q.quantity) >= 600),
          ),
      ],
      [
        { GE_eventTime: "2019-10-21T12:00:00.000Z", LT_eventTime: "2019-10-21T13:00:00.000Z" },
        (e) => {
          const t = Date.parse(String(e.eventTime));
          return t >= Date.parse("2019-10-21T12:00:00.000Z") && t < Date.parse("2019-10-21T13:00:00.000Z");
        },
      ],
    ];
    for (const [params, expected] of cases) {
      const want = events
        .map((e, i) => [e, i] as const)
        .filter(([e]) => expected(e))
        .map(([, i]) => i);
      expect(want.length, JSON.stringify(params)).to.be.greaterThan(0);
      expect(matching(params), JSON.stringify(params)).to.deep.equal(want);
    }
  });

  it("matches an EPC whether asked as an EPC URN or as its Digital Link", () => {
    const urn = matching({ MATCH_epc: "urn:epc:id:sscc:5200001.0111111146" });
    expect(urn.length).to.be.greaterThan(0);
    expect(matching({ MATCH_epc: "https://id.gs1.org/00/052000011111111461" })).to.deep.equal(urn);
    expect(matching({ MATCH_anyEPC: "urn:epc:id:sgtin:4012345.077889.25" })).to.have.length.greaterThan(0);
    expect(matching({ MATCH_epc: "urn:epc:id:sgtin:4012345.077889.25" }), "an output is not in epcList").to.deep.equal(
      [],
    );
  });

  it("matches a business transaction, source or destination by its type and value", () => {
    expect(matching({ EQ_bizTransaction_inv: "urn:epcglobal:cbv:bt:5200001000008:RE1099" })).to.have.length(2);
    expect(matching({ EQ_source_owning_party: "urn:epc:id:pgln:4000001.00012" })).to.have.length(1);
    expect(matching({ EQ_bizTransaction_po: "urn:epcglobal:cbv:bt:5200001000008:RE1099" })).to.deep.equal([]);
  });

  it("orders by eventTime either way", () => {
    const q = parseEventQuery({ orderBy: "eventTime", orderDirection: "ASC" }, { maxPerPage: 10 });
    const sorted = [...events].sort(compareEvents(q)!).map((e) => Date.parse(String(e.eventTime)));
    expect(sorted).to.deep.equal([...sorted].sort((a, b) => a - b));
    expect(parseEventQuery({}, { maxPerPage: 100 })).to.include({ perPage: 30 });
    expect(parseEventQuery({}, { maxPerPage: 10 })).to.include({ orderDirection: "DESC", perPage: 10 });
  });

  it("refuses what is not the query language, naming the parameter", () => {
    const cases: [QueryParams, string][] = [
      [{ EQ_colour: "red" }, "EQ_colour"],
      [{ EQ_bizStep: ["a", "b"] }, "EQ_bizStep"],
      [{ EQ_bizStep: "a||b" }, "EQ_bizStep"],
      [{ GE_eventTime: "yesterday" }, "GE_eventTime"],
      [{ perPage: "0" }, "perPage"],
      [{ perPage: "101" }, "perPage"],
      [{ orderBy: "colour" }, "orderBy"],
      [{ orderDirection: "UP" }, "orderDirection"],
      [{ EXISTS_ilmd: "maybe" }, "EXISTS_ilmd"],
      [{ EQ_quantity: "many" }, "EQ_quantity"],
      [{ eventCountLimit: "2", maxEventCount: "3" }, "maxEventCount"],
    ];
    for (const [params, field] of cases) {
      expect(() => parseEventQuery(params, { maxPerPage: 100 }), JSON.stringify(params))
        .to.throw(ValidationError)
        .with.property("field", field);
    }
  });
});
