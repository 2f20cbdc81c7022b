import { DOMParser, type Element } from "@xmldom/xmldom";
import { ValidationError } from "../errors";
import type { JsonValue } from "./event-hash";
import { vocabularyTerm } from "./vocabulary";
import { EPCIS_CONTEXT } from "./epcis-context-url";

/**
 * The XML bindings of EPCIS 2.0 and EPCIS 1.2 read into the JSON-LD event model the rest of the
 * core works on (the hash, validation, capture): the same event gives the same document, whichever
 * binding carried it. 1.2's `extension` and `baseExtension` wrappers fold into their event; user
 * extensions keep their namespace, declared in the document's `@context` under the XML prefix.
 * What has no place in the JSON-LD model is told, event by event, never dropped silently.
 */

export const EPCIS_2_NS = "urn:epcglobal:epcis:xsd:2";
export const EPCIS_1_NS = "urn:epcglobal:epcis:xsd:1";
export const EPCIS_QUERY_NS = { "2": "urn:epcglobal:epcis-query:xsd:2", "1": "urn:epcglobal:epcis-query:xsd:1" };
/** Namespaces of the bindings themselves: never user extensions. */
const BINDING_NAMESPACES = new Set([
  EPCIS_2_NS,
  EPCIS_1_NS,
  EPCIS_QUERY_NS["2"],
  EPCIS_QUERY_NS["1"],
  "urn:epcglobal:epcis-masterdata:xsd:2",
  "urn:epcglobal:epcis-masterdata:xsd:1",
  "http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader",
  "http://www.w3.org/2001/XMLSchema-instance",
  "http://www.w3.org/2000/xmlns/",
  "http://www.w3.org/XML/1998/namespace",
]);

const EVENT_TYPES = new Set([
  "ObjectEvent",
  "AggregationEvent",
  "TransactionEvent",
  "TransformationEvent",
  "AssociationEvent",
]);
const EPC_LISTS = new Set(["epcList", "childEPCs", "inputEPCList", "outputEPCList"]);
const QUANTITY_LISTS = new Set(["quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"]);
const PAIR_LISTS: Record<string, string> = {
  bizTransactionList: "bizTransaction",
  sourceList: "source",
  destinationList: "destination",
};
const TEXT_FIELDS = new Set([
  "eventTime",
  "recordTime",
  "eventTimeZoneOffset",
  "eventID",
  "certificationInfo",
  "action",
  "bizStep",
  "disposition",
  "parentID",
  "transformationID",
]);
const SENSOR_NUMBERS = new Set(["value", "minValue", "maxValue", "meanValue", "sDev", "percRank", "percValue"]);
/** Elements that only wrap their parent's further fields (EPCIS 1.2's, and 2.0's reserved ones). */
const WRAPPERS = new Set(["extension", "baseExtension"]);

/** Something of an XML document the JSON-LD model cannot carry, and where. */
export interface XmlMappingNote {
  /** index of the event in the document's event list, when inside one */
  eventIndex?: number;
  /** the element path, e.g. /EPCISDocument/EPCISBody/EventList/ObjectEvent[2]/extension/foo */
  path: string;
  message: string;
}

export interface XmlDocumentRead {
  /** the document in the JSON-LD binding */
  document: { [k: string]: JsonValue };
  /** which XML binding it came in */
  binding: "2.0" | "1.2";
  notes: XmlMappingNote[];
}

interface Reading {
  prefixes: Map<string, string>;
  notes: XmlMappingNote[];
  eventIndex?: number;
}

const elements = (e: Element): Element[] => {
  const out: Element[] = [];
  for (let n = e.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) out.push(n as Element);
  return out;
};
const textOf = (e: Element): string => (e.textContent ?? "").trim();
const isBinding = (e: Element): boolean => !e.namespaceURI || BINDING_NAMESPACES.has(e.namespaceURI);

