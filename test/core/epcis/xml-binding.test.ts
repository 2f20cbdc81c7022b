import { expect } from "chai";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { documentIssues } from "../../../src/core/epcis/capture-issues";
import { documentEventHashes } from "../../../src/core/epcis/event-hash";
import { readXmlDocument } from "../../../src/core/epcis/xml-binding";
import { writeXmlDocument } from "../../../src/core/epcis/xml-writer";
import { ValidationError } from "../../../src/core/errors";
import { XsdValidator } from "../../../src/xml/xsd-validator";

const VECTORS = join(__dirname, "../../data/epcis-event-hash");
const GS1 = join(__dirname, "../../data/gs1-xml");
const text = (dir: string, f: string) => readFileSync(join(dir, f), "utf8");
const lines = (dir: string, f: string) => text(dir, f).trim().split(/\r?\n/);
const xsd = XsdValidator.load();
/** Whether XML 1.0 can carry a character (its Char production). */
const xmlChar = (c: number) =>
  c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || c >= 0x10000;

/** GS1's XML examples, by binding, and the ones that are not event documents (what they are instead). */
const EXAMPLES = [
  ...readdirSync(join(GS1, "2.0")).map((f) => ({ binding: "2.0" as const, f })),
  ...readdirSync(join(GS1, "1.2")).map((f) => ({ binding: "1.2" as const, f })),
].filter(({ f }) => f.endsWith(".xml"));
const NOT_EVENT_DOCUMENTS: Record<string, RegExp> = {
  "CaptureJob__Example-CaptureJobRunning.xml": /EPCISCaptureJob/,
  "CaptureJob__Example-CaptureJobSuccess.xml": /EPCISCaptureJob/,
  "CaptureJob__Example-CaptureJobWithErrorFile.xml": /EPCISCaptureJob/,
  "CaptureJob__Example-CaptureJobWithErrors.xml": /EPCISCaptureJob/,
  "Mimasu__Example-masterData.xml": /EPCISMasterDataDocument/,
};
/** Valid under the XSD, but their JSON-LD form is not under the JSON schema: the field named. */
const INVALID_AS_JSON_LD: Record<string, string[]> = {
  "WithSensorData__SensorDataExamples.xml": [
    "/epcisBody/eventList/8/sensorElementList/0/sensorReport/0",
    "/epcisBody/eventList/8/sensorElementList/0/sensorReport/1",
  ],
};

