import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");

/** The packages a command loads when it runs `argv`, in a fresh process, as the bin does. */
function packagesLoaded(argv: string[]): string[] {
  const script = `
    require("./bin/register");
    require("./src/cli/main.ts")
      .runCli(${JSON.stringify(argv)}, { io: { out() {}, err() {} } })
      .then(() => process.stdout.write(JSON.stringify(Object.keys(require.cache))));`;
  const files = JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8" })) as string[];
  return [
    ...new Set(
      files.flatMap((f) => {
        const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f);
        return m ? [m[1]] : [];
      }),
    ),
  ];
}

// the chain client, the schema validators, the HTTP stack, the databases, XML and the barcode
// writers: what `trackroot --help` needs none of, and what made it take two seconds
const HEAVY = [
  "viem",
  "ethers",
  "ajv",
  "express",
  "kysely",
  "better-sqlite3",
  "@xmldom/xmldom",
  "bwip-js",
  "qrcode",
  "pg",
];

describe("cli start-up (each command loads what it uses, nothing else)", () => {
  it("answers --help without loading the chain client, the validators, the databases or the label writers", () => {
    const loaded = packagesLoaded(["--help"]);
    expect(loaded).to.include("commander");
    for (const heavy of HEAVY) expect(loaded, `--help loaded ${heavy}`).to.not.include(heavy);
  });

  it("loads the EPCIS validators for an epcis command, and still no chain client", () => {
    const loaded = packagesLoaded(["epcis", "hash", "test/data/epcis-event-hash/ReferenceEventHashAlgorithm2.jsonld"]);
    expect(loaded).to.include("@xmldom/xmldom");
    expect(loaded).to.not.include("ethers").and.not.include("express").and.not.include("better-sqlite3");
  });
});
