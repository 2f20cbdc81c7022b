import { expect } from "chai";
import { keccak256, stringToHex, type Hex } from "viem";
import { captureEventsTree, commitmentTree } from "../../../src/core/custody/capture-tree";
import { ValidationError } from "../../../src/core/errors";
import { commitmentLeafHash, eventLeafHash } from "../../../src/core/merkle/leaves";
import { verifyProof } from "../../../src/core/merkle/verify";

const hash = (s: string) => keccak256(stringToHex(s));

describe("core/custody/capture-tree", () => {
  it("builds a capture's tree from the event leaf encoding, each event provable by its document index", () => {
    const events = Array.from({ length: 37 }, (_, i) => hash(`event ${i}`));
    const tree = captureEventsTree(events);
    events.forEach((e, i) => expect(verifyProof(tree.root, eventLeafHash(e), tree.proof(i))).to.equal(true));
  });

  it("builds a commitment's tree from the (kind, digest) leaf encoding of captures and handovers", () => {
    const entries = Array.from({ length: 21 }, (_, i) => ({
      kind: i % 3 === 0 ? ("handover" as const) : ("capture" as const),
      digest: hash(`entry ${i}`) as Hex,
    }));
    const tree = commitmentTree(entries);
    entries.forEach((e, i) =>
      expect(verifyProof(tree.root, commitmentLeafHash(e.kind, e.digest), tree.proof(i))).to.equal(true),
    );
  });

  it("refuses an event sent twice in one capture, naming the second", () => {
    let error: unknown;
    try {
      captureEventsTree([hash("a"), hash("b"), hash("a")]);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(ValidationError);
    expect((error as ValidationError).field).to.equal("/epcisBody/eventList/2");
  });
});
