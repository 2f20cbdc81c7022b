import { CANONICAL_ORIGIN, epcUriToDigitalLink } from "../gs1/epc-uri";

/**
 * Value canonicalisation of the CBV 2.0 event hash (CBV 2.0 section 8.9), as the reference
 * generator applies it: legacy CBV URNs to web vocabulary, numbers without redundant zeros, and
 * GS1 identifiers (EPC URIs or Digital Links) to constrained canonical Digital Links.
 */

const LEGACY_CBV: [string, string][] = [
  ["urn:epcglobal:cbv:bizstep:", "https://ref.gs1.org/cbv/BizStep-"],
  ["urn:epcglobal:cbv:disp:", "https://ref.gs1.org/cbv/Disp-"],
  ["urn:epcglobal:cbv:btt:", "https://ref.gs1.org/cbv/BTT-"],
  ["urn:epcglobal:cbv:sdt:", "https://ref.gs1.org/cbv/SDT-"],
  ["urn:epcglobal:cbv:er:", "https://ref.gs1.org/cbv/ER-"],
];

/** A legacy CBV URN (urn:epcglobal:cbv:bizstep:shipping) as the web vocabulary IRI it stands for. */
export function legacyCbvToWeb(text: string): string {
  let t = text;
  if (t.includes("urn:epcglobal:cbv:")) for (const [urn, web] of LEGACY_CBV) t = t.split(urn).join(web);
  return t;
}

