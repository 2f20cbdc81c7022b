import { expect } from "chai";
import fc from "fast-check";
import { ValidationError } from "../../../src/core/errors";
import { licenseRows, reportRange, type CodeMovement } from "../../../src/core/orders/license-report";

const day = (iso: string) => Date.parse(iso) / 1000;
const names = (id: number) => ({ name: `Producer ${id}`, gln: String(id).padStart(13, "0") });
const move = (kind: CodeMovement["kind"], producer: number, iso: string, count: number, gtin = "10614141073464") => ({
  kind,
  producer,
  gtin,
  timestamp: day(iso),
  count: BigInt(count),
});

describe("core/orders license report", () => {
  it("reads an inclusive date range as [from, to + 1 day) in seconds", () => {
    expect(reportRange("2026-11-01", "2026-11-30")).to.deep.equal({
      from: day("2026-11-01T00:00:00Z"),
      to: day("2026-12-01T00:00:00Z"),
    });
  });

  const badRanges: [string, string, string][] = [
    ["2026-02-30", "2026-03-01", "from"],
    ["2026-11-01", "2026/11/30", "to"],
    ["2026-11-02", "2026-11-01", "to"],
  ];
  for (const [from, to, field] of badRanges) {
    it(`refuses the range ${from} to ${to}, naming --${field}`, () => {
      expect(() => reportRange(from, to))
        .to.throw(ValidationError)
        .with.property("field", field);
    });
  }

  it("sums releases and voids per producer, product and month, with the net fees are due on", () => {
    const rows = licenseRows(
      [
        move("released", 2, "2026-11-03T10:00:00Z", 1000),
        move("released", 2, "2026-11-20T10:00:00Z", 500),
        move("voided", 2, "2026-11-21T10:00:00Z", 30),
        move("released", 2, "2026-12-01T00:00:00Z", 7),
        move("released", 1, "2026-11-05T00:00:00Z", 40, "04012345111118"),
      ],
      reportRange("2026-11-01", "2026-12-31"),
      names,
    );
    expect(rows.map((r) => [r.producer, r.gtin, r.period, r.batches, r.released, r.voided, r.net])).to.deep.equal([
      [1, "04012345111118", "2026-11", 1, 40n, 0n, 40n],
      [2, "10614141073464", "2026-11", 2, 1500n, 30n, 1470n],
      [2, "10614141073464", "2026-12", 1, 7n, 0n, 7n],
    ]);
    expect(rows[0]).to.include({ producerName: "Producer 1", producerGln: "0000000000001" });
  });

  it("leaves out what falls outside the range, its last second included, the next day's first not", () => {
    const range = reportRange("2026-11-01", "2026-11-30");
    const rows = licenseRows(
      [
        move("released", 1, "2026-10-31T23:59:59Z", 1),
        move("released", 1, "2026-11-30T23:59:59Z", 2),
        move("released", 1, "2026-12-01T00:00:00Z", 4),
      ],
      range,
      names,
    );
    expect(rows.map((r) => r.released)).to.deep.equal([2n]);
  });

  it("never loses a code: the rows' totals are the movements' inside the range, whatever their order", () => {
    const movement = fc.record({
      kind: fc.constantFrom("released" as const, "voided" as const),
      producer: fc.integer({ min: 1, max: 3 }),
      gtin: fc.constantFrom("10614141073464", "04012345111118"),
      timestamp: fc.integer({ min: day("2026-01-01T00:00:00Z"), max: day("2027-01-01T00:00:00Z") }),
      count: fc.bigInt({ min: 1n, max: 1_000_000n }),
    });
    fc.assert(
      fc.property(fc.array(movement, { maxLength: 40 }), (movements) => {
        const range = reportRange("2026-03-01", "2026-09-30");
        const inside = movements.filter((m) => m.timestamp >= range.from && m.timestamp < range.to);
        const rows = licenseRows(movements, range, names);
        const sum = (list: bigint[]) => list.reduce((a, b) => a + b, 0n);
        expect(sum(rows.map((r) => r.released))).to.equal(
          sum(inside.filter((m) => m.kind === "released").map((m) => m.count)),
        );
        expect(sum(rows.map((r) => r.voided))).to.equal(
          sum(inside.filter((m) => m.kind === "voided").map((m) => m.count)),
        );
        expect(rows.every((r) => r.net === r.released - r.voided)).to.equal(true);
      }),
    );
  });
});
