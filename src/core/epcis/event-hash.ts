import { sha256 } from "@noble/hashes/sha2";
import { bytesToHex } from "@noble/hashes/utils";
import { ValidationError } from "../errors";
import { canonicalTimestamp, canonicalValue } from "./canonical-value";
import { CONTEXT_PREFIXES, VOCABULARIES } from "./vocabulary";

/**
 * The CBV 2.0 canonical event hash (CBV 2.0 section 8.9): an event's fields, normalised and
 * concatenated in a fixed order, hashed with SHA-256 into `ni:///sha-256;<hex>?ver=CBV2.0`. It
 * reproduces the reference generator's vectors (test/data/epcis-event-hash/).
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };
export type EpcisEvent = { [k: string]: JsonValue };

interface Node {
  name: string;
  value: string;
  children: Node[];
}

type Order = readonly (readonly [string, Order | null])[];

const QUANTITY: Order = [
  [
    "quantityElement",
    [
      ["epcClass", null],
      ["quantity", null],
      ["uom", null],
    ],
  ],
];
const EPCS: Order = [["epc", null]];
/** The canonical property order; what it does not name is appended after it, sorted. */
const PROPERTY_ORDER: Order = [
  ["eventTime", null],
  ["eventTimeZoneOffset", null],
  ["certificationInfo", null],
  ["parentID", null],
  ["epcList", EPCS],
  ["inputEPCList", EPCS],
  ["childEPCs", EPCS],
  ["quantityList", QUANTITY],
  ["childQuantityList", QUANTITY],
  ["inputQuantityList", QUANTITY],
  ["outputEPCList", EPCS],
  ["outputQuantityList", QUANTITY],
  ["action", null],
  ["transformationID", null],
  ["bizStep", null],
  ["disposition", null],
  [
    "persistentDisposition",
    [
      ["set", null],
      ["unset", null],
    ],
  ],
  ["readPoint", [["id", null]]],
  ["bizLocation", [["id", null]]],
  [
    "sensorElementList",
    [
      [
        "sensorElement",
        [
          [
            "sensorMetadata",
            [
              "time",
              "startTime",
              "endTime",
              "deviceID",
              "deviceMetadata",
              "rawData",
              "dataProcessingMethod",
              "bizRules",
            ].map((n) => [n, null] as const),
          ],
          [
            "sensorReport",
            [
              "type",
              "exception",
              "deviceID",
              "deviceMetadata",
              "rawData",
              "dataProcessingMethod",
              "time",
              "microorganism",
              "chemicalSubstance",
              "value",
              "component",
              "stringValue",
              "booleanValue",
              "hexBinaryValue",
              "uriValue",
              "minValue",
              "maxValue",
              "meanValue",
              "sDev",
              "percRank",
              "percValue",
              "uom",
              "coordinateReferenceSystem",
            ].map((n) => [n, null] as const),
          ],
        ],
      ],
    ],
  ],
];

/** Event fields that never take part in the hash. */
const IGNORED_EVENT_FIELDS = new Set(["type", "eventID", "recordTime", "errorDeclaration", "@context"]);
/** Fields ignored at any depth. */
const IGNORED = new Set(["comment", "rdfs:comment", "#text"]);
/** List properties whose JSON arrays stand for repeated child elements in the XML model. */
const LIST_ITEM: Record<string, string> = {
  epcList: "epc",
  inputEPCList: "epc",
  outputEPCList: "epc",
  childEPCs: "epc",
  quantityList: "quantityElement",
  childQuantityList: "quantityElement",
  inputQuantityList: "quantityElement",
  outputQuantityList: "quantityElement",
  sensorElementList: "sensorElement",
};
const PAIR_LISTS: Record<string, string> = {
  bizTransactionList: "bizTransaction",
  sourceList: "source",
  destinationList: "destination",
};

interface Scope {
  namespaces: Record<string, string>;
  /** fields the document declares ignored (…:ignoreFields), by name and by expanded name */
  ignore: ReadonlySet<string>;
}

function expandName(key: string, scope: Scope): string {
  const i = key.indexOf(":");
  if (i > 0) {
    const ns = scope.namespaces[key.slice(0, i)];
    if (ns !== undefined) return `{${ns}}${key.slice(i + 1)}`;
  }
  return key;
}

function scalarText(value: JsonValue, path: string, scope: Scope): string {
  if (typeof value === "string") {
    const vocab = VOCABULARIES.get(path);
    const term = vocab?.get(value);
    if (term) return term;
    const i = value.indexOf(":");
    if (i > 0 && scope.namespaces[value.slice(0, i)] !== undefined)
      return scope.namespaces[value.slice(0, i)] + value.slice(i + 1);
    return value;
  }
  return String(value);
}

