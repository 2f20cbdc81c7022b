import { expect } from "chai";
import { webcrypto } from "node:crypto";
import {
  generateSerials,
  redrawSerial,
  SerialBlock,
  serialLength,
  serialsToDigitalLinks,
  SERIAL_ALPHABET,
} from "../../../src/core/codes/serials";
import { packedCodeLeafHashes, randomCodeLeaves } from "../../../src/core/merkle/leaves";
import { toHex } from "../../../src/core/bytes";
import { parseDigitalLink } from "../../../src/core/gs1/digital-link";
import { ValidationError } from "../../../src/core/errors";

const secure = (b: Uint8Array) => webcrypto.getRandomValues(b);

describe("core/codes serials", () => {
  it("chooses the length from the entropy: 64 bits need 11 characters of 62, 119 bits fit in 20", () => {
    expect(serialLength()).to.equal(11);
    expect(serialLength(119)).to.equal(20);
    expect(() => serialLength(120)).to.throw(ValidationError, /at most 20/);
    expect(() => serialLength(16)).to.throw(ValidationError, /at least 32/);
  });

  it("generates distinct serials of the alphabet only, excluding existing ones", () => {
    const existing = new Set(generateSerials(1000, secure));
    const fresh = generateSerials(50_000, secure, { exclude: existing });
    expect(new Set(fresh).size).to.equal(50_000);
    expect(fresh.some((s) => existing.has(s))).to.equal(false);
    expect(fresh.every((s) => s.length === 11 && [...s].every((c) => SERIAL_ALPHABET.includes(c)))).to.equal(true);
  });

  it("redraws a repeat: a source that repeats itself still yields distinct serials", () => {
    let calls = 0;
    const repeating = (b: Uint8Array) => {
      b.fill(calls++ % 2 === 0 ? 7 : 9);
    };
    const out = generateSerials(2, repeating, { entropyBits: 32 });
    expect(out[0]).not.to.equal(out[1]);
  });

  it("rejects biased bytes: bytes 248-255 are never used, so each character is equally likely", () => {
    // a source that only ever gives 248..255 except one 0 would loop forever on biased bytes if it used them
    let first = true;
    const source = (b: Uint8Array) => {
      for (let i = 0; i < b.length; i++) b[i] = 248 + (i % 8);
      if (first) {
        b[b.length - 1] = 0;
        first = false;
      } else for (let i = 0; i < b.length; i++) b[i] = i % 62;
    };
    const [s] = generateSerials(1, source, { entropyBits: 32 });
    expect(s[0]).to.equal("0");
    const counts = new Map<string, number>();
    for (const s of generateSerials(20_000, secure)) for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
    const expected = (20_000 * 11) / 62;
    for (const c of SERIAL_ALPHABET) expect(Math.abs(counts.get(c)! - expected) / expected, c).to.be.lessThan(0.15);
  });

  it("formats Digital Links that parse back to the same code", () => {
    const [s] = generateSerials(1, secure);
    const [link] = serialsToDigitalLinks("https://id.acme.example", "614141000036", [s], "L9");
    expect(parseDigitalLink(link)).to.include({ gtin: "00614141000036", serial: s, lot: "L9" });
  });

  it("packs serials into a block and reads each back", () => {
    const block = SerialBlock.of(["AAA", "b9Z", "000"]);
    expect(block).to.include({ width: 3, count: 3 });
    expect(block.at(1)).to.equal("b9Z");
    expect(block.toArray()).to.deep.equal(["AAA", "b9Z", "000"]);
    expect(() => block.at(3)).to.throw(RangeError, /outside 0..2/);
    expect(() => SerialBlock.of(["AAA", "BB"])).to.throw(
      ValidationError,
      /serials\[1\]: all serials of a block have 3/,
    );
    expect(() => SerialBlock.of(["A A"])).to.throw(ValidationError, /printable ASCII/);
    expect(() => new SerialBlock(3, new Uint8Array(4))).to.throw(ValidationError, /multiple of width 3/);
  });

  it("draws packed serials with their leaves uniformly from the alphabet, and redraws one serial alone", () => {
    const drawn = randomCodeLeaves(1n, 11, 20_000, secure);
    const block = new SerialBlock(11, drawn.serials);
    expect(toHex(drawn.leaves) === toHex(packedCodeLeafHashes(1n, block)), "leaves of those serials").to.equal(true);
    const counts = new Map<string, number>();
    for (const s of block.toArray()) for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect([...counts.keys()].every((c) => SERIAL_ALPHABET.includes(c))).to.equal(true);
    const expected = (20_000 * 11) / 62;
    for (const c of SERIAL_ALPHABET) expect(Math.abs(counts.get(c)! - expected) / expected, c).to.be.lessThan(0.15);
    const before = block.toArray();
    redrawSerial(block, 7, secure);
    const after = block.toArray();
    expect(after[7]).not.to.equal(before[7]);
    expect(after.filter((s, i) => s !== before[i])).to.have.length(1);
  });
});
