import { expect } from "chai";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tokenHash } from "../../src/indexer/consortium-auth";
import type { RunningIndexer } from "../../src/indexer/main";
import { startCaughtUpIndexer } from "../support/caught-up-indexer";
import { startHardhatNode } from "../support/chain-node";
import { unit } from "../support/captures";
import { setupIndexerLedger } from "../support/indexer-ledger";

const GTIN = "10614141073464";
const TOKEN = "consortium-test-token";

/**
 * The proof endpoint behind a trusted proxy (one hop, which sets X-Forwarded-For and a region
 * header): what counts as a verification, a region and an enumeration, black-box over HTTP.
 */
describe("e2e: verification counting behind a trusted proxy", function () {
  this.timeout(180_000);
  let node: Awaited<ReturnType<typeof startHardhatNode>>;
  let indexer: RunningIndexer;
  let serials: string[];
  const dir = mkdtempSync(join(tmpdir(), "trackroot-verifications-"));

  before(async () => {
    node = await startHardhatNode();
    const ledger = await setupIndexerLedger(node.url, dir, 10);
    serials = ledger.serials;
    indexer = await startCaughtUpIndexer({
      rpcUrl: node.url,
      deploymentPath: ledger.chain.deploymentPath,
      dir,
      env: {
        TRACKROOT_INDEXER_TOKENS: `4:${tokenHash(TOKEN)}`,
        // the test plays the proxy in front, from loopback
        TRACKROOT_TRUSTED_PROXIES: "127.0.0.1,::1",
        TRACKROOT_REGION_HEADER: "X-Client-Region",
        TRACKROOT_PUBLIC_BURST: "1000",
        TRACKROOT_CLIENT_SALT: "a-secret-salt-for-tests",
      },
    });
  });
  after(async () => {
    await indexer?.stop();
    await node?.stop();
  });

  /** A proof request as the proxy forwards it for `client`, with the region the proxy determined. */
  const proof = (serial: string, client: string, headers: Record<string, string> = {}) =>
    fetch(`${indexer.url}/v1/codes/${GTIN}/${encodeURIComponent(serial)}/proof`, {
      headers: { "X-Forwarded-For": client, ...headers },
    });
  const anomalies = async (kind: string) =>
    (
      (await (
        await fetch(`${indexer.url}/v1/anomalies?kind=${kind}`, { headers: { Authorization: `Bearer ${TOKEN}` } })
      ).json()) as { anomalies: { kind: string; epc: string; lookups?: number }[] }
    ).anomalies;

  it("counts one client repeating a verification 100 times once, and raises nothing", async () => {
    let last: Response | undefined;
    for (let i = 0; i < 100; i++) {
      last = await proof(serials[0], "203.0.113.7");
      expect(last.status).to.equal(200);
    }
    expect(last!.headers.get("trackroot-verifications")).to.equal("1");
    expect(last!.headers.get("trackroot-clone-warning")).to.equal("false");
  });

  it("counts no region a request declares itself, however many it claims", async () => {
    let last: Response | undefined;
    for (const region of ["FR", "JP", "PE", "NG", "US"]) {
      last = await fetch(`${indexer.url}/v1/codes/${GTIN}/${serials[1]}/proof?region=${region}`, {
        headers: { "X-Forwarded-For": "203.0.113.8", "X-Region": region, "CF-IPCountry": region },
      });
    }
    expect(last!.headers.get("trackroot-regions")).to.equal("0");
    expect(last!.headers.get("trackroot-clone-warning")).to.equal("false");
    expect((await anomalies("cloned_code")).map((a) => a.epc)).to.not.include(unit(serials[1]));
  });

  it("raises a clone alert once 20 distinct clients verify one code, and counts the proxy's regions", async () => {
    let last: Response | undefined;
    for (let i = 1; i <= 19; i++) last = await proof(serials[2], `198.51.100.${i}`, { "X-Client-Region": "DE" });
    expect(last!.headers.get("trackroot-verifications")).to.equal("19");
    expect(last!.headers.get("trackroot-regions")).to.equal("1");
    expect(last!.headers.get("trackroot-clone-warning")).to.equal("false");
    last = await proof(serials[2], "198.51.100.20", { "X-Client-Region": "AT" });
    expect(last.headers.get("trackroot-verifications")).to.equal("20");
    expect(last.headers.get("trackroot-clone-warning")).to.equal("true");
    expect((await anomalies("cloned_code")).map((a) => a.epc)).to.deep.equal([unit(serials[2])]);
  });

  it("takes 200 lookups of unknown serials from one client for an enumeration attempt, not for clones", async () => {
    for (let i = 0; i < 200; i++) {
      const res = await proof(`NOSUCH${String(i).padStart(4, "0")}`, "192.0.2.99");
      expect(res.status).to.equal(200);
      expect(res.headers.get("trackroot-verifications")).to.equal("0");
    }
    const found = await anomalies("enumeration_attempt");
    expect(found).to.have.length(1);
    expect(found[0].lookups).to.equal(100);
    expect(JSON.stringify(found)).to.not.include("192.0.2.99");
    expect((await anomalies("cloned_code")).map((a) => a.epc)).to.deep.equal([unit(serials[2])]);
  });
});