/** JSON to the XML-shaped node tree the algorithm is defined on. `path` names vocabularies. */
function toNodes(key: string, value: JsonValue, path: string, scope: Scope): Node[] {
  if (value === null) return [];
  const name = expandName(key, scope);
  if (key in PAIR_LISTS && Array.isArray(value)) {
    const item = PAIR_LISTS[key];
    const children = value.map((entry): Node => {
      const e = (entry ?? {}) as Record<string, JsonValue>;
      const parts: Node[] = [];
      if (e.type !== undefined)
        parts.push({ name: "type", value: scalarText(e.type, `${key}.type`, scope), children: [] });
      if (e[item] !== undefined)
        parts.push({ name: item, value: scalarText(e[item], `${key}.${item}`, scope), children: [] });
      return { name: "", value: "", children: parts };
    });
    return [{ name, value: "", children }];
  }
  if (key in LIST_ITEM && Array.isArray(value)) {
    const item = LIST_ITEM[key];
    return [{ name, value: "", children: value.flatMap((v) => toNodes(item, v, `${path}`, scope)) }];
  }
  if (Array.isArray(value)) return value.flatMap((v) => toNodes(key, v, path, scope));
  if (typeof value === "object") {
    const children = Object.entries(value)
      .filter(([k]) => !IGNORED.has(k) && !isIgnored(k, scope))
      .flatMap(([k, v]) => toNodes(k, v, `${path}.${k}`, scope));
    return [{ name, value: "", children }];
  }
  return [{ name, value: scalarText(value, path, scope), children: [] }];
}

function isTimeField(name: string): boolean {
  const n = name.toLowerCase();
  return n.includes("time") && !n.includes("offset");
}

function isUserExtension(name: string): boolean {
  return name.startsWith("{") && name.includes("/}");
}

/** Renders the nodes of `list` named in `order`, removing what it consumes from `list`. */
function renderOrdered(list: Node[], order: Order, topLevel: boolean): string {
  let extensions: Node[] = [];
  if (!topLevel && list.length > 1) {
    extensions = list.filter((n) => isUserExtension(n.name));
    for (const e of extensions) list.splice(list.indexOf(e), 1);
  }
  let out = "";
  for (const [name, sub] of order) {
    const matching = list.filter((n) => n.name === name);
    const rendered: string[] = [];
    for (const child of matching) {
      const grand = sub ? renderOrdered(child.children, sub, false) : "";
      let text = "";
      if (child.value) {
        const trimmed = child.value.trim();
        text = isTimeField(child.name) ? canonicalTimestamp(trimmed) : canonicalValue(trimmed);
      }
      if (text || grand) rendered.push(child.name + (text ? "=" + text : "") + grand);
      if (child.children.length === 0) list.splice(list.indexOf(child), 1);
    }
    rendered.sort(compareCodeUnits);
    out += rendered.join("");
  }
  if (extensions.length > 0) out += renderGeneric(extensions);
  return out;
}

/** Renders nodes outside the canonical order: name=value and children, sorted. */
function renderGeneric(nodes: Node[]): string {
  const parts = nodes.map((n) => {
    if (n.name === "") return renderGeneric(n.children);
    const text = n.value.trim() ? "=" + canonicalValue(n.value.trim()) : "";
    return n.name + text + renderGeneric(n.children);
  });
  const keepOrder = nodes.some((n) => n.name === "bizTransaction" || n.name === "source" || n.name === "destination");
  if (!keepOrder) parts.sort(compareCodeUnits);
  return parts.join("");
}

/** Sorting by UTF-16 code units, which matches the reference's code point order on these strings. */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Namespace prefixes in force for an event: the EPCIS context's own, then the document's inline ones. */
export function namespacesOf(context: JsonValue | undefined): Record<string, string> {
  const namespaces: Record<string, string> = { ...CONTEXT_PREFIXES };
  for (const c of Array.isArray(context) ? context : context ? [context] : []) {
    if (c && typeof c === "object" && !Array.isArray(c)) {
      for (const [k, v] of Object.entries(c)) if (typeof v === "string" && !k.startsWith("@")) namespaces[k] = v;
    }
  }
  return namespaces;
}

function isIgnored(key: string, scope: Scope): boolean {
  return scope.ignore.size > 0 && (scope.ignore.has(key) || scope.ignore.has(expandName(key, scope)));
}

