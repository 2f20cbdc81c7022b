import { ValidationError } from "../errors";
import { eventsOf, type JsonValue } from "./event-hash";
import { activeContextOf } from "./json-ld-context";
import { VOCABULARIES } from "./vocabulary";
import { EPCIS_2_NS, EPCIS_QUERY_NS } from "./xml-binding";

/**
 * A JSON-LD EPCIS document written in the EPCIS 2.0 XML binding, as GS1's converter writes it:
 * fields in the XSD's order, CBV terms as their URNs, user extensions under their namespaces. Read
 * back (xml-binding.ts), every event hashes as it did.
 */

type Obj = { [k: string]: JsonValue };
const isObj = (v: JsonValue | undefined): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);

/** The fields every event begins with (EPCISEventType), then each type's own, in the XSD's order. */
const BASE = ["eventTime", "recordTime", "eventTimeZoneOffset", "eventID", "errorDeclaration", "certificationInfo"];
const TAIL = ["sourceList", "destinationList", "sensorElementList", "persistentDisposition"];
const WHERE = ["readPoint", "bizLocation"];
const ORDER: Record<string, string[]> = {
  ObjectEvent: [
    ...BASE,
    "epcList",
    "action",
    "bizStep",
    "disposition",
    ...WHERE,
    "bizTransactionList",
    "quantityList",
    ...TAIL,
    "ilmd",
  ],
  AggregationEvent: [
    ...BASE,
    "parentID",
    "childEPCs",
    "action",
    "bizStep",
    "disposition",
    ...WHERE,
    "bizTransactionList",
    "childQuantityList",
    ...TAIL,
  ],
  TransactionEvent: [
    ...BASE,
    "bizTransactionList",
    "parentID",
    "epcList",
    "action",
    "bizStep",
    "disposition",
    ...WHERE,
    "quantityList",
    ...TAIL,
  ],
  TransformationEvent: [
    ...BASE,
    "inputEPCList",
    "inputQuantityList",
    "outputEPCList",
    "outputQuantityList",
    "transformationID",
    "bizStep",
    "disposition",
    ...WHERE,
    "bizTransactionList",
    ...TAIL,
    "ilmd",
  ],
  AssociationEvent: [
    ...BASE,
    "parentID",
    "childEPCs",
    "childQuantityList",
    "action",
    "bizStep",
    "disposition",
    ...WHERE,
    "bizTransactionList",
    ...TAIL,
  ],
};
const EPC_LISTS = new Set(["epcList", "childEPCs", "inputEPCList", "outputEPCList"]);
const QUANTITY_LISTS = new Set(["quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"]);
const PAIRS: Record<string, string> = {
  bizTransactionList: "bizTransaction",
  sourceList: "source",
  destinationList: "destination",
};
/** The legacy URN prefix of each CBV vocabulary, by the path VOCABULARIES names it. */
const URN_OF: Record<string, [string, string]> = {
  bizStep: ["https://ref.gs1.org/cbv/BizStep-", "urn:epcglobal:cbv:bizstep:"],
  disposition: ["https://ref.gs1.org/cbv/Disp-", "urn:epcglobal:cbv:disp:"],
  "persistentDisposition.set": ["https://ref.gs1.org/cbv/Disp-", "urn:epcglobal:cbv:disp:"],
  "persistentDisposition.unset": ["https://ref.gs1.org/cbv/Disp-", "urn:epcglobal:cbv:disp:"],
  "bizTransactionList.type": ["https://ref.gs1.org/cbv/BTT-", "urn:epcglobal:cbv:btt:"],
  "sourceList.type": ["https://ref.gs1.org/cbv/SDT-", "urn:epcglobal:cbv:sdt:"],
  "destinationList.type": ["https://ref.gs1.org/cbv/SDT-", "urn:epcglobal:cbv:sdt:"],
  "errorDeclaration.reason": ["https://ref.gs1.org/cbv/ER-", "urn:epcglobal:cbv:er:"],
};

