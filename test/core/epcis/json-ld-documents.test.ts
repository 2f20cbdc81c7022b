import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { captureDocumentIssues, documentIssues } from "../../../src/core/epcis/capture-issues";
import { documentEventHashes, eventsOf } from "../../../src/core/epcis/event-hash";
import { activeContextOf, expandIri, isIdentifier } from "../../../src/core/epcis/json-ld-context";
import { validateEpcisDocument } from "../../../src/core/epcis/validate";

const VECTORS = join(__dirname, "../../data/epcis-event-hash");
const vector = (f: string) => JSON.parse(readFileSync(join(VECTORS, f), "utf8"));
const EPCIS = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

/** A document as GS1's examples write one: blank nodes, compact IRIs of its own prefix, urn:uuid eventIDs. */
function gs1StyleDocument(): ReturnType<typeof JSON.parse> {
  return {
    "@context": [EPCIS, { example: "http://ns.example.com/epcis/" }],
    id: "_:document1",
    type: "EPCISDocument",
    schemaVersion: "2.0",
    creationDate: "2019-11-28T14:59:02.099+01:00",
    epcisHeader: {
      epcisMasterData: {
        vocabularyList: [
          {
            type: "urn:epcglobal:epcis:vtype:BusinessLocation",
            vocabularyElementList: [
              {
                id: "urn:epc:id:sgln:0037000.00729.0",
                attributes: [{ id: "urn:epcglobal:cbv:mda#name", attribute: "Warehouse 1" }],
              },
            ],
          },
        ],
      },
    },
    epcisBody: {
      eventList: [
        {
          type: "ObjectEvent",
          eventID: "urn:uuid:4a3b0a6e-6c5a-4f7e-9a55-3c2b1c0d9e8f",
          eventTime: "2019-04-02T15:00:00.000+01:00",
          eventTimeZoneOffset: "+01:00",
          epcList: ["urn:epc:id:sgtin:4012345.011111.9876"],
          action: "OBSERVE",
          bizStep: "inspecting",
          readPoint: { id: "urn:epc:id:sgln:4012345.00005.0" },
          sensorElementList: [
            {
              type: "epcis:SensorElement",
              sensorMetadata: { time: "2019-04-02T14:05:00.000+01:00", deviceID: "urn:epc:id:giai:4000001.111" },
              sensorReport: [{ type: "gs1:Temperature", value: 26.0, uom: "CEL" }],
            },
          ],
          "example:myField": "Example of a vendor/user extension",
        },
        {
          type: "ObjectEvent",
          eventID: "_:event2",
          eventTime: "2019-04-02T16:00:00.000+01:00",
          eventTimeZoneOffset: "+01:00",
          epcList: ["urn:epc:id:sgtin:4012345.011111.9877"],
          action: "OBSERVE",
        },
      ],
    },
  };
}

