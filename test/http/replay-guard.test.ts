import { expect } from "chai";
import { RateLimitedError } from "../../src/core/errors";
import { ReplayGuard } from "../../src/http/replay-guard";

describe("http: a signed request is usable once", () => {
  it("refuses an id within its window and takes it again once the window passed", () => {
    let now = 0;
    const guard = new ReplayGuard({ maxEntries: 10, now: () => now });
    expect(guard.use("k:n", 1000)).to.equal(true);
    expect(guard.use("k:n", 1000)).to.equal(false);
    now = 1000;
    expect(guard.use("k:n", 2000)).to.equal(true);
  });

  it("when full, refuses new requests for a moment rather than forgetting one that could be replayed", () => {
    let now = 0;
    const guard = new ReplayGuard({ maxEntries: 2, now: () => now });
    guard.use("a", 1000);
    guard.use("b", 1000);
    expect(() => guard.use("c", 1000)).to.throw(RateLimitedError);
    expect(guard.use("a", 1000)).to.equal(false);
    now = 1000;
    expect(guard.use("c", 2000)).to.equal(true);
  });
});
