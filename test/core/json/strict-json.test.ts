import { expect } from "chai";
import fc from "fast-check";
import { ValidationError } from "../../../src/core/errors";
import { parseStrictJson } from "../../../src/core/json/strict-json";

const parse = (text: string, maxDepth = 8) => parseStrictJson(text, { maxDepth });

function refusal(text: string, maxDepth = 8): ValidationError {
  try {
    parse(text, maxDepth);
  } catch (e) {
    expect(e).to.be.instanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error(`accepted ${text}`);
}

describe("core: strict JSON for what is hashed, signed and stored as sent", () => {
  const refused: { text: string; field: string; reason: RegExp }[] = [
    { text: '{"q":1e400}', field: "/q", reason: /does not carry exactly/ },
    { text: '{"q":-1e400}', field: "/q", reason: /does not carry exactly/ },
    { text: '{"q":1e-400}', field: "/q", reason: /does not carry exactly/ },
    { text: "[1, 9007199254740993]", field: "/1", reason: /does not carry exactly/ },
    { text: '{"q":0.30000000000000000001}', field: "/q", reason: /does not carry exactly/ },
    { text: '{"a":{"b":[{"c":1},{"c":2,"c":3}]}}', field: "/a/b/1/c", reason: /given twice/ },
    { text: '{"a":1,"\\u0061":2}', field: "/a", reason: /given twice/ },
    { text: '{"a/b~":1,"a/b~":2}', field: "/a~1b~0", reason: /given twice/ },
    { text: "[[[[[[[[[1]]]]]]]]]", field: "/0/0/0/0/0/0/0/0", reason: /nests deeper than 8 levels/ },
    { text: '{"a":', field: "body", reason: /is not JSON/ },
    { text: "\ufeff{}", field: "body", reason: /is not JSON/ },
    { text: "{'a':1}", field: "body", reason: /is not JSON/ },
  ];
  for (const r of refused) {
    it(`refuses ${r.text.slice(0, 40)}, naming ${r.field}`, () => {
      const e = refusal(r.text);
      expect(e.field).to.equal(r.field);
      expect(e.reason).to.match(r.reason);
    });
  }

  const accepted = [
    '{"q":1.50e2,"r":0.1,"s":-0,"t":1e21,"u":123456789012345680000}',
    '{"a":"x,\\"y\\":1","y":1}',
    "[true,false,null]",
  ];
  for (const text of accepted) {
    it(`accepts ${text} as JSON.parse reads it`, () => {
      expect(parse(text)).to.deep.equal(JSON.parse(text));
    });
  }

  it("refuses 100,000 levels of nesting without overflowing the stack", () => {
    const e = refusal(`${"[".repeat(100_000)}${"]".repeat(100_000)}`, 64);
    expect(e.reason).to.match(/nests deeper than 64 levels/);
  });

  it("reads any JSON a 64-bit float round-trips exactly as JSON.parse does", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const text = JSON.stringify(value);
        expect(parse(text, 16)).to.deep.equal(JSON.parse(text));
      }),
      { numRuns: 500 },
    );
  });

  it("refuses every object that names a member twice, wherever it sits", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), fc.nat(3), (name, value, depth) => {
        let text = `{${JSON.stringify(name)}:1,${JSON.stringify(name)}:${JSON.stringify(value)}}`;
        for (let i = 0; i < depth; i++) text = `[${text}]`;
        expect(refusal(text, 16).reason).to.match(/given twice/);
      }),
      { numRuns: 300 },
    );
  });
});