/** The JSON-LD key of a user extension element or attribute: its XML prefix and local name. */
function extensionKey(
  node: { namespaceURI: string | null; prefix: string | null; localName: string | null },
  r: Reading,
): string {
  const ns = node.namespaceURI ?? "";
  let prefix = node.prefix ?? "";
  // a prefix JSON-LD would read as a scheme (xmlns:https=...) or none at all: one of our own
  if (!prefix || /^(https?|urn|ni|_)$/i.test(prefix) || (r.prefixes.has(prefix) && r.prefixes.get(prefix) !== ns)) {
    const known = [...r.prefixes].find(([, v]) => v === ns)?.[0];
    prefix = known ?? `ns${r.prefixes.size + 1}`;
  }
  r.prefixes.set(prefix, ns);
  return `${prefix}:${node.localName}`;
}

const XSI = "http://www.w3.org/2001/XMLSchema-instance";
const NUMERIC_XSD =
  /^(?:int|integer|long|short|byte|decimal|float|double|nonNegativeInteger|positiveInteger|unsignedInt|unsignedLong)$/;

/** A leaf's text as JSON: a number or boolean where its xsi:type says so, else the text. */
function typedText(e: Element): JsonValue {
  const text = textOf(e);
  const type = (e.getAttributeNS(XSI, "type") ?? "").replace(/^[^:]*:/, "");
  if (NUMERIC_XSD.test(type) && text !== "" && Number.isFinite(Number(text))) return Number(text);
  if (type === "boolean" && /^(true|false|1|0)$/.test(text)) return text === "true" || text === "1";
  return text;
}

/** A user extension element: text, or an object of its children (a repeated name an array). */
function extensionValue(e: Element, path: string, r: Reading, skip: readonly string[] = []): JsonValue {
  const children = elements(e);
  for (let i = 0; i < e.attributes.length; i++) {
    const a = e.attributes.item(i)!;
    if (a.name === "xmlns" || a.prefix === "xmlns" || a.namespaceURI === XSI || skip.includes(a.name)) continue;
    r.notes.push(note(r, `${path}/@${a.name}`, "an attribute of a user extension element has no JSON-LD form"));
  }
  if (children.length === 0) return typedText(e);
  const out: { [k: string]: JsonValue } = {};
  for (const c of children) {
    const key = isBinding(c) ? (c.localName as string) : extensionKey(c, r);
    const value = extensionValue(c, `${path}/${c.nodeName}`, r);
    const had = out[key];
    out[key] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
  }
  return out;
}

/** A CBV value as the JSON-LD binding writes it: the bare term, when it is the vocabulary's. */
const term = (path: string, value: string): string => vocabularyTerm(path, value) ?? value;

function note(r: Reading, path: string, message: string): XmlMappingNote {
  return { ...(r.eventIndex !== undefined ? { eventIndex: r.eventIndex } : {}), path, message };
}

function numberOf(text: string, path: string): number {
  const n = Number(text);
  if (text === "" || !Number.isFinite(n)) throw new ValidationError(path, text, "not a number");
  return n;
}

/** Attributes as JSON fields: the standard ones by name (typed), extensions by prefixed name. */
function attributesOf(
  e: Element,
  path: string,
  r: Reading,
  typed: (name: string, v: string) => JsonValue,
): { [k: string]: JsonValue } {
  const out: { [k: string]: JsonValue } = {};
  for (let i = 0; i < e.attributes.length; i++) {
    const a = e.attributes.item(i)!;
    if (a.name === "xmlns" || a.prefix === "xmlns") continue;
    if (a.namespaceURI && !BINDING_NAMESPACES.has(a.namespaceURI)) out[extensionKey(a, r)] = a.value;
    else if (!a.namespaceURI) out[a.localName as string] = typed(a.localName as string, a.value.trim());
    else r.notes.push(note(r, `${path}/@${a.name}`, "not part of the JSON-LD model"));
  }
  return out;
}

