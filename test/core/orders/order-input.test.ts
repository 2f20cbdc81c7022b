import { expect } from "chai";
import { ValidationError } from "../../../src/core/errors";
import { checkOrder, erpReferenceHash, expiryOf, producerOf, quantityOf } from "../../../src/core/orders/order-input";

describe("order input", () => {
  describe("expiryOf", () => {
    const good: [string, number][] = [
      ["261231", 20261231],
      ["270200", 20270200], // day 00: the end of the month in GS1 AI 17
      ["2028-02-29", 20280229],
      ["2099-12-31", 20991231],
    ];
    for (const [input, expected] of good) {
      it(`reads ${input} as ${expected}`, () => expect(expiryOf(input)).to.equal(expected));
    }
    const bad: [string, RegExp][] = [
      ["2027-02-29", /not a day of 2027-02/],
      ["2027-02-00", /not a day/],
      ["271301", /month must be 01 to 12/],
      ["1999-01-01", /year must be 2000 to 2099/],
      ["27-1-1", /YYMMDD or YYYY-MM-DD/],
      ["", /YYMMDD or YYYY-MM-DD/],
    ];
    for (const [input, reason] of bad) {
      it(`refuses ${JSON.stringify(input)}`, () => {
        expect(() => expiryOf(input))
          .to.throw(ValidationError, reason)
          .with.property("field", "expiry");
      });
    }
  });

  it("reads quantities as positive whole numbers and refuses the rest", () => {
    expect(quantityOf("1000")).to.equal(1000);
    expect(quantityOf(" 7 ")).to.equal(7);
    expect(quantityOf(12)).to.equal(12);
    for (const bad of ["0", "-1", "1.5", "1e3", "", 0, 2.5, "9007199254740993"]) {
      expect(() => quantityOf(bad), String(bad)).to.throw(ValidationError);
    }
  });

  it("tells a participant id from a GLN and checks the GLN's check digit", () => {
    expect(producerOf("3")).to.deep.equal({ id: 3 });
    expect(producerOf("0614141000005")).to.deep.equal({ gln: "0614141000005" });
    expect(() => producerOf("0614141000006")).to.throw(ValidationError, /check digit should be 5/);
    expect(() => producerOf("0")).to.throw(ValidationError, /participant id or a 13-digit GLN/);
    expect(() => producerOf("abc")).to.throw(ValidationError, /participant id or a 13-digit GLN/);
  });

  it("collects every problem of an order, not just the first", () => {
    const problems = checkOrder(
      { gtin: "10614141073465", quantity: "0", lot: "", expiry: "2027-13-01" },
      {
        requireErpRef: true,
      },
    );
    expect(problems).to.be.an("array");
    expect((problems as ValidationError[]).map((p) => p.field)).to.deep.equal([
      "gtin",
      "quantity",
      "lot",
      "expiry",
      "erp_ref",
    ]);
  });

  it("normalises a good order", () => {
    expect(
      checkOrder({ gtin: "614141073467", quantity: "5", lot: "L1", expiry: "271231", producer: "2", erpRef: " PO-1 " }),
    ).to.deep.equal({
      gtin: "00614141073467",
      quantity: 5,
      lot: "L1",
      expiry: 20271231,
      producer: { id: 2 },
      erpRef: "PO-1",
    });
  });

  it("hashes an ERP reference as keccak256 of its UTF-8 bytes and none as zero", () => {
    expect(erpReferenceHash(undefined)).to.equal(`0x${"00".repeat(32)}`);
    // keccak256("abc")
    expect(erpReferenceHash("abc")).to.equal("0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
  });
});
