// Fails when solidity-coverage's line or branch coverage of contracts/ is below the threshold (%).
const summary = require("../coverage/coverage-summary.json").total;
const threshold = Number(process.argv[2] ?? 95);
const rows = ["lines", "branches", "statements", "functions"].map((k) => [k, summary[k].pct]);
for (const [k, pct] of rows) console.log(`contracts coverage ${k}: ${pct}%`);
const low = rows.filter(([k, pct]) => (k === "lines" || k === "branches") && pct < threshold);
if (low.length) {
  console.error(`coverage below ${threshold}%: ${low.map(([k, p]) => `${k} ${p}%`).join(", ")}`);
  process.exit(1);
}
