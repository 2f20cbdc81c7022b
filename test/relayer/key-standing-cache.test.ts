import { expect } from "chai";
import type { Address } from "viem";
import { UnavailableError } from "../../src/core/errors";
import { parseRelayerConfig } from "../../src/relayer/config";
import { KeyStandingCache } from "../../src/relayer/key-standing-cache";

describe("relayer key standing cache", () => {
  const KEY = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" as Address;
  function setup(ttlMs: number, staleIfErrorMs: number) {
    let t = 0;
    let calls = 0;
    let down = false;
    let active = true;
    const cache = new KeyStandingCache(
      {
        keyStanding: async () => {
          calls++;
          if (down) throw new Error("connect ECONNREFUSED");
          return { participant: 3, kind: 2, active };
        },
      },
      { ttlMs, staleIfErrorMs, now: () => t },
    );
    return {
      cache,
      calls: () => calls,
      advance: (ms: number) => (t += ms),
      setDown: (d: boolean) => (down = d),
      revoke: () => (active = false),
    };
  }

  it("with the relayer's default settings, stops accepting a key a minute into a chain outage, not an hour", async () => {
    const config = parseRelayerConfig(
      {
        TRACKROOT_DEPLOYMENT: "d.json",
        TRACKROOT_RELAYER_KEYSTORE: "k.json",
        TRACKROOT_RELAYER_KEYSTORE_PASSWORD: "pw",
      },
      "/",
    );
    const s = setup(config.TRACKROOT_KEY_CACHE_MS, config.TRACKROOT_KEY_STALE_IF_ERROR_MS);
    expect((await s.cache.keyStanding(KEY)).active).to.equal(true);
    // the key is revoked while the chain cannot be reached
    s.revoke();
    s.setDown(true);
    s.advance(60_000);
    let refused: unknown;
    try {
      await s.cache.keyStanding(KEY);
    } catch (e) {
      refused = e;
    }
    expect(refused).to.be.instanceOf(UnavailableError);
  });

  it("asks the registry again once the answer is older than the ttl, so a revocation shows", async () => {
    const s = setup(1000, 60_000);
    expect((await s.cache.keyStanding(KEY)).active).to.equal(true);
    s.revoke();
    expect((await s.cache.keyStanding(KEY)).active).to.equal(true);
    expect(s.calls()).to.equal(1);
    s.advance(1000);
    expect((await s.cache.keyStanding(KEY)).active).to.equal(false);
  });

  it("uses the last answer while the chain is down, within the stale limit only", async () => {
    const s = setup(0, 10_000);
    await s.cache.keyStanding(KEY);
    s.setDown(true);
    s.advance(5000);
    expect((await s.cache.keyStanding(KEY)).participant).to.equal(3);
    s.advance(5000);
    let error: unknown;
    await s.cache.keyStanding(KEY).catch((e) => (error = e));
    expect(error).to.be.instanceOf(UnavailableError);
  });

  it("reports an unreachable chain for a key it never saw", async () => {
    const s = setup(0, 10_000);
    s.setDown(true);
    let error: unknown;
    await s.cache.keyStanding(KEY).catch((e) => (error = e));
    expect(error).to.be.instanceOf(UnavailableError);
    expect((error as Error).message).to.match(/ECONNREFUSED/);
  });
});
