/**
 * Writes the published JSON Schemas from their zod definitions, the one source both the code and
 * the published schemas come from: docs/proof-bundle-v1.schema.json (src/core/proof/bundle.ts) and
 * docs/audit-report-v1.schema.json (src/audit/report-schema.ts). `--check` fails when a committed
 * file differs (the tests run that check).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ZodTypeAny } from "zod";
import { zodToJsonSchema } from "zod-to-json-schema";
import { AuditReportSchema } from "../src/audit/report-schema";
import { ProofBundleSchema } from "../src/core/proof/bundle";

export const PROOF_SCHEMA_PATH = join(__dirname, "..", "docs", "proof-bundle-v1.schema.json");
export const AUDIT_SCHEMA_PATH = join(__dirname, "..", "docs", "audit-report-v1.schema.json");

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
    "proof-bundle-v1.schema.json",
    "trackroot ProofBundle v1",
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
  ]) {
    if (!process.argv.includes("--check")) writeFileSync(path, text);
    else if (readFileSync(path, "utf8") !== text) {
      console.error(`${path} is stale: run npm run docs:schema`);
      stale = true;
    }
  }
  if (stale) process.exit(1);
}
