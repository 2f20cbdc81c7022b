import { expect } from "chai";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { readFileSync } from "node:fs";
import { AUDIT_SCHEMA_PATH, auditReportJsonSchema } from "../../scripts/write-schemas";
import { AuditState } from "../../src/audit/audit-state";
import { violation } from "../../src/audit/ledger-audit";
import { buildReport } from "../../src/audit/report";
import { violationsCsv } from "../../src/audit/report-csv";
import { reportHtml } from "../../src/audit/report-html";
import { AuditReportSchema } from "../../src/audit/report-schema";

const h32 = (b: string) => `0x${b.repeat(32)}`;
const CONTRACTS = {
  registry: `0x${"a1".repeat(20)}`,
  serials: `0x${"a2".repeat(20)}`,
  log: `0x${"a3".repeat(20)}`,
} as const;

/** A state with a brand whose name is markup, one order, and a violation whose words start like a formula. */
function sampleReport() {
  const state = new AuditState();
  state.participants.set(5, { kind: 0, gln: "0614141000043", name: `<script>alert("x")</script> & Co`, active: true });
  state.prefixes.set("0614141", 5);
  state.orders.set(1, {
    brand: 5,
    producer: 5,
    gtin: "10614141073464",
    lot: "L1",
    expiry: 20281231,
    erpReference: h32("0e"),
    opened: { block: 3, transaction: h32("01") },
    planned: 10,
    released: 10,
    voided: 1,
    commissioned: 4,
    exceptions: 0,
    closed: false,
    recalled: false,
    batches: [1],
    refused: [{ block: 6, transaction: h32("06"), count: 2, releasedBefore: 10, planned: 10 }],
  });
  state.batches.set(1, {
    order: 1,
    root: h32("0b"),
    count: 10,
    cid: "bafkreiexample",
    block: 4,
    transaction: h32("04"),
    voided: 1,
    commissioned: 4,
    recalled: true,
    leavesValid: true,
  });
  state.violations.push(
    violation("commission_outside_release", `=HYPERLINK("http://evil") commissioned "X", a code no batch holds`, {
      block: 9,
      transaction: h32("09"),
      cid: "bafkreicommitment",
      epc: "https://id.gs1.org/01/10614141073464/21/FAKE",
      participantName: "<b>Acme</b>",
    }),
  );
  return buildReport({
    state,
    chainId: 31337,
    contracts: CONTRACTS,
    fromBlock: 1,
    checkpoint: { block: 12, blockHash: h32("0c"), stateDigest: h32("0d"), stateFile: "audit-state.json.gz" },
    generatedAt: new Date("2026-11-21T10:00:00Z"),
  });
}

describe("audit: the report (JSON schema, CSV, HTML)", () => {
  it("publishes the JSON Schema generated from the zod definition, and a report validates against it", () => {
    expect(readFileSync(AUDIT_SCHEMA_PATH, "utf8")).to.equal(auditReportJsonSchema());
    const ajv = new Ajv({ strict: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(AUDIT_SCHEMA_PATH, "utf8")));
    const report = sampleReport();
    expect(validate(JSON.parse(JSON.stringify(report))), JSON.stringify(validate.errors)).to.equal(true);
    expect(AuditReportSchema.parse(report).schema).to.equal("trackroot.audit.v1");
    expect(validate({ ...report, schema: "trackroot.audit.v2" })).to.equal(false);
    expect(validate({ ...report, violations: [{ ...report.violations[0], kind: "made_up" }] })).to.equal(false);
  });

  it("sums the order's reconciliation and summarises the checks", () => {
    const report = sampleReport();
    expect(report.verdict).to.equal("violations");
    expect(report.brands[0].orders[0]).to.include({ unused: 5, balanced: true });
    expect(report.brands[0].orders[0].batches[0]).to.include({ recalled: true, commissioned: 4 });
    expect(report.totals).to.include({
      codesReleased: 10,
      codesVoided: 1,
      codesCommissioned: 4,
      refusedReleases: 1,
      violations: 1,
      newViolations: 1,
    });
    expect(report.checks.find((c) => c.id === "commissioning")).to.include({ passed: false, violations: 1 });
    expect(report.checks.filter((c) => !c.passed)).to.have.length(1);
  });

  it("writes CSV a spreadsheet reads as text: quoted, with formula-like cells defused", () => {
    const lines = violationsCsv(sampleReport()).split("\r\n");
    expect(lines[0]).to.equal(
      "id,kind,check,title,explanation,block,transaction,cid,relayer,sequence,entry_digest,event_hash,epc,submitter,participant,participant_name,order,batch,new",
    );
    expect(lines).to.have.length(3);
    expect(lines[1]).to.include(`"'=HYPERLINK(""http://evil"") commissioned ""X"", a code no batch holds"`);
    expect(lines[1]).to.include(`,9,${h32("09")},bafkreicommitment,,,`);
    expect(lines[2]).to.equal("");
  });

  it("renders HTML with every outside string escaped, no scripts, the verdict first", () => {
    const html = reportHtml(sampleReport());
    expect(html).to.not.match(/<script/i);
    expect(html).to.include("&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; Co");
    expect(html).to.include("&#60;b&#62;Acme&#60;/b&#62;");
    expect(html).to.include(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(html.indexOf("1 violation found")).to.be.lessThan(html.indexOf("Invariants"));
    expect(html.indexOf("Invariants")).to.be.lessThan(html.indexOf("Brands and orders"));
    expect(html).to.include("1 over-plan release refused");
    expect(html).to.include("batch recalled");
  });
});
