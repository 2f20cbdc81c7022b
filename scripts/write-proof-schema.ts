/**
 * Writes docs/proof-bundle-v1.schema.json from the zod schema in src/core/proof/bundle.ts, the one
 * definition both the verifiers and the published schema come from. `--check` fails when the
 * committed file differs (the tests run that check).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { zodToJsonSchema } from "zod-to-json-schema";
import { ProofBundleSchema } from "../src/core/proof/bundle";

export const PROOF_SCHEMA_PATH = join(__dirname, "..", "docs", "proof-bundle-v1.schema.json");

export function proofBundleJsonSchema(): string {
  const schema = zodToJsonSchema(ProofBundleSchema, { target: "jsonSchema7", $refStrategy: "none" });
  const published = {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: "https://trackroot.dev/schemas/proof-bundle-v1.schema.json",
    title: "trackroot ProofBundle v1",
    description:
      "One code's proof of release and custody chain, checkable against on-chain roots with nothing else trusted. Generated from src/core/proof/bundle.ts by scripts/write-proof-schema.ts.",
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== "$schema")),
  };
  return JSON.stringify(published, null, 2) + "\n";
}

if (require.main === module) {
  const text = proofBundleJsonSchema();
  if (process.argv.includes("--check")) {
    if (readFileSync(PROOF_SCHEMA_PATH, "utf8") !== text) {
      console.error(`${PROOF_SCHEMA_PATH} is stale: run npm run docs:schema`);
      process.exit(1);
    }
  } else writeFileSync(PROOF_SCHEMA_PATH, text);
}
