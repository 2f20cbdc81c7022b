import { CHECKS } from "./checks";
import type { AuditReport, OrderRow, Violation } from "./report-schema";

/**
 * The report for people: one self-contained page (no scripts, no outside requests) that opens with
 * the verdict and the checks, then each violation with its evidence in plain words, then the
 * brands' orders and their reconciliation, and the relayers' logs.
 */
export function reportHtml(report: AuditReport): string {
  const t = report.totals;
  const clean = report.verdict === "clean";
  const headline = clean
    ? "No violations: every invariant holds"
    : `${t.violations} violation${t.violations === 1 ? "" : "s"} found${report.since ? ` (${t.newViolations} new since block ${report.since.block})` : ""}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>trackroot audit: ${esc(headline)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <p class="kicker">trackroot ledger audit · chain ${report.chain.chainId} · blocks ${report.chain.fromBlock}–${report.chain.toBlock}</p>
  <div class="verdict ${clean ? "ok" : "bad"}" role="status">
    <span class="mark" aria-hidden="true">${clean ? "✓" : "!"}</span>
    <div><h1>${esc(headline)}</h1>
    <p>Replayed from the chain and the content store alone, trusting no relayer, indexer or brand. Generated ${esc(report.generatedAt)}.</p></div>
  </div>
</header>
<main>
<section aria-labelledby="summary">
  <h2 id="summary">Summary</h2>
  <dl class="totals">
    ${total("Participants", t.participants)}${total("Orders", t.orders)}${total("Batches released", t.batches)}
    ${total("Codes released", t.codesReleased)}${total("Codes commissioned", t.codesCommissioned)}${total("Codes voided", t.codesVoided)}
    ${total("Commitments", t.commitments)}${total("Captures", t.captures)}${total("Events", t.events)}
    ${total("Handovers", t.handovers)}${total("Refused over-plan releases", t.refusedReleases)}${total("Violations", t.violations)}
  </dl>
  <table class="checks">
    <caption>Invariants</caption>
    <thead><tr><th scope="col">Result</th><th scope="col">Check</th><th scope="col" class="num">Checked</th><th scope="col" class="num">Violations</th></tr></thead>
    <tbody>
    ${report.checks
      .map(
        (c) =>
          `<tr class="${c.passed ? "ok" : "bad"}"><td>${c.passed ? '<span aria-hidden="true">✓</span> passed' : '<span aria-hidden="true">✗</span> failed'}</td><td>${esc(c.title)}</td><td class="num">${num(c.checked)}</td><td class="num">${num(c.violations)}</td></tr>`,
      )
      .join("\n    ")}
    </tbody>
  </table>
</section>
${report.violations.length ? violationsSection(report.violations) : ""}
<section aria-labelledby="orders">
  <h2 id="orders">Brands and orders</h2>
  ${report.brands.length ? report.brands.map(brandSection).join("\n") : "<p>No brand is registered.</p>"}
</section>
<section aria-labelledby="relayers">
  <h2 id="relayers">Relayers' commitment logs</h2>
  ${
    report.relayers.length
      ? `<table><thead><tr><th scope="col">Relayer</th><th scope="col" class="num">Commitments</th><th scope="col" class="num">Captures</th><th scope="col" class="num">Events</th><th scope="col" class="num">Handovers</th><th scope="col">Head</th></tr></thead><tbody>
  ${report.relayers
    .map(
      (r) =>
        `<tr><td>${esc(r.name)} <span class="dim">(participant ${r.participant})</span></td><td class="num">${num(r.commitments)}</td><td class="num">${num(r.captures)}</td><td class="num">${num(r.events)}</td><td class="num">${num(r.handovers)}</td><td><code>#${r.headSequence} ${esc(r.headHash)}</code></td></tr>`,
    )
    .join("\n  ")}
  </tbody></table>`
      : "<p>No commitments yet.</p>"
  }
</section>
<section aria-labelledby="scope">
  <h2 id="scope">Scope and checkpoint</h2>
  <dl class="facts">
    <dt>Contracts</dt><dd>registry <code>${esc(report.chain.contracts.registry)}</code>, serials <code>${esc(report.chain.contracts.serials)}</code>, commitment log <code>${esc(report.chain.contracts.log)}</code></dd>
    ${report.since ? `<dt>Continued from</dt><dd>block ${report.since.block} (<code>${esc(report.since.blockHash)}</code>), state <code>${esc(report.since.stateDigest)}</code>, checked against the chain</dd>` : ""}
    <dt>Checkpoint</dt><dd>block ${report.checkpoint.block} (<code>${esc(report.checkpoint.blockHash)}</code>), state <code>${esc(report.checkpoint.stateDigest)}</code> in <code>${esc(report.checkpoint.stateFile)}</code></dd>
    <dt>Next audit</dt><dd><code>trackroot audit --since audit-report.json</code> continues from this checkpoint.</dd>
  </dl>
</section>
</main>
</body>
</html>
`;
}

