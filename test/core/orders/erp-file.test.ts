import { expect } from "chai";
import { ValidationError } from "../../../src/core/errors";
import { parseErpFile } from "../../../src/core/orders/erp-file";

const GTIN = "10614141073464";

describe("parseErpFile", () => {
  it("reads a CSV export with aliased columns and reports each bad row by line and field", () => {
    const csv = [
      "Order Number,GTIN,Qty,Batch,Expiry Date,Producer GLN,Description",
      `PO-1,${GTIN},1000,L1,2027-06-30,0614141000005,shampoo`,
      `PO-2,${GTIN.slice(0, -1)}5,1000,L2,,,bad check digit`,
      `PO-3,${GTIN},0,L3,,,zero quantity`,
      `PO-1,${GTIN},10,L4,,,repeated reference`,
      `PO-4,${GTIN},10,L5,2027-02-30,,no such day`,
      `PO-5,${GTIN},10,L6,,2,`,
    ].join("\n");
    const { orders, problems, ignored } = parseErpFile(csv, "csv");
    expect(orders.map((o) => [o.line, o.erpRef])).to.deep.equal([
      [2, "PO-1"],
      [7, "PO-5"],
    ]);
    expect(orders[0]).to.include({ gtin: GTIN, quantity: 1000, lot: "L1", expiry: 20270630 });
    expect(orders[0].producer).to.deep.equal({ gln: "0614141000005" });
    expect(orders[1].producer).to.deep.equal({ id: 2 });
    expect(problems.map((p) => [p.line, p.error.field])).to.deep.equal([
      [3, "gtin"],
      [4, "quantity"],
      [5, "erp_ref"],
      [6, "expiry"],
    ]);
    expect(problems[2].error.message).to.match(/repeats line 2/);
    expect(ignored).to.deep.equal(["Description"]);
  });

  it("refuses a CSV without a column the import needs, naming it", () => {
    expect(() => parseErpFile(`gtin,quantity,lot\n${GTIN},1,L`, "csv"))
      .to.throw(ValidationError, /no column/)
      .with.property("field", "erp_ref");
  });

  it("reads a JSON export and reports lines of the entries", () => {
    const json = `{
  "orders": [
    { "erpRef": "A", "gtin": "${GTIN}", "quantity": 5, "lot": "L1" },
    { "erpRef": "B", "gtin": "${GTIN}",
      "quantity": -1, "lot": "L2" },
    "not an order"
  ]
}`;
    const { orders, problems } = parseErpFile(json, "json");
    expect(orders.map((o) => [o.line, o.erpRef, o.quantity])).to.deep.equal([[3, "A", 5]]);
    expect(problems.map((p) => [p.line, p.error.field])).to.deep.equal([
      [4, "quantity"],
      [6, "order"],
    ]);
  });

  it("refuses JSON that is not a list of orders", () => {
    expect(() => parseErpFile("{", "json")).to.throw(ValidationError, /not JSON/);
    expect(() => parseErpFile('{"x": 1}', "json")).to.throw(ValidationError, /array of orders/);
  });
});
