/**
 * Writes the published JSON Schemas from their zod definitions, the one source both the code and
 * the published schemas come from: docs/proof-bundle.schema.json (src/core/proof/bundle.ts) and
 * docs/audit-report-v1.schema.json (src/audit/report-schema.ts); and docs/configuration.md, the
 * configuration reference, from the services' and the CLI's config schemas. `--check` fails when
 * a committed file differs (the tests run that check).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ZodTypeAny } from "zod";
import { zodToJsonSchema } from "zod-to-json-schema";
import { AuditReportSchema } from "../src/audit/report-schema";
import { ProofBundleSchema } from "../src/core/proof/bundle";
import { CLI_ENV, ConfigSchema } from "../src/cli/config";
import { GatewayConfigSchema } from "../src/gateway/config";
import { IndexerConfigSchema } from "../src/indexer/config";
import { RelayerConfigSchema } from "../src/relayer/config";
import { settingRows, settingsTable } from "../src/service/config-reference";
import { StartOptionsSchema } from "../src/stack/start-options";
import { VerifySiteConfigSchema } from "../src/verify-web/config";
import { QbftEnv } from "./qbft-network";

export const PROOF_SCHEMA_PATH = join(__dirname, "..", "docs", "proof-bundle.schema.json");
export const AUDIT_SCHEMA_PATH = join(__dirname, "..", "docs", "audit-report-v1.schema.json");
export const CONFIGURATION_PATH = join(__dirname, "..", "docs", "configuration.md");

/** The configuration schemas, in the order the reference lists them. */
export const CONFIG_SECTIONS = [
  {
    title: "Relayer (`npm run relayer`, `bin/trackroot-relayer.js`)",
    source: "src/relayer/config.ts",
    intro: "Environment variables, checked once at start; a bad value stops it with the variable's name.",
    rows: () => settingRows(RelayerConfigSchema),
  },
  {
    title: "Indexer (`npm run indexer`, `bin/trackroot-indexer.js`, `trackroot indexer rebuild`)",
    source: "src/indexer/config.ts",
    intro: "Environment variables, checked once at start.",
    rows: () => settingRows(IndexerConfigSchema),
  },
  {
    title: "Verification site (`npm run verify-web`, `bin/trackroot-verify-web.js`)",
    source: "src/verify-web/config.ts",
    intro: "Environment variables, checked once at start.",
    rows: () => settingRows(VerifySiteConfigSchema),
  },
  {
    title: "Participant gateway (`npm run gateway`, `bin/trackroot-gateway.js`)",
    source: "src/gateway/config.ts",
    intro: "Environment variables, checked once at start; one gateway holds one participant's key.",
    rows: () => settingRows(GatewayConfigSchema),
  },
  {
    title: "The `trackroot` CLI",
    source: "src/cli/config.ts",
    intro:
      "Keys of `trackroot.config.json` (or the file `--config` names), each overridden by its environment variable where it has one. Relative paths resolve against the working directory.",
    rows: () =>
      settingRows(ConfigSchema, (key) => {
        const env = Object.keys(CLI_ENV).find((name) => CLI_ENV[name] === key);
        return env ? `${key}\` / \`${env}` : key;
      }),
  },
  {
    title: "`npm start` (the local stack)",
    source: "src/stack/start-options.ts",
    intro: "Flags after `npm start --`.",
    rows: () => settingRows(StartOptionsSchema, (key) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`),
  },
  {
    title: "The `qbft` network of Hardhat (`npm run deploy -- --network qbft`)",
    source: "scripts/qbft-network.ts",
    intro: "Environment variables; all four or none.",
    rows: () => settingRows(QbftEnv),
  },
];

/** docs/configuration.md, generated from the schemas above. */
export function configurationReference(): string {
  return (
    [
      "# Configuration reference",
      "",
      "Generated from the zod schemas by `scripts/write-schemas.ts` (`npm run docs:schema`); a test fails when",
      "this file and the schemas disagree. Each service reads its configuration once, in its main file;",
      "nothing below main reads the environment. See [operations](operations.md) for running the services.",
      ...CONFIG_SECTIONS.flatMap((s) => [
        "",
        `## ${s.title}`,
        "",
        `${s.intro} Source: \`${s.source}\`.`,
        "",
        settingsTable(s.rows()),
      ]),
    ].join("\n") + "\n"
  );
}

function published(schema: ZodTypeAny, id: string, title: string, description: string): string {
  const json = zodToJsonSchema(schema, { target: "jsonSchema7", $refStrategy: "none" });
  const out = {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: `https://trackroot.dev/schemas/${id}`,
    title,
    description,
    ...Object.fromEntries(Object.entries(json).filter(([k]) => k !== "$schema")),
  };
  return JSON.stringify(out, null, 2) + "\n";
}

export function proofBundleJsonSchema(): string {
  return published(
    ProofBundleSchema,
    "proof-bundle.schema.json",
    "trackroot ProofBundle (versions 1 and 2)",
    "One code's proof of release and custody chain, checkable against on-chain roots with nothing else trusted. Generated from src/core/proof/bundle.ts by scripts/write-schemas.ts.",
  );
}

export function auditReportJsonSchema(): string {
  return published(
    AuditReportSchema,
    "audit-report-v1.schema.json",
    "trackroot audit report v1 (trackroot.audit.v1)",
    "The JSON report of `trackroot audit`: verdict, checks, orders and their reconciliation, relayers' logs, violations with their evidence, and the checkpoint a later audit continues from. Generated from src/audit/report-schema.ts by scripts/write-schemas.ts.",
  );
}

if (require.main === module) {
  let stale = false;
  for (const [path, text] of [
    [PROOF_SCHEMA_PATH, proofBundleJsonSchema()],
    [AUDIT_SCHEMA_PATH, auditReportJsonSchema()],
    [CONFIGURATION_PATH, configurationReference()],
  ]) {
    if (!process.argv.includes("--check")) writeFileSync(path, text);
    else if (readFileSync(path, "utf8") !== text) {
      console.error(`${path} is stale: run npm run docs:schema`);
      stale = true;
    }
  }
  if (stale) process.exit(1);
}
