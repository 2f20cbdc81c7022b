import type { JsonValue } from "./event-hash";
import context from "./data/epcis-context.json";

/**
 * A document's identifiers read the JSON-LD way, offline: the EPCIS 2.0 context (data/) and the
 * document's own inline contexts give prefixes, terms and a default vocabulary; a blank node
 * (`_:event1`), a compact IRI (`example:myField`, `gs1:Temperature`) or a term the context defines
 * is then an identifier as much as an absolute IRI is. Remote contexts other than EPCIS's are not
 * fetched: their terms are unknown, and only what is an IRI on its face counts.
 */

type ContextObject = { [k: string]: JsonValue };
const standard = (context as unknown as { "@context": ContextObject })["@context"];

export interface ActiveContext {
  /** prefix or term -> IRI (or keyword, for aliases such as "type" -> "@type") */
  terms: ReadonlyMap<string, string>;
  /** the default vocabulary (`@vocab`), if a context sets one */
  vocab?: string;
}

function addContext(terms: Map<string, string>, c: ContextObject): string | undefined {
  let vocab: string | undefined;
  for (const [key, def] of Object.entries(c)) {
    if (key === "@vocab" && typeof def === "string") vocab = def;
    if (key.startsWith("@")) continue;
    if (typeof def === "string") terms.set(key, def);
    else if (def && typeof def === "object" && !Array.isArray(def) && typeof def["@id"] === "string")
      terms.set(key, def["@id"]);
  }
  return vocab;
}

const STANDARD_TERMS = new Map<string, string>();
const STANDARD_VOCAB = addContext(STANDARD_TERMS, standard);
const STANDARD: ActiveContext = {
  terms: STANDARD_TERMS,
  ...(STANDARD_VOCAB !== undefined ? { vocab: STANDARD_VOCAB } : {}),
};

/** The active context of a document (or event) whose `@context` is `value`, on top of EPCIS's own. */
export function activeContextOf(value: JsonValue | undefined): ActiveContext {
  const inline = (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]).filter(
    (c): c is ContextObject => !!c && typeof c === "object" && !Array.isArray(c),
  );
  if (inline.length === 0) return STANDARD;
  const terms = new Map(STANDARD_TERMS);
  let vocab = STANDARD_VOCAB;
  for (const c of inline) vocab = addContext(terms, c) ?? vocab;
  return { terms, ...(vocab !== undefined ? { vocab } : {}) };
}

/** Characters RFC 3987 never lets into an IRI: controls, whitespace and the delimiters it excludes. */
const FORBIDDEN = '[^\\s<>"{}|\\\\^`\\u0000-\\u001f\\u007f]';
/** RFC 3987's absolute IRI, loosely: a scheme, a colon, and none of the forbidden characters. */
const ABSOLUTE_IRI = new RegExp(`^[A-Za-z][A-Za-z0-9+.-]*:${FORBIDDEN}*$`, "u");
/** A JSON-LD blank node identifier. */
const BLANK_NODE = new RegExp(`^_:${FORBIDDEN}+$`, "u");

export function isBlankNode(value: string): boolean {
  return BLANK_NODE.test(value);
}

/**
 * The IRI a value stands for in `ctx`: a compact IRI's prefix expanded, a term as the context
 * defines it, a bare name against the default vocabulary; undefined when it stands for none. A
 * blank node stands for itself.
 */
export function expandIri(value: string, ctx: ActiveContext): string | undefined {
  if (isBlankNode(value)) return value;
  const colon = value.indexOf(":");
  if (colon > 0 && !value.startsWith("//", colon + 1)) {
    const prefix = ctx.terms.get(value.slice(0, colon));
    if (prefix !== undefined && !prefix.startsWith("@")) return prefix + value.slice(colon + 1);
  }
  if (ABSOLUTE_IRI.test(value)) return value;
  const term = ctx.terms.get(value);
  if (term !== undefined) return term.startsWith("@") ? term : expandIri(term, ctx);
  if (ctx.vocab !== undefined && value !== "" && !value.includes(":")) return ctx.vocab + value;
  return undefined;
}

/** Whether a value is an identifier in `ctx` (an IRI, a blank node, a compact IRI or a defined term). */
export function isIdentifier(value: string, ctx: ActiveContext): boolean {
  const iri = expandIri(value, ctx);
  return iri !== undefined && (iri.startsWith("@") || isBlankNode(iri) || ABSOLUTE_IRI.test(iri));
}
