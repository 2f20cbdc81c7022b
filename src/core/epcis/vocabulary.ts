import { legacyCbvToWeb } from "./canonical-value";
import context from "./data/epcis-context.json";

/**
 * Vocabulary the EPCIS 2.0 JSON-LD context gives bare values and prefixed names, derived once from
 * the local copy of the context (data/epcis-context.json), never fetched.
 */

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
const root = (context as unknown as { "@context": Record<string, Json> })["@context"];

/** Prefixes defined at the context's top level (cbv, gs1, cbvmda, ...). */
export const CONTEXT_PREFIXES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(root).filter(([, v]) => typeof v === "string" && /^[a-z]+:.*[/#:]$/.test(v as string)) as [
    string,
    string,
  ][],
);

function expandCurie(value: string): string {
  const i = value.indexOf(":");
  if (i > 0 && CONTEXT_PREFIXES[value.slice(0, i)]) return CONTEXT_PREFIXES[value.slice(0, i)] + value.slice(i + 1);
  return value;
}

/** term -> IRI maps of the @vocab-typed properties, keyed by the property's path ("bizStep",
 * "bizTransactionList.type", "sensorElementList.sensorReport.type", ...). */
export const VOCABULARIES: ReadonlyMap<string, ReadonlyMap<string, string>> = (() => {
  const out = new Map<string, Map<string, string>>();
  const walk = (ctx: Json, path: string[]): void => {
    const items = Array.isArray(ctx) ? ctx : [ctx];
    for (const item of items) {
      if (!item || typeof item !== "object" || Array.isArray(item)) continue;
      for (const [key, def] of Object.entries(item)) {
        if (!def || typeof def !== "object" || Array.isArray(def)) continue;
        const here = [...path, key];
        const scoped = (def as Record<string, Json>)["@context"];
        const terms = new Map<string, string>();
        for (const c of Array.isArray(scoped) ? scoped : [scoped]) {
          if (!c || typeof c !== "object" || Array.isArray(c)) continue;
          for (const [t, iri] of Object.entries(c))
            if (typeof iri === "string" && !t.startsWith("@")) terms.set(t, expandCurie(iri));
        }
        if (
          terms.size > 0 &&
          ((def as Record<string, Json>)["@type"] === "@vocab" || key === "persistentDisposition")
        ) {
          out.set(here.join("."), terms);
        }
        if (scoped) walk(scoped, here);
      }
    }
  };
  walk(root, []);
  // dispositions set and unset by persistentDisposition use the disposition vocabulary
  const disp = out.get("disposition");
  if (disp) {
    out.set("persistentDisposition.set", disp);
    out.set("persistentDisposition.unset", disp);
  }
  return out;
})();

/** IRI -> term maps of the same vocabularies, built on first use. */
let inverse: Map<string, Map<string, string>> | undefined;

/**
 * The bare term the JSON-LD binding writes for a vocabulary value, whichever form it came in (the
 * legacy URN `urn:epcglobal:cbv:bizstep:shipping`, the web IRI, a compact `cbv:BizStep-shipping`);
 * undefined when the value is not one of the vocabulary's (a user's own IRI stays as it is).
 */
export function vocabularyTerm(path: string, value: string): string | undefined {
  inverse ??= new Map([...VOCABULARIES].map(([k, terms]) => [k, new Map([...terms].map(([t, iri]) => [iri, t]))]));
  const terms = inverse.get(path);
  if (!terms) return undefined;
  if (VOCABULARIES.get(path)?.has(value)) return value;
  return terms.get(expandCurie(legacyCbvToWeb(value)));
}