/** The fields an EPCIS document declares ignored by the hash: `ignoreFields` (or `<prefix>:ignoreFields`) at its top level or in its query results. */
export function ignoredFieldsOf(document: { [k: string]: JsonValue }): string[] {
  const out: string[] = [];
  const body = document.epcisBody as { [k: string]: JsonValue } | undefined;
  const results = body?.queryResults as { [k: string]: JsonValue } | undefined;
  for (const holder of [document, results]) {
    if (!holder || typeof holder !== "object" || Array.isArray(holder)) continue;
    for (const [k, v] of Object.entries(holder))
      if ((k === "ignoreFields" || k.endsWith(":ignoreFields")) && Array.isArray(v))
        for (const f of v) if (typeof f === "string") out.push(f);
  }
  return out;
}

/** The canonical pre-hash string of one event (CBV 2.0 section 8.9.2). */
export function eventPreHash(event: EpcisEvent, context?: JsonValue, ignore: readonly string[] = []): string {
  if (!event || typeof event !== "object" || typeof event.type !== "string") {
    throw new ValidationError("type", event?.type, "an EPCIS event has a string type");
  }
  const namespaces = namespacesOf(context ?? (event["@context"] as JsonValue | undefined));
  const scope: Scope = { namespaces, ignore: new Set() };
  // an ignored field is matched as written and as expanded ({namespace}name)
  scope.ignore = new Set(ignore.flatMap((f) => [f, expandName(f, scope)]));
  const nodes = Object.entries(event)
    .filter(([k]) => !IGNORED.has(k) && !IGNORED_EVENT_FIELDS.has(k) && !isIgnored(k, scope))
    .flatMap(([k, v]) => toNodes(k, v, k, scope));
  const ordered = renderOrdered(nodes, PROPERTY_ORDER, true);
  return `eventType=${event.type}${ordered}${renderGeneric(nodes)}`;
}

/** The raw 32-byte SHA-256 of an event's pre-hash, as 0x-hex (the leaf of the event in its capture). */
export function eventHashBytes(event: EpcisEvent, context?: JsonValue, ignore?: readonly string[]): `0x${string}` {
  return `0x${bytesToHex(sha256(new TextEncoder().encode(eventPreHash(event, context, ignore))))}`;
}

/** The CBV 2.0 event hash of one event: `ni:///sha-256;<hex>?ver=CBV2.0`. */
export function eventHash(event: EpcisEvent, context?: JsonValue, ignore?: readonly string[]): string {
  return toNiUri(eventHashBytes(event, context, ignore));
}

/** The ni URI of a 32-byte SHA-256 digest. */
export function toNiUri(digest: `0x${string}`): string {
  return `ni:///sha-256;${digest.slice(2)}?ver=CBV2.0`;
}

/** The 32-byte digest inside a CBV 2.0 ni URI; throws when `uri` is not one. */
export function fromNiUri(uri: string, field = "eventID"): `0x${string}` {
  const m = /^ni:\/\/\/sha-256;([0-9a-f]{64})\?ver=CBV2\.0$/.exec(uri);
  if (!m) throw new ValidationError(field, uri, "not a CBV 2.0 event hash (ni:///sha-256;<64 hex>?ver=CBV2.0)");
  return `0x${m[1]}`;
}

/** The events of an EPCIS document (or query document) with the context that applies to them. */
export function eventsOf(document: { [k: string]: JsonValue }): {
  events: EpcisEvent[];
  context: JsonValue | undefined;
  /** the fields the document declares ignored by the hash */
  ignore: string[];
  /** the JSON pointer of the event list: /epcisBody/eventList, or a query document's */
  pointer: string;
} {
  const body = document.epcisBody as { [k: string]: JsonValue } | undefined;
  const results = (body?.queryResults as { [k: string]: JsonValue } | undefined)?.resultsBody as
    | { [k: string]: JsonValue }
    | undefined;
  const query = document.type === "EPCISQueryDocument" || (results !== undefined && body?.eventList === undefined);
  const pointer = query ? "/epcisBody/queryResults/resultsBody/eventList" : "/epcisBody/eventList";
  const list = query ? results?.eventList : (body?.eventList ?? (body?.event ? [body.event] : undefined));
  if (!Array.isArray(list)) throw new ValidationError(pointer, list, "an EPCIS document has an event list");
  return { events: list as EpcisEvent[], context: document["@context"], ignore: ignoredFieldsOf(document), pointer };
}

/** Every event hash of an EPCIS document, in document order. */
export function documentEventHashes(document: { [k: string]: JsonValue }): string[] {
  const { events, context, ignore } = eventsOf(document);
  return events.map((e) => eventHash(e, context, ignore));
}