describe("core/epcis documents read the JSON-LD way", () => {
  it("reads identifiers through the document's context: blank nodes, compact IRIs, terms, the default vocabulary", () => {
    const ctx = activeContextOf([EPCIS, { example: "http://ns.example.com/epcis/", "@vocab": "http://v.example/" }]);
    const cases: [string, string | undefined][] = [
      ["_:document1", "_:document1"],
      ["example:myField", "http://ns.example.com/epcis/myField"],
      ["gs1:Temperature", "https://gs1.org/voc/Temperature"],
      ["epcis:SensorElement", "https://ref.gs1.org/epcis/SensorElement"],
      ["urn:uuid:4a3b0a6e-6c5a-4f7e-9a55-3c2b1c0d9e8f", "urn:uuid:4a3b0a6e-6c5a-4f7e-9a55-3c2b1c0d9e8f"],
      ["https://example.com/a b", undefined],
      ["myTerm", "http://v.example/myTerm"],
      ["type", "@type"],
    ];
    for (const [value, iri] of cases) expect(expandIri(value, ctx), value).to.equal(iri);
    const plain = activeContextOf([EPCIS]);
    expect(isIdentifier("myTerm", plain), "no default vocabulary").to.equal(false);
    expect(isIdentifier("_:", plain), "an empty blank node").to.equal(false);
    expect(isIdentifier("has space:x y", plain)).to.equal(false);
  });

  it("accepts a document as GS1 writes them, under the official schema and the relayer's rules", () => {
    const doc = gs1StyleDocument();
    expect(validateEpcisDocument(doc)).to.deep.equal([]);
    expect(documentIssues(doc)).to.deep.equal({ issues: [], eventCount: 2 });
    expect(captureDocumentIssues(doc).issues).to.deep.equal([]);
  });

  it("hashes a compact IRI as the IRI it stands for", () => {
    const doc = gs1StyleDocument();
    const [compact] = documentEventHashes(doc);
    const report = doc.epcisBody.eventList[0].sensorElementList![0].sensorReport[0];
    for (const same of ["Temperature", "https://gs1.org/voc/Temperature"]) {
      report.type = same;
      expect(documentEventHashes(doc)[0], same).to.equal(compact);
    }
    report.type = "gs1:Humidity";
    expect(documentEventHashes(doc)[0]).not.to.equal(compact);
  });

  it("still refuses what no JSON-LD reading makes an identifier, naming the field", () => {
    const doc = gs1StyleDocument();
    doc.id = "document 1";
    (doc.epcisBody.eventList[1] as Record<string, unknown>).unknownField = "x";
    const pointers = validateEpcisDocument(doc).map((i) => i.pointer);
    expect(pointers).to.include("/id");
    expect(pointers).to.include("/epcisBody/eventList/1");
  });

  it("lets an eventID be any URI, and holds only one of the hash form to the event's hash", () => {
    const doc = vector("epcisDocWithSingleEvent.jsonld");
    const [hash] = documentEventHashes(doc);
    const event = doc.epcisBody.eventList[0];
    for (const id of ["urn:uuid:4a3b0a6e-6c5a-4f7e-9a55-3c2b1c0d9e8f", "_:e1", "https://example.com/e/1", hash]) {
      event.eventID = id;
      expect(documentIssues(doc).issues, id).to.deep.equal([]);
      expect(documentEventHashes(doc)[0], "the leaf stays the event's hash").to.equal(hash);
    }
    event.eventID = hash.replace(/;([0-9a-f]{64})/, (_: string, hex: string) => `;${hex.toUpperCase()}`);
    expect(documentIssues(doc).issues, "upper-case hex names the same digest").to.deep.equal([]);
    for (const id of [`ni:///sha-256;${"0".repeat(64)}?ver=CBV2.0`, "ni:///sha-256;abc?ver=CBV2.0"]) {
      event.eventID = id;
      expect(
        documentIssues(doc).issues.map((i) => i.pointer),
        id,
      ).to.deep.equal(["/epcisBody/eventList/0/eventID"]);
    }
  });

  it("takes an EPCIS query document's events wherever a document's are taken", () => {
    const doc = vector("epcisDocWithVariousEventTypes.jsonld");
    const query = {
      "@context": doc["@context"],
      type: "EPCISQueryDocument",
      schemaVersion: "2.0",
      creationDate: doc.creationDate,
      epcisBody: {
        queryResults: { queryName: "SimpleEventQuery", resultsBody: { eventList: doc.epcisBody.eventList } },
      },
    };
    expect(eventsOf(query).pointer).to.equal("/epcisBody/queryResults/resultsBody/eventList");
    expect(documentEventHashes(query)).to.deep.equal(documentEventHashes(doc));
    expect(validateEpcisDocument(query)).to.deep.equal([]);
    expect(captureDocumentIssues(query).issues).to.deep.equal([]);
    query.epcisBody.queryResults.resultsBody.eventList[3].eventTime = "yesterday";
    expect(documentIssues(query).issues).to.deep.include({
      eventIndex: 3,
      pointer: "/epcisBody/queryResults/resultsBody/eventList/3/eventTime",
      message: 'must match format "date-time"',
    });
  });
});
