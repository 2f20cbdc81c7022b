import { z } from "zod";

/** One setting as the configuration reference lists it. */
export interface SettingRow {
  name: string;
  type: string;
  /** the default, or "required", or "optional" */
  default: string;
  description: string;
}

/** What a zod field accepts, in words; its default; whether it may be left out. */
function describeField(field: z.ZodTypeAny): { type: string; default?: unknown; optional: boolean } {
  let t: z.ZodTypeAny = field;
  let fallback: unknown;
  let optional = false;
  for (;;) {
    if (t instanceof z.ZodDefault) {
      fallback = t._def.defaultValue();
      t = t._def.innerType;
    } else if (t instanceof z.ZodOptional) {
      optional = true;
      t = t._def.innerType;
    } else if (t instanceof z.ZodPipeline) {
      t = t._def.out;
    } else if (t instanceof z.ZodEffects) {
      t = t._def.schema;
    } else break;
  }
  return { type: typeName(t), default: fallback, optional };
}

function typeName(t: z.ZodTypeAny): string {
  if (t instanceof z.ZodString) {
    const kinds = t._def.checks.map((c) => c.kind);
    return kinds.includes("url") ? "URL" : kinds.includes("regex") ? "text (pattern)" : "text";
  }
  if (t instanceof z.ZodNumber) {
    const min = t._def.checks.find((c) => c.kind === "min");
    const max = t._def.checks.find((c) => c.kind === "max");
    const bound = (c: { value: number; inclusive: boolean } | undefined, inclusive: string, strict: string) =>
      c && "value" in c ? `${c.inclusive ? inclusive : strict} ${c.value}` : "";
    const range = [bound(min, "≥", ">"), bound(max, "≤", "<")].filter(Boolean).join(", ");
    return `integer${range ? ` (${range})` : ""}`;
  }
  if (t instanceof z.ZodEnum) return (t._def.values as string[]).map((v) => `\`${v}\``).join(" \\| ");
  if (t instanceof z.ZodArray) return "comma-separated list";
  if (t instanceof z.ZodBoolean) return "boolean";
  return t.constructor.name.replace(/^Zod/, "").toLowerCase();
}

const shown = (v: unknown) =>
  v === "" ? "(empty)" : Array.isArray(v) ? (v.length ? v.join(",") : "(empty)") : `\`${String(v)}\``;

/**
 * The rows of a configuration schema, in its order: each setting's type, default and description
 * (from `.describe()`). `names` maps a schema key to what the operator sets (an environment
 * variable, a flag); a schema without descriptions is a bug the caller's test catches.
 */
export function settingRows(schema: z.AnyZodObject, names: (key: string) => string = (k) => k): SettingRow[] {
  return Object.entries(schema.shape as Record<string, z.ZodTypeAny>).map(([key, field]) => {
    const d = describeField(field);
    return {
      name: names(key),
      type: d.type,
      default: d.default !== undefined ? shown(d.default) : d.optional ? "optional" : "**required**",
      description: field.description ?? "",
    };
  });
}

/** A Markdown table of the rows. */
export function settingsTable(rows: readonly SettingRow[]): string {
  // a description is plain text: no table breaks, no HTML (deployments/<chainId>.json)
  const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/</g, "&lt;").replace(/\n/g, " ");
  return [
    "| setting | type | default | what it does |",
    "|---|---|---|---|",
    ...rows.map((r) => `| \`${r.name}\` | ${r.type} | ${r.default} | ${cell(r.description)} |`),
  ].join("\n");
}
