import { expect } from "chai";
import { allOk, runHealthChecks } from "../../src/http/health";

describe("http/health (the one way the services' /health checks their dependencies)", () => {
  it("says ok for a check that passes, and down with the first line of why for one that throws", async () => {
    const checks = await runHealthChecks([
      { name: "database", check: async () => undefined },
      {
        name: "chain",
        check: async () => {
          throw new Error("HTTP request failed.\n\nURL: http://127.0.0.1:8545\nRequest body: {...}");
        },
      },
    ]);
    expect(checks).to.deep.equal({
      database: { status: "ok" },
      chain: { status: "down", detail: "HTTP request failed." },
    });
    expect(allOk(checks)).to.equal(false);
  });

  it("runs the checks at once: a slow dependency does not wait on another", async () => {
    const started: string[] = [];
    const slow = (name: string) => ({
      name,
      check: () => {
        started.push(name);
        return new Promise<void>((r) => setTimeout(r, 50));
      },
    });
    const pending = runHealthChecks([slow("a"), slow("b")]);
    expect(started).to.deep.equal(["a", "b"]);
    expect(allOk(await pending)).to.equal(true);
  });
});