describe("core/epcis XML bindings (EPCIS 2.0 and 1.2)", function () {
  this.timeout(120_000);

  const twins = readdirSync(VECTORS).filter((f) => f.endsWith(".xml"));
  it("finds the XML twins of the reference vectors", () => expect(twins).to.have.length(7));
  for (const f of twins) {
    it(`hashes ${f} as the reference does, as its JSON-LD twin does`, () => {
      const { document, notes } = readXmlDocument(text(VECTORS, f));
      const want = lines(VECTORS, f.replace(".xml", ".hashes"));
      expect(documentEventHashes(document)).to.deep.equal(want);
      expect(documentEventHashes(JSON.parse(text(VECTORS, f.replace(".xml", ".jsonld"))))).to.deep.equal(want);
      expect(notes).to.deep.equal([]);
    });
  }

  for (const { binding, f } of EXAMPLES) {
    const dir = join(GS1, binding);
    if (NOT_EVENT_DOCUMENTS[f]) {
      it(`validates GS1's ${binding} ${f} under the XSD, and refuses it as a capture, naming what it is`, async () => {
        expect(await xsd.validate(text(dir, f), binding)).to.satisfy(
          (issues: unknown[]) => f.includes("masterData") || issues.length === 0,
        );
        expect(() => readXmlDocument(text(dir, f))).to.throw(ValidationError, NOT_EVENT_DOCUMENTS[f]);
      });
      continue;
    }
    it(`reads GS1's ${binding} ${f}: valid under the XSD, converted both ways with every hash kept`, async () => {
      const original = text(dir, f);
      expect(await xsd.validate(original, binding)).to.deep.equal([]);
      const { document } = readXmlDocument(original);
      const hashes = documentEventHashes(document);
      // the master data example carries master data alone
      if (!f.includes("masterdata")) expect(hashes.length).to.be.greaterThan(0);
      const issues = documentIssues(document).issues.map((i) => i.pointer);
      expect(issues).to.deep.equal(INVALID_AS_JSON_LD[f] ?? []);
      const written = writeXmlDocument(document);
      expect(await xsd.validate(written, "2.0"), "the written XML is valid EPCIS 2.0").to.deep.equal([]);
      const back = readXmlDocument(written).document;
      expect(documentEventHashes(back)).to.deep.equal(hashes);
      expect(back.epcisHeader, "the header's master data too").to.deep.equal(document.epcisHeader);
    });
  }

  it("writes every JSON-LD vector as valid EPCIS 2.0 XML that hashes the same", async () => {
    for (const f of readdirSync(VECTORS).filter((x) => x.endsWith(".jsonld"))) {
      const document = JSON.parse(text(VECTORS, f));
      const written = writeXmlDocument(document);
      expect(await xsd.validate(written, "2.0"), f).to.deep.equal([]);
      expect(documentEventHashes(readXmlDocument(written).document), f).to.deep.equal(documentEventHashes(document));
    }
  });

  it("keeps any user extension's hash through XML and back, whatever its text", () => {
    const base = JSON.parse(text(VECTORS, "ReferenceEventHashAlgorithm.jsonld"));
    fc.assert(
      fc.property(
        // any text XML 1.0 can hold (no controls but tab, line feed and carriage return), "&<>\r" included;
        // an extension's text is trimmed in both bindings' hash, so edges are not whitespace
        fc
          .string({ unit: "grapheme", minLength: 1, maxLength: 40 })
          .map((s) => s + "&<>\r\n\tx")
          .filter((s) => s.trim() === s && [...s].every((c) => xmlChar(c.codePointAt(0)!))),
        fc.array(fc.stringMatching(/^[A-Za-z0-9 .,-]{1,12}$/), { minLength: 1, maxLength: 3 }),
        (value, repeated) => {
          const doc = structuredClone(base);
          const event = doc.epcisBody.eventList[0];
          event["example:myField2"] = value;
          event["example:myField3"] = { "example:mySubField3": repeated.length === 1 ? repeated[0] : repeated };
          const back = readXmlDocument(writeXmlDocument(doc)).document;
          expect(documentEventHashes(back)).to.deep.equal(documentEventHashes(doc));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("folds EPCIS 1.2's extension wrappers into their event, TransformationEvent included", () => {
    const { document } = readXmlDocument(text(join(GS1, "1.2"), "TransformationEvent.xml"));
    const [event] = (document.epcisBody as { eventList: { [k: string]: unknown }[] }).eventList;
    expect(event.type).to.equal("TransformationEvent");
    expect(event).to.not.have.property("extension");
  });

  it("says, event by event, what of an XML document has no place in the JSON-LD model", () => {
    const { notes } = readXmlDocument(text(join(GS1, "1.2"), "ObjectEvent.xml"));
    expect(notes).to.deep.equal([
      {
        eventIndex: 1,
        path: "/EPCISDocument/EPCISBody/EventList/ObjectEvent[2]/myField",
        message: "no JSON-LD field is named myField",
      },
    ]);
  });

  it("refuses what is not a well-formed EPCIS XML document, naming why, and never expands an entity", () => {
    const cases: [string, RegExp][] = [
      ["<epcis:EPCISDocument xmlns:epcis='urn:epcglobal:epcis:xsd:2'><EPCISBody>", /not well-formed XML/],
      [
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><d>&b;</d>',
        /no DTD subset or entities/,
      ],
      ["<order xmlns='urn:example'/>", /not an EPCIS 2.0 or 1.2/],
      ["<epcis:EPCISDocument xmlns:epcis='urn:epcglobal:epcis:xsd:2'/>", /a body/],
    ];
    for (const [xml, message] of cases) expect(() => readXmlDocument(xml), xml).to.throw(ValidationError, message);
  });

  it("names the line of each XSD violation", async () => {
    const broken = text(VECTORS, "epcisEventWithCURIEs.xml").replace(
      "<action>OBSERVE</action>",
      "<action>LOOK</action>",
    );
    const issues = await xsd.validate(broken, "2.0");
    expect(issues.length).to.be.greaterThan(0);
    expect(issues[0].line).to.equal(11);
    expect(issues[0].message).to.match(/action/);
  });
});

describe("core/epcis fields a document declares ignored by the event hash", () => {
  const base = () => JSON.parse(readFileSync(join(VECTORS, "ReferenceEventHashAlgorithm.jsonld"), "utf8"));
  it("hashes an event as if the ignored fields were not there, in JSON-LD and through XML", async () => {
    const plain = base();
    delete plain.epcisBody.eventList[0]["example:myField2"];
    const want = documentEventHashes(plain);
    const doc = base();
    doc["@context"].push({ ext: "https://ext.example.com/" });
    // named as written, or by its expanded name
    for (const list of [["example:myField2"], ["{https://ns.example.com/epcis/}myField2"]]) {
      doc["ext:ignoreFields"] = list;
      expect(documentEventHashes(doc), JSON.stringify(list)).to.deep.equal(want);
    }
    doc["ext:ignoreFields"] = ["example:myField2"];
    expect(documentEventHashes(base()), "without the list, the field counts").to.not.deep.equal(want);
    const xml = writeXmlDocument(doc);
    expect(await XsdValidator.load().validate(xml, "2.0")).to.deep.equal([]);
    expect(documentEventHashes(readXmlDocument(xml).document)).to.deep.equal(want);
    const query = {
      ...doc,
      type: "EPCISQueryDocument",
      epcisBody: { queryResults: { queryName: "q", resultsBody: { eventList: doc.epcisBody.eventList } } },
    };
    expect(documentEventHashes(query)).to.deep.equal(want);
  });
});
