import { expect } from "chai";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { documentEventHashes, eventPreHash, eventsOf, fromNiUri } from "../../../src/core/epcis/event-hash";
import { validateEpcisDocument } from "../../../src/core/epcis/validate";
import { canonicalTimestamp, canonicalNumber } from "../../../src/core/epcis/canonical-value";

const DIR = join(__dirname, "../../data/epcis-event-hash");
const files = readdirSync(DIR).filter((f) => f.endsWith(".jsonld"));
const read = (f: string) => JSON.parse(readFileSync(join(DIR, f), "utf8"));
const lines = (f: string) => {
  try {
    return readFileSync(join(DIR, f), "utf8").trim().split("\n");
  } catch {
    return undefined;
  }
};

describe("core/epcis event hash: the CBV 2.0 reference vectors", () => {
  it("finds the vector files", () => expect(files.length).to.equal(11));
  for (const f of files) {
    it(`reproduces every hash (and pre-hash) of ${f}`, () => {
      const doc = read(f);
      const want = lines(f.replace(".jsonld", ".hashes"))!;
      expect(documentEventHashes(doc)).to.deep.equal(want);
      const pre = lines(f.replace(".jsonld", ".prehashes"));
      const { events, context } = eventsOf(doc);
      if (pre) expect(events.map((e) => eventPreHash(e, context))).to.deep.equal(pre);
    });
  }

  it("ignores eventID, recordTime and comments but not a changed field", () => {
    const doc = read("epcisDocWithSingleEvent.jsonld");
    const [h] = documentEventHashes(doc);
    const e = doc.epcisBody.eventList[0];
    Object.assign(e, { eventID: "ni:///x", recordTime: "2030-01-01T00:00:00Z", comment: "hello" });
    expect(documentEventHashes(doc)[0]).to.equal(h);
    e.bizStep = "receiving";
    expect(documentEventHashes(doc)[0]).not.to.equal(h);
  });

  it("normalises timestamps and numbers as the reference does", () => {
    expect(canonicalTimestamp("2023-02-02T11:04:03.1415Z")).to.equal("2023-02-02T11:04:03.142Z");
    expect(canonicalTimestamp("2020-04-01T15:00:00+01:00")).to.equal("2020-04-01T14:00:00.000Z");
    expect(canonicalTimestamp("2020-12-31T23:59:59.9996Z")).to.equal("2021-01-01T00:00:00.000Z");
    expect(canonicalTimestamp("not a time")).to.equal("not a time");
    expect([
      canonicalNumber("26.0"),
      canonicalNumber("0.00001"),
      canonicalNumber("+5"),
      canonicalNumber("AB-12"),
    ]).to.deep.equal(["26", "1e-05", "5", undefined]);
  });

  it("parses ni URIs and refuses anything else", () => {
    expect(fromNiUri("ni:///sha-256;" + "a".repeat(64) + "?ver=CBV2.0")).to.equal("0x" + "a".repeat(64));
    expect(() => fromNiUri("ni:///sha-256;abc?ver=CBV2.0")).to.throw(/not a CBV 2.0 event hash/);
  });
});

describe("core/epcis schema validation", () => {
  for (const f of files) it(`accepts ${f}`, () => expect(validateEpcisDocument(read(f))).to.deep.equal([]));

  it("names the event index and JSON pointer of each problem", () => {
    const doc = read("epcisDocWithVariousEventTypes.jsonld");
    doc.epcisBody.eventList[2].eventTime = "yesterday";
    delete doc.epcisBody.eventList[4].action;
    const issues = validateEpcisDocument(doc);
    expect(issues).to.deep.include({
      eventIndex: 2,
      pointer: "/epcisBody/eventList/2/eventTime",
      message: 'must match format "date-time"',
    });
    expect(issues.some((i) => i.eventIndex === 4 && /action/.test(i.message))).to.equal(true);
  });

  it("refuses a document that is not an EPCIS document", () => {
    expect(validateEpcisDocument({ type: "EPCISDocument" })).to.have.length.greaterThan(0);
  });
});
