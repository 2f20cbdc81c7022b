import { expect } from "chai";
import { RateLimitedError } from "../../src/core/errors";
import { RateLimiter } from "../../src/http/rate-limiter";

describe("relayer rate limiter", () => {
  const clock = () => {
    let t = 1_000_000;
    return { now: () => t, advance: (ms: number) => (t += ms) };
  };

  it("lets a submitter spend its burst, then refuses with a retry time until tokens refill", () => {
    const c = clock();
    const limiter = new RateLimiter({ ratePerSecond: 100, burst: 300, now: c.now });
    limiter.take("a", 200);
    limiter.take("a", 100);
    let error: unknown;
    try {
      limiter.take("a", 50);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterSeconds).to.equal(1);
    expect(() => limiter.check("a")).to.throw(RateLimitedError);
    c.advance(500);
    limiter.take("a", 50);
  });

  it("keeps each submitter's bucket apart", () => {
    const c = clock();
    const limiter = new RateLimiter({ ratePerSecond: 10, burst: 10, now: c.now });
    limiter.take("a", 10);
    expect(() => limiter.take("a", 1)).to.throw(RateLimitedError);
    limiter.take("b", 10);
  });

  it("accepts one submission larger than the burst from a full bucket and then makes the submitter wait it off", () => {
    const c = clock();
    const limiter = new RateLimiter({ ratePerSecond: 100, burst: 100, now: c.now });
    limiter.take("a", 250);
    c.advance(1000);
    expect(() => limiter.check("a")).to.throw(RateLimitedError);
    c.advance(1600);
    limiter.check("a");
  });
});