function violationsSection(violations: readonly Violation[]): string {
  return `<section aria-labelledby="violations">
  <h2 id="violations">Violations</h2>
  <ol class="violations">
  ${violations
    .map((v) => {
      const e = v.evidence;
      const facts: [string, string | number | undefined][] = [
        ["Transaction", e.transaction],
        ["Block", e.block],
        ["Content CID", e.cid],
        ["Commitment", e.relayer !== undefined ? `relayer ${e.relayer}, sequence ${e.sequence}` : undefined],
        ["Entry digest", e.entryDigest],
        ["Event hash", e.eventHash],
        ["Code", e.epc],
        [
          "Submitter",
          e.submitter ? `${e.participantName ? `${e.participantName}, ` : ""}key ${e.submitter}` : e.participantName,
        ],
        [
          "Order / batch",
          e.order !== undefined ? `order ${e.order}${e.batch !== undefined ? `, batch ${e.batch}` : ""}` : undefined,
        ],
      ];
      return `<li id="v-${v.id}">
    <h3>${esc(v.title)}${v.new ? "" : ' <span class="dim">(found before the checkpoint)</span>'}</h3>
    <p class="check">Breaks: ${esc(CHECKS[v.check])}</p>
    <p>${esc(v.explanation)}</p>
    <dl class="evidence">${facts
      .filter(([, value]) => value !== undefined && value !== "")
      .map(([k, value]) => `<dt>${k}</dt><dd><code>${esc(String(value))}</code></dd>`)
      .join("")}</dl>
  </li>`;
    })
    .join("\n  ")}
  </ol>
</section>`;
}

function brandSection(brand: AuditReport["brands"][number]): string {
  return `<h3>${esc(brand.name)} <span class="dim">(participant ${brand.participant}${brand.gln ? `, GLN ${esc(brand.gln)}` : ""}${brand.prefixes.length ? `, prefixes ${esc(brand.prefixes.join(", "))}` : ""})</span></h3>
  ${
    brand.orders.length
      ? `<table class="orders"><thead><tr><th scope="col">Order</th><th scope="col">GTIN · lot</th><th scope="col" class="num">Planned</th><th scope="col" class="num">Released</th><th scope="col" class="num">Commissioned</th><th scope="col" class="num">Voided</th><th scope="col" class="num">Unused</th><th scope="col">Reconciles</th><th scope="col">Status</th></tr></thead><tbody>
  ${brand.orders.map(orderRow).join("\n  ")}
  </tbody></table>`
      : "<p>No orders.</p>"
  }`;
}

function orderRow(o: OrderRow): string {
  const status = [
    o.closed ? "closed" : "open",
    o.recalled ? "recalled" : "",
    o.batches.some((b) => b.recalled) ? "batch recalled" : "",
    o.refusedReleases.length
      ? `${o.refusedReleases.length} over-plan release${o.refusedReleases.length === 1 ? "" : "s"} refused`
      : "",
  ]
    .filter(Boolean)
    .join(", ");
  return `<tr class="${o.balanced ? "" : "bad"}"><td>${o.order}</td><td>${esc(o.gtin)} · ${esc(o.lot)}</td><td class="num">${num(o.planned)}</td><td class="num">${num(o.released)}</td><td class="num">${num(o.commissioned)}</td><td class="num">${num(o.voided)}</td><td class="num">${num(o.unused)}</td><td>${o.balanced ? "✓ yes" : `✗ no${o.exceptions ? ` (${o.exceptions} voided codes commissioned)` : ""}`}</td><td>${esc(status)}</td></tr>`;
}

function total(label: string, value: number): string {
  return `<div><dt>${label}</dt><dd>${num(value)}</dd></div>`;
}

function num(n: number): string {
  return n.toLocaleString("en");
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
:root{--ok:#1a6b34;--bad:#a11d1d;--ink:#1b1f24;--dim:#5b6470;--line:#d8dde3}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:#fff}
header,main{max-width:72rem;margin:0 auto;padding:0 1.25rem}
.kicker{color:var(--dim);margin:1.25rem 0 .5rem;font-size:.9rem}
.verdict{display:flex;gap:1rem;align-items:center;padding:1rem 1.25rem;border-radius:.5rem;color:#fff}
.verdict.ok{background:var(--ok)}.verdict.bad{background:var(--bad)}
.verdict h1{margin:0;font-size:1.5rem}.verdict p{margin:.25rem 0 0}
.mark{font-size:2rem;font-weight:700;width:3rem;height:3rem;border-radius:50%;border:3px solid #fff;display:flex;align-items:center;justify-content:center;flex:none}
h2{margin:2rem 0 .75rem;border-bottom:2px solid var(--line);padding-bottom:.25rem}
h3{margin:1.25rem 0 .5rem;font-size:1.05rem}
.totals{display:grid;grid-template-columns:repeat(auto-fill,minmax(10rem,1fr));gap:.5rem;margin:0 0 1rem}
.totals div{border:1px solid var(--line);border-radius:.4rem;padding:.5rem .75rem}
.totals dt{color:var(--dim);font-size:.85rem}.totals dd{margin:0;font-size:1.25rem;font-weight:600}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:.85rem;color:var(--dim)}
.num{text-align:right;font-variant-numeric:tabular-nums}
tr.ok td:first-child{color:var(--ok);font-weight:600}tr.bad td:first-child{color:var(--bad);font-weight:600}
tr.bad{background:#fdf0f0}
.violations{padding-left:1.5rem}
.violations li{margin:0 0 1rem;padding:.5rem .75rem;border-left:4px solid var(--bad);background:#fdf6f6}
.violations h3{margin:.25rem 0}
.check{color:var(--dim);margin:.25rem 0;font-size:.9rem}
.evidence,.facts{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:.5rem 0}
.evidence dt,.facts dt{color:var(--dim)}.evidence dd,.facts dd{margin:0;overflow-wrap:anywhere}
code{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;overflow-wrap:anywhere}
.dim{color:var(--dim);font-weight:400}
@media print{.verdict{print-color-adjust:exact;-webkit-print-color-adjust:exact}}
`;