function sensorElement(e: Element, path: string, r: Reading): JsonValue {
  const out: { [k: string]: JsonValue } = {};
  const reports: JsonValue[] = [];
  const typed = (name: string, v: string): JsonValue =>
    SENSOR_NUMBERS.has(name)
      ? numberOf(v, `${path}/@${name}`)
      : name === "booleanValue"
        ? v === "true" || v === "1"
        : name === "type" || name === "exception" || name === "component"
          ? term(`sensorElementList.sensorReport.${name}`, v)
          : v;
  for (const c of flatten(e)) {
    const at = `${path}/${c.nodeName}`;
    if (!isBinding(c)) out[extensionKey(c, r)] = extensionValue(c, at, r);
    else if (c.localName === "sensorMetadata") out.sensorMetadata = attributesOf(c, at, r, typed);
    else if (c.localName === "sensorReport") reports.push(attributesOf(c, at, r, typed));
    else r.notes.push(note(r, at, "not part of a sensor element"));
  }
  out.sensorReport = reports;
  return out;
}

/** An element's children with 1.2's (and 2.0's reserved) extension wrappers folded in. */
function flatten(e: Element): Element[] {
  return elements(e).flatMap((c) => (isBinding(c) && WRAPPERS.has(c.localName as string) ? flatten(c) : [c]));
}

function eventField(c: Element, at: string, r: Reading): [string, JsonValue] | undefined {
  const name = c.localName as string;
  if (!isBinding(c)) return [extensionKey(c, r), extensionValue(c, at, r)];
  if (name === "bizStep" || name === "disposition") return [name, term(name, textOf(c))];
  if (TEXT_FIELDS.has(name)) return [name, textOf(c)];
  if (EPC_LISTS.has(name)) return [name, flatten(c).map(textOf)];
  if (QUANTITY_LISTS.has(name)) {
    return [
      name,
      flatten(c).map((q, i) => {
        const element: { [k: string]: JsonValue } = {};
        for (const f of flatten(q)) {
          const v = textOf(f);
          // <quantity xsi:nil="true"/>: no quantity stated
          if (f.getAttributeNS("http://www.w3.org/2001/XMLSchema-instance", "nil") === "true") continue;
          element[f.localName as string] =
            f.localName === "quantity" ? numberOf(v, `${at}/quantityElement[${i + 1}]/quantity`) : v;
        }
        return element;
      }),
    ];
  }
  if (name in PAIR_LISTS) {
    return [
      name,
      flatten(c).map((p) => {
        const type = p.getAttribute("type");
        return { ...(type ? { type: term(`${name}.type`, type.trim()) } : {}), [PAIR_LISTS[name]]: textOf(p) };
      }),
    ];
  }
  if (name === "readPoint" || name === "bizLocation") {
    const out: { [k: string]: JsonValue } = {};
    for (const f of flatten(c)) {
      if (!isBinding(f)) out[extensionKey(f, r)] = extensionValue(f, `${at}/${f.nodeName}`, r);
      else out[f.localName as string] = textOf(f);
    }
    return [name, out];
  }
  if (name === "persistentDisposition") {
    const out: { [k: string]: string[] } = {};
    for (const f of flatten(c)) (out[f.localName as string] ??= []).push(term(`${name}.${f.localName}`, textOf(f)));
    return [name, out];
  }
  if (name === "sensorElementList") {
    return [name, flatten(c).map((s, i) => sensorElement(s, `${at}/sensorElement[${i + 1}]`, r))];
  }
  if (name === "ilmd") {
    const out: { [k: string]: JsonValue } = {};
    for (const f of flatten(c)) {
      const key = isBinding(f) ? (f.localName as string) : extensionKey(f, r);
      out[key] = extensionValue(f, `${at}/${f.nodeName}`, r);
    }
    return [name, out];
  }
  if (name === "errorDeclaration") {
    const out: { [k: string]: JsonValue } = {};
    for (const f of flatten(c)) {
      if (!isBinding(f)) out[extensionKey(f, r)] = extensionValue(f, `${at}/${f.nodeName}`, r);
      else if (f.localName === "correctiveEventIDs") out.correctiveEventIDs = flatten(f).map(textOf);
      else if (f.localName === "reason") out.reason = term("errorDeclaration.reason", textOf(f));
      else out[f.localName as string] = textOf(f);
    }
    return [name, out];
  }
  r.notes.push(note(r, at, `no JSON-LD field is named ${name}`));
  return undefined;
}

