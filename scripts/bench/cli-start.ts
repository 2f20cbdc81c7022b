/**
 * How long a `trackroot` command takes to start, as a line system that runs one per file pays it:
 * `trackroot --help` and `trackroot epcis hash <file>` (target <= 300 ms), side by side with the
 * anchor, Node starting and doing nothing. Each is run once to fill the transpile cache, then
 * `--runs` times (default 15).
 *   npm run bench:cli-start -- [--runs 15]
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { summary } from "./page-timing";

const ROOT = join(__dirname, "..", "..");
const runsAt = process.argv.indexOf("--runs");
const runs = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 15;

function time(args: string[]): number[] {
  execFileSync(process.execPath, args, { cwd: ROOT, stdio: "ignore" });
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    execFileSync(process.execPath, args, { cwd: ROOT, stdio: "ignore" });
    ms.push(performance.now() - t0);
  }
  return ms;
}

const cases: [string, string[]][] = [
  ["anchor: node -e 0                                ", ["-e", "0"]],
  ["trackroot --help                                 ", ["bin/trackroot.js", "--help"]],
  [
    "trackroot epcis hash (a GS1 example document)    ",
    ["bin/trackroot.js", "epcis", "hash", "test/data/epcis-event-hash/ReferenceEventHashAlgorithm2.jsonld"],
  ],
];
for (const [name, args] of cases) console.log(`${name} ${runs} runs: ${summary(time(args))}`);
console.log("target: trackroot --help <= 300 ms");
