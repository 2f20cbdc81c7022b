import { expect } from "chai";
import { ValidationError } from "../../../src/core/errors";
import { parseCsv } from "../../../src/core/orders/csv";

describe("parseCsv", () => {
  it("reads quoted fields with doubled quotes, delimiters and line breaks inside", () => {
    const text = 'a,b,c\r\n1,"x, ""y""",3\n2,"two\nlines",4\n';
    expect(parseCsv(text)).to.deep.equal([
      { line: 1, cells: ["a", "b", "c"] },
      { line: 2, cells: ["1", 'x, "y"', "3"] },
      { line: 3, cells: ["2", "two\nlines", "4"] },
    ]);
  });

  it("skips a byte order mark and blank lines and keeps counting lines", () => {
    expect(parseCsv("\ufeffa,b\n\n1,2\n\n3,4")).to.deep.equal([
      { line: 1, cells: ["a", "b"] },
      { line: 3, cells: ["1", "2"] },
      { line: 5, cells: ["3", "4"] },
    ]);
  });

  it("takes semicolons as the delimiter when the header uses them", () => {
    expect(parseCsv("gtin;lot\n1,5;L").map((r) => r.cells)).to.deep.equal([
      ["gtin", "lot"],
      ["1,5", "L"],
    ]);
  });

  it("names the line of a quote that is never closed", () => {
    expect(() => parseCsv('a\n"open\nmore'))
      .to.throw(ValidationError, /never closed/)
      .with.property("field", "line 2");
  });
});
