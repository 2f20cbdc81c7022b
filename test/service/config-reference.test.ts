import { expect } from "chai";
import { readFileSync } from "node:fs";
import { z } from "zod";
import { CONFIG_SECTIONS, CONFIGURATION_PATH, configurationReference } from "../../scripts/write-schemas";
import { settingRows, settingsTable } from "../../src/service/config-reference";

describe("service/config-reference", () => {
  it("docs/configuration.md is generated from the schemas, not a stale copy (npm run docs:schema)", () => {
    expect(readFileSync(CONFIGURATION_PATH, "utf8")).to.equal(configurationReference());
  });

  for (const section of CONFIG_SECTIONS) {
    it(`describes every setting of ${section.source}`, () => {
      const undescribed = section.rows().filter((r) => r.description.trim() === "");
      expect(undescribed.map((r) => r.name)).to.deep.equal([]);
    });
  }

  const schema = z.object({
    URL_WITH_DEFAULT: z.string().url().default("http://127.0.0.1:8545").describe("a"),
    OPTIONAL_TEXT: z.string().min(1).optional().describe("b"),
    REQUIRED_TEXT: z.string().describe("c"),
    PORT: z.coerce.number().int().min(0).max(65535).default(8787).describe("d"),
    POSITIVE: z.coerce.number().int().positive().describe("e"),
    LEVEL: z.enum(["info", "debug"]).default("info").describe("f"),
    LIST: z
      .string()
      .transform((s) => s.split(","))
      .pipe(z.array(z.string().url()))
      .default("")
      .describe("g"),
    FLAG: z.boolean().default(false).describe("h <b>|</b>"),
  });
  for (const [name, type, fallback] of [
    ["URL_WITH_DEFAULT", "URL", "`http://127.0.0.1:8545`"],
    ["OPTIONAL_TEXT", "text", "optional"],
    ["REQUIRED_TEXT", "text", "**required**"],
    ["PORT", "integer (≥ 0, ≤ 65535)", "`8787`"],
    ["POSITIVE", "integer (> 0)", "**required**"],
    ["LEVEL", "`info` \\| `debug`", "`info`"],
    ["LIST", "comma-separated list", "(empty)"],
    ["FLAG", "boolean", "`false`"],
  ] as const) {
    it(`lists ${name} as ${type}, default ${fallback}`, () => {
      const row = settingRows(schema).find((r) => r.name === name);
      expect(row).to.include({ type, default: fallback });
    });
  }

  it("names settings the way the operator sets them, and keeps descriptions from breaking the table", () => {
    const table = settingsTable(settingRows(schema, (k) => `--${k.toLowerCase()}`));
    expect(table).to.include("| `--flag` | boolean | `false` | h &lt;b>\\|&lt;/b> |");
  });
});
