import { expect } from "chai";
import fc from "fast-check";
import type { Hex } from "../../../src/core/bytes";
import { captureEventParts } from "../../../src/core/custody/capture-parts";
import { ValidationError } from "../../../src/core/errors";
import { eventParts } from "../../../src/core/custody/disclosure-trees";
import { eventHashBytes, type EpcisEvent } from "../../../src/core/epcis/event-hash";
import vectors from "../../vectors/disclosure.json";

const salt = vectors.salt as Hex;
const epc = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9]{1,20}$/).map((s) => `https://id.gs1.org/01/10614141073464/21/${s}`),
  fc.stringMatching(/^[0-9]{1,9}$/).map((s) => `urn:epc:id:sgtin:0614141.107346.${s}`),
  fc.stringMatching(/^[0-9]{17}$/).map((s) => `urn:epc:id:sscc:0614141.${s.slice(0, 10)}`),
  // non-ASCII and long values take the encoder's slow paths
  fc.string({ minLength: 1, maxLength: 90 }).map((s) => `urn:example:é${s}`),
);
const event: fc.Arbitrary<EpcisEvent> = fc.record(
  {
    type: fc.constantFrom("ObjectEvent", "AggregationEvent", "TransformationEvent"),
    eventTime: fc.constant("2026-11-01T10:00:00.000Z"),
    eventTimeZoneOffset: fc.constant("+00:00"),
    epcList: fc.array(epc, { maxLength: 5 }),
    childEPCs: fc.array(epc, { maxLength: 3 }),
    parentID: epc,
    quantityList: fc.array(
      fc.record({ epcClass: fc.constant("urn:epc:class:lgtin:4012345.012345.998877"), quantity: fc.nat(50) }),
      { maxLength: 2 },
    ),
    action: fc.constantFrom("ADD", "OBSERVE", "DELETE"),
    bizStep: fc.constantFrom("shipping", "receiving", "commissioning", "packing"),
    readPoint: fc.record({ id: fc.constant("https://id.gs1.org/414/0614141000005") }),
    sourceList: fc.array(fc.record({ type: fc.constant("owning_party"), source: fc.constant("urn:x") }), {
      maxLength: 2,
    }),
  },
  { requiredKeys: ["type", "eventTime", "eventTimeZoneOffset", "action"] },
);

describe("core/custody captureEventParts (a capture's event parts in one pass)", () => {
  it("gives every shared vector event the parts the vectors pin", () => {
    const events = vectors.events.map((v) => v.event as unknown as EpcisEvent);
    // the vectors number their events by their own index in the capture
    const parts = captureEventParts(
      events,
      events.map((e) => eventHashBytes(e)),
      salt,
    );
    vectors.events.forEach((v, i) => {
      if (v.index === i) expect(parts[i]).to.deep.equal(v.parts);
    });
    expect(vectors.events.some((v, i) => v.index === i)).to.equal(true);
  });

  it("gives each event of a random capture the same parts as eventParts does one at a time", () => {
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 12 }), (events) => {
        const hashes = events.map((e) => eventHashBytes(e));
        const batched = captureEventParts(events, hashes, salt);
        expect(batched).to.deep.equal(events.map((e, i) => eventParts(e, hashes[i], salt, i)));
      }),
      { numRuns: 150 },
    );
  });

  it("refuses event hashes that do not match the events one for one", () => {
    const events = [vectors.events[0].event as unknown as EpcisEvent];
    expect(() => captureEventParts(events, [], salt)).to.throw(RangeError, "0 event hashes for 1 events");
  });

  it("refuses a salt that is not 32 bytes of hex", () => {
    const events = [vectors.events[0].event as unknown as EpcisEvent];
    const hashes = events.map((e) => eventHashBytes(e));
    for (const bad of ["0x1234", `0x${"zz".repeat(32)}`, salt.slice(2)])
      expect(() => captureEventParts(events, hashes, bad as Hex)).to.throw(ValidationError, "salt");
  });
});
