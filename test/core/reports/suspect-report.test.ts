import { expect } from "chai";
import fc from "fast-check";
import { parseSuspectReport, SUSPECT_REPORT_LIMITS } from "../../../src/core/reports/suspect-report";

describe("core/reports suspect report", () => {
  it("keeps what the visitor typed, trimmed, and leaves out an empty contact", () => {
    expect(
      parseSuspectReport({ verdict: "unknown", where: "  Stall 4 ", what: "Blurred\nprint", contact: "" }),
    ).to.deep.equal({
      verdict: "unknown",
      where: "Stall 4",
      what: "Blurred\nprint",
    });
    expect(
      parseSuspectReport({ verdict: "suspicious", where: "a", what: "b", contact: "me@example.org" }).contact,
    ).to.equal("me@example.org");
  });

  const refused: [string, unknown, RegExp][] = [
    ["a body that is not an object", [], /^body: /],
    ["a verdict that gives no reason to doubt", { verdict: "genuine", where: "a", what: "b" }, /^verdict: /],
    ["a missing place", { verdict: "unknown", what: "b" }, /^where: is required/],
    ["a blank description", { verdict: "unknown", where: "a", what: "   " }, /^what: is required/],
    ["a number for text", { verdict: "unknown", where: 4, what: "b" }, /^where: must be text/],
    [
      "a field the form does not have",
      { verdict: "unknown", where: "a", what: "b", email: "x" },
      /^email: is not a field/,
    ],
    ["control characters", { verdict: "unknown", where: "a\u0000", what: "b" }, /^where: holds control/],
    [
      "a contact longer than its limit",
      { verdict: "unknown", where: "a", what: "b", contact: "c".repeat(SUSPECT_REPORT_LIMITS.contact + 1) },
      /^contact: is at most 200/,
    ],
  ];
  for (const [what, body, reason] of refused)
    it(`refuses ${what}, naming the field`, () => {
      expect(() => parseSuspectReport(body)).to.throw(reason);
    });

  it("accepts any text within the limits, and never more than the limits", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 300 }),
        fc.string({ minLength: 1, maxLength: 300 }),
        (where, what) => {
          let report;
          try {
            report = parseSuspectReport({ verdict: "unverifiable", where, what });
          } catch {
            return;
          }
          expect([...report.where].length).to.be.at.most(SUSPECT_REPORT_LIMITS.where);
          expect(report.where).to.equal(where.trim());
          expect(report.what).to.equal(what.trim());
        },
      ),
    );
  });
});
