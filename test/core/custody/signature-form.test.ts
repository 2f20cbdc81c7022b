import { expect } from "chai";
import { privateKeyToAccount } from "viem/accounts";
import { isCanonicalSignature } from "../../../src/core/custody/signature-form";

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const HALF = N / 2n;
const sig = (s: bigint, v: number) => `0x${"11".repeat(32)}${s.toString(16).padStart(64, "0")}${v.toString(16)}`;

describe("core: signatures in the one form OpenZeppelin's ECDSA accepts", () => {
  const cases: { name: string; signature: string; ok: boolean }[] = [
    { name: "s at half the order, v 27", signature: sig(HALF, 27), ok: true },
    { name: "s of 1, v 28", signature: sig(1n, 28), ok: true },
    { name: "s one past half the order (the high-s twin)", signature: sig(HALF + 1n, 27), ok: false },
    { name: "s of 0", signature: sig(0n, 27), ok: false },
    { name: "v 0 (a raw recovery id)", signature: sig(1n, 0), ok: false },
    { name: "v 29", signature: sig(1n, 29), ok: false },
    { name: "64 bytes (EIP-2098 compact)", signature: `0x${"11".repeat(64)}`, ok: false },
  ];
  for (const c of cases) {
    it(`${c.ok ? "accepts" : "refuses"} ${c.name}`, () => {
      expect(isCanonicalSignature(c.signature)).to.equal(c.ok);
    });
  }

  it("accepts what viem signs, and refuses its malleated twin", async () => {
    const account = privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
    for (let i = 0; i < 20; i++) {
      const signature = await account.signMessage({ message: `message ${i}` });
      expect(isCanonicalSignature(signature)).to.equal(true);
      const s = BigInt(`0x${signature.slice(66, 130)}`);
      const v = parseInt(signature.slice(130), 16);
      expect(isCanonicalSignature(sig(N - s, v === 27 ? 28 : 27).replace(/^0x.{64}/, signature.slice(0, 66)))).to.equal(
        false,
      );
    }
  });
});