function eventOf(e: Element, path: string, r: Reading): { [k: string]: JsonValue } {
  const event: { [k: string]: JsonValue } = { type: e.localName as string };
  for (const c of flatten(e)) {
    const field = eventField(c, `${path}/${c.nodeName}`, r);
    if (field) event[field[0]] = field[1];
  }
  return event;
}

/** EPCIS 1.2 puts a TransformationEvent inside an `extension` of the event list. */
function eventElements(list: Element): Element[] {
  return flatten(list).filter((e) => isBinding(e));
}

function masterData(header: Element, r: Reading): JsonValue | undefined {
  const md = elements(header).find((e) => e.localName === "extension" || e.localName === "EPCISMasterData");
  const holder = md?.localName === "extension" ? elements(md).find((e) => e.localName === "EPCISMasterData") : md;
  const list = holder && elements(holder).find((e) => e.localName === "VocabularyList");
  if (!list) return undefined;
  return {
    vocabularyList: elements(list).map((v) => ({
      type: v.getAttribute("type") ?? "",
      vocabularyElementList: flatten(elements(v).find((e) => e.localName === "VocabularyElementList") ?? v)
        .filter((e) => e.localName === "VocabularyElement")
        .map((el) => {
          const attributes = elements(el)
            .filter((a) => a.localName === "attribute")
            .map((a) => ({
              id: a.getAttribute("id") ?? "",
              attribute: extensionValue(a, "VocabularyElement/attribute", r, ["id"]),
            }));
          const children = elements(el).find((c) => c.localName === "children");
          return {
            id: el.getAttribute("id") ?? "",
            ...(attributes.length ? { attributes } : {}),
            ...(children ? { children: elements(children).map(textOf) } : {}),
          };
        }),
    })),
  };
}

/** A query document's results: its query's name, its subscription if any, and the events. */
function queryResults(results: Element, events: JsonValue[]): { [k: string]: JsonValue } {
  const child = (name: string) => elements(results).find((e) => e.localName === name);
  const subscription = child("subscriptionID");
  return {
    queryName: (child("queryName") && textOf(child("queryName")!)) || "SimpleEventQuery",
    ...(subscription ? { subscriptionID: textOf(subscription) } : {}),
    resultsBody: { eventList: events },
  };
}

/** The namespaces of GS1's other EPCIS XML documents (capture jobs, master data documents), by binding. */
const OTHER_ROOTS: Record<string, "2.0" | "1.2"> = {
  [EPCIS_2_NS]: "2.0",
  [EPCIS_1_NS]: "1.2",
  "urn:epcglobal:epcis-masterdata:xsd:2": "2.0",
  "urn:epcglobal:epcis-masterdata:xsd:1": "1.2",
  [EPCIS_QUERY_NS["2"]]: "2.0",
  [EPCIS_QUERY_NS["1"]]: "1.2",
};

