import { expect } from "chai";
import fc from "fast-check";
import type { Address } from "viem";
import { verifyCommitmentContent, type KeyStandingAt } from "../../../src/core/custody/commitment-content";
import {
  COMMITMENT_DOCUMENT_TYPE,
  decodeCommitmentDocument,
  encodeCaptureEntryBody,
  encodeCommitmentDocument,
  readStoredEntry,
  type StoredEntry,
} from "../../../src/core/custody/commitment-document";
import { IntegrityError, ValidationError } from "../../../src/core/errors";
import vectors from "../../vectors/commitment-document.json";
import { verdictFacts } from "../../support/content-verdict";

const entries = vectors.entries as StoredEntry[];
const header = {
  chainId: vectors.record.chainId,
  commitmentLog: vectors.record.commitmentLog,
  relayer: vectors.record.relayer,
  sequence: vectors.record.sequence,
  root: vectors.record.root,
};
const keys = vectors.keys as Record<string, KeyStandingAt>;
const keyAt = async (key: Address) => keys[key.toLowerCase()] ?? { participant: 0, kind: 0, active: false };
const record = {
  ...vectors.record,
  commitmentLog: vectors.record.commitmentLog as Address,
  root: header.root as Address,
};
const bytes = (text: string) => new TextEncoder().encode(text);

function decodeError(input: Uint8Array): ValidationError {
  try {
    decodeCommitmentDocument(input);
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error("decoded");
}

describe("core/custody commitment document (trackroot.commitment.v1)", () => {
  it("encodes the shared vector's entries into the vector's document, byte for byte", () => {
    expect(new TextDecoder().decode(encodeCommitmentDocument(header, entries))).to.equal(vectors.document);
  });

  it("decodes the vector's document into its header and entries, each body as stored", () => {
    const document = decodeCommitmentDocument(bytes(vectors.document));
    expect(document).to.deep.include({ type: COMMITMENT_DOCUMENT_TYPE, ...header });
    expect(document.entries).to.deep.equal(
      entries.map((e) => ({ kind: e.kind, digest: e.digest, body: JSON.parse(e.body) })),
    );
  });

  for (const c of vectors.cases) {
    it(`gives the vector's verdict on a document ${c.name === "as published" ? "as published" : `with ${c.name}`}`, async () => {
      const verdict = await verifyCommitmentContent(bytes(c.document), record, keyAt);
      expect(verdictFacts(verdict)).to.deep.equal({ valid: c.valid, detail: c.detail, entries: c.entries });
    });
  }

  it("refuses bytes that are not UTF-8, naming the document", () => {
    const input = bytes(vectors.document);
    input[input.indexOf(0x44 /* D of DESADV */)] = 0xff;
    expect(decodeError(input).message).to.equal("commitment: is not UTF-8 (got " + input.length + ")");
  });

  it("keeps each body's text exactly as stored: spacing, escapes and key order", () => {
    const body = '{ "handover" : {"b":1,"a":"\\u00e9"},\n "items":["x"] }';
    const text = new TextDecoder().decode(
      encodeCommitmentDocument(header, [{ kind: "handover", digest: `0x${"01".repeat(32)}`, body }]),
    );
    expect(text).to.contain(`"body":${body}}`);
  });

  it("splices a capture's document in as the text that came in, trimmed, before the rest", () => {
    const body = encodeCaptureEntryBody('  {"eventList" : [ ] }\n', {
      capture: {
        submitter: "0x0000000000000000000000000000000000000001",
        eventsRoot: `0x${"02".repeat(32)}`,
        eventCount: 0,
        nonce: `0x${"03".repeat(32)}`,
        issuedAt: "5",
      },
      signature: "0x04",
    });
    expect(body.startsWith('{"document":{"eventList" : [ ] },"capture":')).to.equal(true);
    expect(JSON.parse(body).signature).to.equal("0x04");
  });

  it("round-trips any header and entries through encode and decode", () => {
    const hex = (n: number) =>
      fc.uint8Array({ minLength: n, maxLength: n }).map((b) => `0x${Buffer.from(b).toString("hex")}`);
    fc.assert(
      fc.property(
        fc.record({
          chainId: fc.nat(),
          commitmentLog: hex(20),
          relayer: fc.nat(),
          sequence: fc.nat(),
          root: hex(32),
        }),
        fc.array(
          fc.record({
            kind: fc.constantFrom("capture" as const, "handover" as const),
            digest: hex(32),
            body: fc.jsonValue(),
          }),
          {
            minLength: 1,
            maxLength: 5,
          },
        ),
        (h, list) => {
          const stored = list.map((e) => ({ ...e, body: JSON.stringify(e.body) }));
          const document = decodeCommitmentDocument(encodeCommitmentDocument(h, stored));
          expect(document).to.deep.include({ type: COMMITMENT_DOCUMENT_TYPE, ...h });
          expect(document.entries).to.deep.equal(list.map((e) => ({ ...e, body: JSON.parse(JSON.stringify(e.body)) })));
        },
      ),
      { numRuns: 200 },
    );
  });

  const malformed: [string, string, RegExp][] = [
    ["a header that is not an object", "[]", /^commitment: must be a JSON object/],
    [
      "a chain id that is not a whole number",
      vectors.document.replace('"chainId":31337', '"chainId":"31337"'),
      /^chainId: must be a whole number/,
    ],
    [
      "a log that is not an address",
      vectors.document.replace(/"commitmentLog":"0x[0-9a-fA-F]+"/, '"commitmentLog":"0xc0de"'),
      /^commitmentLog: must be an address/,
    ],
    [
      "a digest that is not 32 bytes",
      vectors.document.replace(/"digest":"0x[0-9a-f]{64}"/, '"digest":"0x01"'),
      /^entries\/0\/digest: must be a 32-byte hash/,
    ],
  ];
  for (const [what, text, error] of malformed) {
    it(`refuses ${what}, naming the field`, () => {
      expect(decodeError(bytes(text)).message).to.match(error);
    });
  }

  it("reads the relayer's stored bodies by kind, and calls a body without its kind's fields a damaged store", () => {
    const capture = entries.find((e) => e.kind === "capture") as StoredEntry;
    const handover = entries.find((e) => e.kind === "handover") as StoredEntry;
    expect(readStoredEntry({ kind: "capture", body: capture.body }).body.capture.submitter).to.match(/^0x/);
    expect(readStoredEntry({ kind: "handover", body: handover.body }).body.items).to.have.length(1);
    expect(() => readStoredEntry({ kind: "capture", body: handover.body })).to.throw(
      IntegrityError,
      /capture's fields/,
    );
    expect(() => readStoredEntry({ kind: "handover", body: capture.body })).to.throw(
      IntegrityError,
      /handover's fields/,
    );
  });
});