/** Python's float() syntax, which the reference generator uses to detect numbers. */
const NUMBER = /^\s*[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?\s*$/;

/** A number as Python's str() prints the reference generator's float (or int when integral). */
export function canonicalNumber(text: string): string | undefined {
  if (!NUMBER.test(text)) return undefined;
  const x = Number(text.replace(/_/g, ""));
  if (!Number.isFinite(x)) return undefined;
  if (Number.isInteger(x)) return BigInt(x).toString();
  // Python repr: shortest round-trip digits, exponent form below 1e-4 or from 1e16
  const exp = Math.floor(Math.log10(Math.abs(x)));
  if (exp < -4 || exp >= 16) {
    const [mant, e] = x.toExponential().split("e");
    const n = Number(e);
    return `${mant}e${n < 0 ? "-" : "+"}${String(Math.abs(n)).padStart(2, "0")}`;
  }
  return String(x);
}

const KEY_AIS = new Set([
  "01",
  "8006",
  "8010",
  "414",
  "417",
  "8017",
  "8018",
  "255",
  "00",
  "253",
  "401",
  "402",
  "8003",
  "8004",
]);
const SHORT_NAMES: Record<string, string> = {
  gtin: "01",
  itip: "8006",
  cpid: "8010",
  gln: "414",
  party: "417",
  gsrnp: "8017",
  gsrn: "8018",
  gcn: "255",
  sscc: "00",
  gdti: "253",
  ginc: "401",
  gsin: "402",
  grai: "8003",
  giai: "8004",
  cpv: "22",
  lot: "10",
  ser: "21",
};
const DL_CHARS = "[\\x22\\x27\\x2D\\x2E\\x30-\\x39\\x3B-\\x3F\\x41-\\x5A\\x5F\\x61-\\x7A]";
const VALID_FORM_SOURCES = [
  `00/\\d{18}`,
  `01/\\d{14}/21/${DL_CHARS}{0,20}`,
  `01/\\d{14}/10/${DL_CHARS}{0,20}`,
  `01/\\d{14}`,
  `01/\\d{14}/235/${DL_CHARS}{0,28}`,
  `253/\\d{13}${DL_CHARS}{0,17}`,
  `255/\\d{13}\\d{0,12}`,
  `401/${DL_CHARS}{0,30}`,
  `402/\\d{17}`,
  `414/\\d{13}`,
  `414/\\d{13}/254/${DL_CHARS}{0,20}`,
  `417/\\d{13}`,
  `8003/\\d{14}${DL_CHARS}{0,16}`,
  `8004/${DL_CHARS}{0,30}`,
  `8006/\\d{18}/21/${DL_CHARS}{0,20}`,
  `8006/\\d{18}/10/${DL_CHARS}{0,20}`,
  `8006/\\d{18}`,
  `8010/[\\x23\\x2D\\x2F\\x30-\\x39\\x41-\\x5A]{0,30}/8011/\\d{0,12}`,
  `8010/[\\x23\\x2D\\x2F\\x30-\\x39\\x41-\\x5A]{0,30}`,
  `8017/\\d{18}`,
  `8018/\\d{18}`,
];
/** The valid forms by primary key, so a path is tested only against its own key's forms. */
const FORMS_BY_KEY = new Map<string, RegExp[]>();
for (const f of VALID_FORM_SOURCES) {
  const key = f.slice(0, f.indexOf("/"));
  FORMS_BY_KEY.set(key, [...(FORMS_BY_KEY.get(key) ?? []), new RegExp(`^${f}$`)]);
}

const CANONICAL_PREFIX = `${CANONICAL_ORIGIN}/`;

/** A link already in canonical form (what most line systems send) is its own canonical form. */
function isCanonicalAlready(uri: string): boolean {
  if (!uri.startsWith(CANONICAL_PREFIX) || uri.includes("?") || uri.includes("#")) return false;
  const path = uri.slice(CANONICAL_PREFIX.length);
  return FORMS_BY_KEY.get(path.slice(0, path.indexOf("/")))?.some((re) => re.test(path)) ?? false;
}

/**
 * The constrained canonical form of a GS1 Digital Link: id.gs1.org, AIs instead of short names, no
 * query, GTIN-14, no CPV, and only the finest key qualifier (a serial drops the lot). Undefined when
 * `uri` is not a Digital Link with a GS1 primary key.
 */
export function canonicalDigitalLink(uri: string): string | undefined {
  if (isCanonicalAlready(uri)) return uri;
  const m = /^https?:\/\/[^/?#]*(\/[^?#]*)/.exec(uri);
  if (!m) return undefined;
  const segments = m[1].split("/").slice(1);
  if (segments[segments.length - 1] === "") segments.pop();
  const start = segments.findIndex(
    (s, i) =>
      (KEY_AIS.has(s) || (SHORT_NAMES[s] && KEY_AIS.has(SHORT_NAMES[s]))) && /^\d{4}/.test(segments[i + 1] ?? ""),
  );
  if (start < 0) return undefined;
  const rest = segments.slice(start).map((s, i) => (i % 2 === 0 ? (SHORT_NAMES[s] ?? s) : s));
  if (rest.length % 2 === 1) return undefined;
  const key = rest[0];
  let value = rest[1];
  if (key === "01" && [8, 12, 13].includes(value.length) && /^\d+$/.test(value)) value = value.padStart(14, "0");
  const qualifiers = new Map<string, string>();
  for (let i = 2; i + 1 < rest.length; i += 2) qualifiers.set(rest[i], rest[i + 1]);
  qualifiers.delete("22");
  if (qualifiers.has("21")) qualifiers.delete("10");
  const path = [key, value, ...[...qualifiers].flat()].join("/");
  return FORMS_BY_KEY.get(key)?.some((re) => re.test(path)) ? `${CANONICAL_ORIGIN}/${path}` : undefined;
}

/** The canonical form of any value in the pre-hash string. */
export function canonicalValue(text: string): string {
  let t = legacyCbvToWeb(text);
  t = canonicalNumber(t) ?? t;
  return epcUriToDigitalLink(t) ?? canonicalDigitalLink(t) ?? t;
}

/**
 * A timestamp in UTC at millisecond precision ("Z"), the fourth decimal rounding half up. Text that
 * is not an ISO 8601 date-time is returned as is.
 */
export function canonicalTimestamp(text: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  if (!m) return text;
  const frac = (m[5] ?? "").padEnd(4, "0");
  let ms = Number(frac.slice(0, 3));
  if (Number(frac[3]) >= 5) ms += 1;
  const zone = !m[6] || m[6] === "Z" ? "Z" : m[6].length === 5 ? `${m[6].slice(0, 3)}:${m[6].slice(3)}` : m[6];
  const base = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}${zone}`);
  if (Number.isNaN(base)) return text;
  return new Date(base + ms).toISOString();
}
