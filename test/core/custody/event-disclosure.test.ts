import { expect } from "chai";
import { AbiCoder, keccak256 as ethersKeccak } from "ethers";
import fc from "fast-check";
import type { Hex } from "../../../src/core/bytes";
import {
  disclosedEventLeafHash,
  identifierLeafHash,
  identifierLeaves,
  identifiersRootOf,
  identifiersRootOfLeaves,
  NO_IDENTIFIERS,
  saltHash,
  shownDigest,
  shownFields,
  SHOWN_TAG,
  type EventParts,
} from "../../../src/core/custody/event-disclosure";
import {
  checkDisclosure,
  disclosedEventsTree,
  eventParts,
  identifiersTree,
} from "../../../src/core/custody/disclosure-trees";
import { eventHashBytes, type EpcisEvent } from "../../../src/core/epcis/event-hash";
import vectors from "../../vectors/disclosure.json";

const abi = AbiCoder.defaultAbiCoder();
const salt = vectors.salt as Hex;

describe("core/custody event disclosure (capture format 2)", () => {
  describe("the shared vectors (test/vectors/disclosure.json)", () => {
    for (const v of vectors.events) {
      const event = v.event as unknown as EpcisEvent;
      it(`reproduces event ${v.index} (${event.type}, ${String(event.bizStep)}): shown fields, identifiers, parts and leaf`, () => {
        expect(shownFields(event)).to.deep.equal(v.shown);
        const leaves = identifierLeaves(event, salt, v.index);
        expect(leaves.map((l) => ({ ...l, leaf: identifierLeafHash(l) }))).to.deep.equal(v.identifiers);
        expect(eventParts(event, eventHashBytes(event), salt, v.index)).to.deep.equal(v.parts);
        expect(disclosedEventLeafHash(v.parts as EventParts, saltHash(salt))).to.equal(v.leaf);
      });

      it(`encodes event ${v.index} as the documented ABI layout, checked with ethers' own encoder`, () => {
        const s = v.shown;
        const shown = ethersKeccak(
          abi.encode(
            [
              "string",
              "string",
              "string",
              "string",
              "string",
              "string",
              "string",
              "string",
              "string",
              "string[]",
              "string[]",
            ],
            [
              SHOWN_TAG,
              s.type,
              s.action,
              s.bizStep,
              s.disposition,
              s.eventTime,
              s.eventTimeZoneOffset,
              s.readPoint,
              s.bizLocation,
              s.sourceTypes,
              s.destinationTypes,
            ],
          ),
        );
        expect(v.parts.shownDigest).to.equal(shown);
        for (const [i, id] of v.identifiers.entries()) {
          const idSalt = ethersKeccak(abi.encode(["bytes32", "uint256", "uint256"], [salt, v.index, i]));
          expect(id.salt).to.equal(idSalt);
          const leaf = ethersKeccak(
            ethersKeccak(abi.encode(["string", "string", "bytes32"], [id.field, id.value, idSalt])),
          );
          expect(id.leaf).to.equal(leaf);
        }
        const eventLeaf = ethersKeccak(
          ethersKeccak(
            abi.encode(
              ["bytes32", "bytes32", "bytes32", "bytes32"],
              [v.parts.eventHash, v.parts.shownDigest, v.parts.identifiersRoot, ethersKeccak(salt)],
            ),
          ),
        );
        expect(v.leaf).to.equal(eventLeaf);
      });
    }

    it("reproduces the events root of the four events", () => {
      const parts = vectors.events.map((v) => v.parts as EventParts);
      expect(disclosedEventsTree(parts, saltHash(salt)).root).to.equal(vectors.eventsRoot);
      expect(saltHash(salt)).to.equal(vectors.saltHash);
    });

    it("gives an event with no identifiers the zero identifiers root", () => {
      const event = { type: "ObjectEvent", eventTime: "2026-11-01T10:00:00Z", action: "OBSERVE" } as EpcisEvent;
      expect(identifierLeaves(event, salt, 0)).to.deep.equal([]);
      expect(eventParts(event, eventHashBytes(event), salt, 0).identifiersRoot).to.equal(NO_IDENTIFIERS);
    });

    it("names an AI 82 serial by its percent-encoded Digital Link, so '?' and '/' stay in the serial", () => {
      const id = vectors.events[3].identifiers[0];
      expect(id.value).to.equal(
        "https://id.gs1.org/01/10614141073464/21/%21%22%25%26%27%28%29%2A%2B%2C-.%2F%3A%3B%3C%3D%3E%3F_",
      );
    });
  });

  describe("checkDisclosure", () => {
    const events = vectors.events.map((v) => v.event as unknown as EpcisEvent);
    const hashes = events.map((e) => eventHashBytes(e));
    const parts = vectors.events.map((v) => v.parts as EventParts);
    const input = { events, eventHashes: hashes, salt, parts, eventsRoot: vectors.eventsRoot as Hex };

    it("holds for the parts the events give", () => {
      expect(checkDisclosure(input)).to.equal(null);
    });

    const cases: [string, Partial<typeof input>, string, RegExp][] = [
      ["another salt", { salt: `0x${"11".repeat(32)}` }, "root", /do not give the signed events root/],
      [
        "parts with one event's hash changed",
        { parts: parts.map((p, i) => (i === 1 ? { ...p, eventHash: `0x${"77".repeat(32)}` } : p)) },
        "root",
        /signed events root/,
      ],
      [
        "a document whose second event is another",
        { eventHashes: hashes.map((h, i) => (i === 1 ? hashes[0] : h)) },
        "root",
        /event 1 is not the event whose hash was signed/,
      ],
      ["a missing part", { parts: parts.slice(1) }, "count", /3 parts for 4 events/],
      [
        "a part that is not hex",
        { parts: [{ ...parts[0], shownDigest: "0x12" }, ...parts.slice(1)] },
        "malformed",
        /parts\/0\/shownDigest/,
      ],
    ];
    for (const [what, change, failure, detail] of cases) {
      it(`fails with ${failure} for ${what}`, () => {
        const got = checkDisclosure({ ...input, ...change } as typeof input);
        expect(got?.failure).to.equal(failure);
        expect(got?.detail).to.match(detail);
      });
    }

    it("blames the signer when it signed shown fields or identifiers its event contradicts", () => {
      const lying = parts.map((p, i) =>
        i === 0 ? { ...p, shownDigest: shownDigest({ ...shownFields(events[0]), bizStep: "shipping" }) } : p,
      );
      const root = disclosedEventsTree(lying, saltHash(salt)).root;
      expect(checkDisclosure({ ...input, parts: lying, eventsRoot: root })).to.deep.equal({
        failure: "inconsistent",
        detail: "event 0: the signed shown fields are not the event's",
      });
      const hidden = parts.map((p, i) => (i === 1 ? { ...p, identifiersRoot: NO_IDENTIFIERS } : p));
      const root2 = disclosedEventsTree(hidden, saltHash(salt)).root;
      expect(checkDisclosure({ ...input, parts: hidden, eventsRoot: root2 })?.failure).to.equal("inconsistent");
    });
  });

  describe("proofs of one identifier", () => {
    const serial = fc.stringMatching(/^[A-Za-z0-9]{1,20}$/);
    it("prove each identifier to its event's root, and no other identifier with the same proof (property)", () => {
      fc.assert(
        fc.property(fc.uniqueArray(serial, { minLength: 1, maxLength: 40 }), fc.nat(), (serials, pick) => {
          const event = {
            type: "ObjectEvent",
            eventTime: "2026-11-01T10:00:00.000Z",
            action: "ADD",
            epcList: serials.map((s) => `https://id.gs1.org/01/10614141073464/21/${s}`),
          } as EpcisEvent;
          const leaves = identifierLeaves(event, salt, 0);
          const tree = identifiersTree(leaves)!;
          // the verifier's plain-JavaScript root is the kernel's
          expect(identifiersRootOfLeaves(leaves)).to.equal(tree.root);
          const i = pick % leaves.length;
          expect(identifiersRootOf(leaves[i], tree.proof(i))).to.equal(tree.root);
          const j = (i + 1) % leaves.length;
          if (j !== i) expect(identifiersRootOf(leaves[j], tree.proof(i))).to.not.equal(tree.root);
          // the same value with another salt is another leaf: a sibling hash cannot be guessed from the value
          expect(identifiersRootOf({ ...leaves[i], salt: `0x${"00".repeat(32)}` }, tree.proof(i))).to.not.equal(
            tree.root,
          );
        }),
        { numRuns: 60 },
      );
    });
  });
});