// a carriage return survives XML only as a character reference, and an attribute's whitespace too
const escapeText = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r/g, "&#13;");
const escapeAttr = (s: string) => escapeText(s).replace(/"/g, "&quot;").replace(/\t/g, "&#9;").replace(/\n/g, "&#10;");
const scalar = (v: JsonValue | undefined): string =>
  v === undefined || v === null ? "" : typeof v === "string" ? v : JSON.stringify(v);

/** A vocabulary value as the XML binding writes it: the URN of a CBV term, the full IRI of a GS1 Web one. */
function vocabularyValue(path: string, value: string): string {
  const iri = VOCABULARIES.get(path)?.get(value);
  if (!iri) return value;
  const urn = URN_OF[path];
  return urn && iri.startsWith(urn[0]) ? urn[1] + iri.slice(urn[0].length) : iri;
}

interface Writing {
  /** prefix -> namespace of the user extensions written */
  namespaces: Map<string, string>;
  /** whether a typed value was written (the root then declares xsi and xsd) */
  typed?: boolean;
  prefixes: ReadonlyMap<string, string>;
}

/** A user extension's element name, its namespace declared on the root. */
function extensionName(key: string, w: Writing, field: string): string {
  const i = key.indexOf(":");
  const prefix = i > 0 ? key.slice(0, i) : "";
  const ns = prefix ? w.prefixes.get(prefix) : undefined;
  if (!ns || !/^[A-Za-z_][\w.-]*$/.test(prefix) || !/^[A-Za-z_][\w.-]*$/.test(key.slice(i + 1)))
    throw new ValidationError(field, key, "a user extension needs a prefix the document's @context defines");
  w.namespaces.set(prefix, ns);
  return key;
}

function extension(name: string, value: JsonValue, w: Writing, field: string, indent: string): string {
  if (Array.isArray(value)) return value.map((v, i) => extension(name, v, w, `${field}/${i}`, indent)).join("");
  if (isObj(value)) {
    const inner = Object.entries(value)
      .map(([k, v]) =>
        extension(k.includes(":") ? extensionName(k, w, `${field}/${k}`) : k, v, w, `${field}/${k}`, indent + "  "),
      )
      .join("");
    return `${indent}<${name}>\n${inner}${indent}</${name}>\n`;
  }
  // a number or a boolean keeps its type through XML (xsi:type), as the reader gives it back
  const type =
    typeof value === "number"
      ? Number.isInteger(value)
        ? "xsd:integer"
        : "xsd:double"
      : typeof value === "boolean"
        ? "xsd:boolean"
        : undefined;
  if (type) w.typed = true;
  return `${indent}<${name}${type ? ` xsi:type="${type}"` : ""}>${escapeText(scalar(value))}</${name}>\n`;
}

function field(name: string, value: JsonValue, w: Writing, at: string, i: string): string {
  const el = (tag: string, text: string, attrs = "") => `${i}<${tag}${attrs}>${escapeText(text)}</${tag}>\n`;
  if (EPC_LISTS.has(name) && Array.isArray(value))
    return `${i}<${name}>\n${value.map((v) => el("epc", scalar(v)).replace(/^/, "  ")).join("")}${i}</${name}>\n`;
  if (QUANTITY_LISTS.has(name) && Array.isArray(value)) {
    const items = value.map((q) => {
      const o = isObj(q) ? q : {};
      const parts = ["epcClass", "quantity", "uom"]
        .filter((k) => o[k] !== undefined)
        .map((k) => `${i}    <${k}>${escapeText(scalar(o[k]))}</${k}>\n`)
        .join("");
      return `${i}  <quantityElement>\n${parts}${i}  </quantityElement>\n`;
    });
    return `${i}<${name}>\n${items.join("")}${i}</${name}>\n`;
  }
  if (name in PAIRS && Array.isArray(value)) {
    const items = value.map((p) => {
      const o = isObj(p) ? p : {};
      const type = o.type !== undefined ? ` type="${escapeAttr(vocabularyValue(`${name}.type`, scalar(o.type)))}"` : "";
      return `  ${el(PAIRS[name], scalar(o[PAIRS[name]]), type)}`;
    });
    return `${i}<${name}>\n${items.join("")}${i}</${name}>\n`;
  }
  if ((name === "readPoint" || name === "bizLocation") && isObj(value)) {
    const ext = Object.entries(value)
      .filter(([k]) => k !== "id")
      .map(([k, v]) => extension(extensionName(k, w, `${at}/${k}`), v, w, `${at}/${k}`, i + "  "))
      .join("");
    return `${i}<${name}>\n  ${el("id", scalar(value.id))}${ext}${i}</${name}>\n`;
  }
  if (name === "persistentDisposition" && isObj(value)) {
    const parts = ["unset", "set"].flatMap((k) =>
      (Array.isArray(value[k]) ? (value[k] as JsonValue[]) : []).map(
        (v) => `  ${el(k, vocabularyValue(`persistentDisposition.${k}`, scalar(v)))}`,
      ),
    );
    return `${i}<${name}>\n${parts.join("")}${i}</${name}>\n`;
  }
  if (name === "errorDeclaration" && isObj(value)) {
    let inner = "";
    if (value.declarationTime !== undefined) inner += `  ${el("declarationTime", scalar(value.declarationTime))}`;
    if (value.reason !== undefined)
      inner += `  ${el("reason", vocabularyValue("errorDeclaration.reason", scalar(value.reason)))}`;
    if (Array.isArray(value.correctiveEventIDs))
      inner += `${i}  <correctiveEventIDs>\n${value.correctiveEventIDs.map((v) => `    ${el("correctiveEventID", scalar(v))}`).join("")}${i}  </correctiveEventIDs>\n`;
    for (const [k, v] of Object.entries(value))
      if (!["declarationTime", "reason", "correctiveEventIDs"].includes(k))
        inner += extension(extensionName(k, w, `${at}/${k}`), v, w, `${at}/${k}`, i + "  ");
    return `${i}<${name}>\n${inner}${i}</${name}>\n`;
  }
  if (name === "sensorElementList" && Array.isArray(value)) {
    const attrs = (o: Obj, path: string) =>
      Object.entries(o)
        .map(([k, v]) => {
          const key = k.includes(":") ? extensionName(k, w, `${at}/${k}`) : k;
          const text =
            k === "type" || k === "exception" || k === "component" ? vocabularyValue(path + k, scalar(v)) : scalar(v);
          return ` ${key}="${escapeAttr(text)}"`;
        })
        .join("");
    const elements = value.map((s, n) => {
      const o = isObj(s) ? s : {};
      let inner = "";
      if (isObj(o.sensorMetadata)) inner += `${i}    <sensorMetadata${attrs(o.sensorMetadata, "")}/>\n`;
      for (const r of Array.isArray(o.sensorReport) ? o.sensorReport : [])
        inner += `${i}    <sensorReport${attrs(isObj(r) ? r : {}, "sensorElementList.sensorReport.")}/>\n`;
      for (const [k, v] of Object.entries(o))
        if (k !== "sensorMetadata" && k !== "sensorReport" && k !== "type")
          inner += extension(extensionName(k, w, `${at}/${n}/${k}`), v, w, `${at}/${n}/${k}`, i + "    ");
      return `${i}  <sensorElement>\n${inner}${i}  </sensorElement>\n`;
    });
    return `${i}<${name}>\n${elements.join("")}${i}</${name}>\n`;
  }
  if (name === "ilmd" && isObj(value)) {
    const inner = Object.entries(value)
      .map(([k, v]) => extension(extensionName(k, w, `${at}/${k}`), v, w, `${at}/${k}`, i + "  "))
      .join("");
    return `${i}<${name}>\n${inner}${i}</${name}>\n`;
  }
  if (name === "bizStep" || name === "disposition") return el(name, vocabularyValue(name, scalar(value)));
  return el(name, scalar(value));
}

function eventXml(event: Obj, w: Writing, at: string): string {
  const type = scalar(event.type);
  const i = "        ";
  let out = "";
  const order = ORDER[type];
  if (!order) throw new ValidationError(`${at}/type`, type, "not an EPCIS event type the XML binding has");
  for (const name of order)
    if (event[name] !== undefined && event[name] !== null) out += field(name, event[name], w, `${at}/${name}`, i);
  for (const [k, v] of Object.entries(event)) {
    if (k === "type" || k === "@context" || order.includes(k)) continue;
    out += extension(extensionName(k, w, `${at}/${k}`), v, w, `${at}/${k}`, i);
  }
  return `      <${type}>\n${out}      </${type}>\n`;
}

/** The master data of a document's header (epcisHeader.epcisMasterData) in the XML binding's EPCISHeader. */
function headerXml(document: Obj, w: Writing): string {
  const header = isObj(document.epcisHeader) ? document.epcisHeader : undefined;
  const md = header && isObj(header.epcisMasterData) ? header.epcisMasterData : undefined;
  if (!md || !Array.isArray(md.vocabularyList)) return "";
  const i = "            ";
  const vocabularies = md.vocabularyList.filter(isObj).map((v, n) => {
    const elements = (Array.isArray(v.vocabularyElementList) ? v.vocabularyElementList : []).filter(isObj).map((el) => {
      const attributes = (Array.isArray(el.attributes) ? el.attributes : []).filter(isObj).map((a) => {
        const value = a.attribute;
        const at = `/epcisHeader/epcisMasterData/vocabularyList/${n}`;
        const inner = isObj(value)
          ? "\n" +
            Object.entries(value)
              .map(([k, x]) =>
                extension(k.includes(":") ? extensionName(k, w, `${at}/${k}`) : k, x, w, `${at}/${k}`, i + "    "),
              )
              .join("") +
            i +
            "  "
          : escapeText(scalar(value));
        return `${i}  <attribute id="${escapeAttr(scalar(a.id))}">${inner}</attribute>\n`;
      });
      const children = Array.isArray(el.children)
        ? `${i}  <children>\n${el.children.map((c) => `${i}    <id>${escapeText(scalar(c))}</id>\n`).join("")}${i}  </children>\n`
        : "";
      return `${i}<VocabularyElement id="${escapeAttr(scalar(el.id))}">\n${attributes.join("")}${children}${i}</VocabularyElement>\n`;
    });
    return `        <Vocabulary type="${escapeAttr(scalar(v.type))}">\n          <VocabularyElementList>\n${elements.join("")}          </VocabularyElementList>\n        </Vocabulary>\n`;
  });
  return `  <EPCISHeader>\n    <extension>\n      <EPCISMasterData>\n        <VocabularyList>\n${vocabularies.join("")}        </VocabularyList>\n      </EPCISMasterData>\n    </extension>\n  </EPCISHeader>\n`;
}

/** Writes a JSON-LD EPCIS document (or query document) in the EPCIS 2.0 XML binding. */
export function writeXmlDocument(document: Obj): string {
  const { events, pointer } = eventsOf(document);
  const ctx = activeContextOf(document["@context"]);
  const w: Writing = {
    namespaces: new Map(),
    prefixes: new Map([...ctx.terms].filter(([, v]) => /^[A-Za-z][\w+.-]*:/.test(v))),
  };
  const body = events.map((e, n) => eventXml(isObj(e) ? e : {}, w, `${pointer}/${n}`)).join("");
  const header = headerXml(document, w);
  const query = document.type === "EPCISQueryDocument";
  // the document's list of fields its event hashes ignore, as the XML binding carries it
  const ignoreLists = Object.entries(document)
    .filter(([k, v]) => k.endsWith(":ignoreFields") && Array.isArray(v))
    .map(([k, v]) => {
      const fields = (v as JsonValue[]).map((f) => {
        const name = scalar(f);
        return `    <${name.includes(":") ? extensionName(name, w, `/${k}`) : name}/>\n`;
      });
      return `  <${extensionName(k, w, `/${k}`)}>\n${fields.join("")}  </${k}>\n`;
    })
    .join("");
  const ns =
    [...w.namespaces].map(([p, u]) => ` xmlns:${p}="${escapeAttr(u)}"`).join("") +
    (w.typed
      ? ` xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"`
      : "");
  const attrs = ` schemaVersion="2.0" creationDate="${escapeAttr(scalar(document.creationDate))}"`;
  if (query) {
    const results =
      isObj(document.epcisBody) && isObj(document.epcisBody.queryResults) ? document.epcisBody.queryResults : {};
    return (
      `<?xml version="1.0" encoding="UTF-8"?>\n<epcisq:EPCISQueryDocument xmlns:epcisq="${EPCIS_QUERY_NS["2"]}" xmlns:epcis="${EPCIS_2_NS}"${ns}${attrs}>\n` +
      `  <EPCISBody>\n    <epcisq:QueryResults>\n      <queryName>${escapeText(scalar(results.queryName) || "SimpleEventQuery")}</queryName>\n` +
      (results.subscriptionID !== undefined
        ? `      <subscriptionID>${escapeText(scalar(results.subscriptionID))}</subscriptionID>\n`
        : "") +
      `      <resultsBody>\n        <EventList>\n${body.replace(/^/gm, "    ")}        </EventList>\n      </resultsBody>\n    </epcisq:QueryResults>\n  </EPCISBody>\n</epcisq:EPCISQueryDocument>\n`
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<epcis:EPCISDocument xmlns:epcis="${EPCIS_2_NS}"${ns}${attrs}>\n${header}  <EPCISBody>\n    <EventList>\n${body}    </EventList>\n  </EPCISBody>\n${ignoreLists}</epcis:EPCISDocument>\n`;
}