/** Parses XML with the guards every reader applies: no DTD subset or entity, well-formed, a root. */
function parsedRoot(text: string): { root: Element; binding?: "2.0" | "1.2" } {
  // a bare <!DOCTYPE name> is harmless; an internal subset could declare entities, never expanded here
  if (/<!DOCTYPE[^>]*\[|<!ENTITY/i.test(text))
    throw new ValidationError(
      "document",
      "<!DOCTYPE [...]>",
      "an EPCIS XML document declares no DTD subset or entities",
    );
  const errors: string[] = [];
  let dom;
  try {
    dom = new DOMParser({
      onError: (level, message) => {
        if (level !== "warning") errors.push(message);
      },
    }).parseFromString(text.replace(/^\uFEFF?\s+/, ""), "text/xml");
  } catch (e) {
    errors.push((e as Error).message);
  }
  if (!dom || errors.length) throw new ValidationError("document", errors[0]?.slice(0, 200), "not well-formed XML");
  const root = dom.documentElement;
  if (!root) throw new ValidationError("document", null, "no root element");
  return { root, binding: OTHER_ROOTS[root.namespaceURI ?? ""] };
}

/**
 * The root of any of GS1's EPCIS XML documents (an EPCISDocument, a query document, a capture
 * job, a master data document) and its binding; undefined binding when it is none of them.
 */
export function xmlRootOf(text: string): { name: string; binding?: "2.0" | "1.2" } {
  const { root, binding } = parsedRoot(text);
  return { name: root.localName ?? "", ...(binding ? { binding } : {}) };
}

/**
 * Reads an EPCIS 2.0 or 1.2 XML document (or query document) into the JSON-LD model. A document
 * that is not well-formed XML, declares a DTD (entities are never expanded), or is not an EPCIS
 * document is refused naming what is wrong.
 */
export function readXmlDocument(text: string): XmlDocumentRead {
  const { root } = parsedRoot(text);
  const ns = root.namespaceURI ?? "";
  const binding =
    ns === EPCIS_2_NS || ns === EPCIS_QUERY_NS["2"]
      ? "2.0"
      : ns === EPCIS_1_NS || ns === EPCIS_QUERY_NS["1"]
        ? "1.2"
        : undefined;
  const query = root.localName === "EPCISQueryDocument";
  if (!binding || (root.localName !== "EPCISDocument" && !query)) {
    throw new ValidationError(
      "document",
      `{${ns}}${root.localName}`,
      "not an EPCIS 2.0 or 1.2 EPCISDocument or EPCISQueryDocument",
    );
  }
  const r: Reading = { prefixes: new Map(), notes: [] };
  const body = elements(root).find((e) => e.localName === "EPCISBody");
  if (!body) throw new ValidationError("/EPCISBody", null, "an EPCIS document has a body");
  const results = query ? elements(body).find((e) => e.localName === "QueryResults") : undefined;
  const holder = query ? elements(results ?? body).find((e) => e.localName === "resultsBody") : body;
  const list = holder && elements(holder).find((e) => e.localName === "EventList");
  const events: JsonValue[] = [];
  const base = `/${root.localName}/EPCISBody${query ? "/QueryResults/resultsBody" : ""}/EventList`;
  eventElements(list ?? body).forEach((e, i) => {
    r.eventIndex = i;
    const path = `${base}/${e.localName}[${i + 1}]`;
    if (!EVENT_TYPES.has(e.localName as string)) {
      r.notes.push(note(r, path, `not an EPCIS event type: ${e.localName}`));
      events.push({ type: e.localName as string });
      return;
    }
    events.push(eventOf(e, path, r));
  });
  r.eventIndex = undefined;
  const header = elements(root).find((e) => e.localName === "EPCISHeader");
  const md = header ? masterData(header, r) : undefined;
  if (header && elements(header).some((e) => e.localName === "StandardBusinessDocumentHeader"))
    r.notes.push(
      note(r, `/${root.localName}/EPCISHeader/StandardBusinessDocumentHeader`, "the SBDH has no JSON-LD form"),
    );
  // a document-level list of fields the event hash ignores: <prefix:ignoreFields><field/>...</prefix:ignoreFields>
  const ignore: [string, JsonValue][] = elements(root)
    .filter((e) => !isBinding(e) && e.localName === "ignoreFields")
    .map((e) => [
      extensionKey(e, r),
      elements(e).map((f) => (isBinding(f) ? (f.localName as string) : extensionKey(f, r))),
    ]);
  const context: JsonValue[] = [EPCIS_CONTEXT];
  if (r.prefixes.size) context.push(Object.fromEntries(r.prefixes));
  const document: { [k: string]: JsonValue } = {
    "@context": context,
    type: query ? "EPCISQueryDocument" : "EPCISDocument",
    schemaVersion: binding === "1.2" ? "2.0" : (root.getAttribute("schemaVersion") ?? "2.0"),
    creationDate: root.getAttribute("creationDate") ?? "",
    ...(md ? { epcisHeader: { epcisMasterData: md } } : {}),
    ...Object.fromEntries(ignore),
    epcisBody: query ? { queryResults: queryResults(results ?? body, events) } : { eventList: events },
  };
  return { document, binding, notes: r.notes };
}

/** Whether a document's text is XML rather than JSON (its first character after any whitespace). */
export function looksLikeXml(text: string): boolean {
  return /^\s*</.test(text);
}
