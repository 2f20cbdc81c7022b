import { expect } from "chai";
import fc from "fast-check";
import { decodeCheckSubject, encodeCheckSubject, type CheckSubject } from "../../src/indexer/check-subject";
import { IntegrityError } from "../../src/core/errors";

describe("indexer/check subjects (what a content check is of)", () => {
  it("keys a batch and a commitment as the content_checks table always has", () => {
    expect(encodeCheckSubject({ kind: "batch", batch: 12 })).to.equal("batch:12");
    expect(encodeCheckSubject({ kind: "commitment", relayer: 3, sequence: 40 })).to.equal("commitment:3:40");
  });

  it("reads back every subject it writes", () => {
    const subject: fc.Arbitrary<CheckSubject> = fc.oneof(
      fc.record({ kind: fc.constant("batch" as const), batch: fc.nat() }),
      fc.record({ kind: fc.constant("commitment" as const), relayer: fc.nat(), sequence: fc.nat() }),
    );
    fc.assert(
      fc.property(subject, (s) => {
        expect(decodeCheckSubject(encodeCheckSubject(s))).to.deep.equal(s);
      }),
    );
  });

  for (const text of ["batch:", "batch:1:2", "commitment:1", "commitment:a:b", "order:1", ""]) {
    it(`calls a stored subject ${JSON.stringify(text)} a damaged database`, () => {
      expect(() => decodeCheckSubject(text)).to.throw(IntegrityError);
    });
  }
});
