import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import schema from "./data/epcis-json-schema.json";
import type { JsonValue } from "./event-hash";
import { activeContextOf, isIdentifier, type ActiveContext } from "./json-ld-context";

/** One schema violation: where it is (event index and JSON pointer) and what is wrong. */
export interface EpcisIssue {
  /** index of the event in the document's event list, when the issue is inside an event */
  eventIndex?: number;
  /** RFC 6901 pointer into the document */
  pointer: string;
  message: string;
}

let validator: ValidateFunction | undefined;
/**
 * The context of the document being validated: the schema's "uri" format reads identifiers
 * through it. Validation is synchronous, so one module-level slot serves every call.
 */
let active: ActiveContext = activeContextOf(undefined);

/**
 * The compiled official EPCIS 2.0 JSON schema (data/epcis-json-schema.json), compiled once, with
 * its "uri" format read as JSON-LD reads identifiers (json-ld-context.ts): a blank node, a compact
 * IRI whose prefix the context defines, a term it defines or a name in its default vocabulary.
 */
function compiled(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: true });
    addFormats(ajv);
    ajv.addFormat("uri", { type: "string", validate: (value: string) => isIdentifier(value, active) });
    validator = ajv.compile(schema);
  }
  return validator;
}

/** Where the events of an EPCIS document are, and of an EPCIS query document. */
const EVENT_POINTER = /^\/epcisBody\/(?:queryResults\/resultsBody\/)?eventList\/(\d+)(?:\/|$)/;

function toIssue(e: ErrorObject): EpcisIssue {
  const pointer = e.instancePath || "";
  const m = EVENT_POINTER.exec(pointer);
  const detail =
    e.keyword === "additionalProperties"
      ? `unexpected property ${JSON.stringify((e.params as { additionalProperty: string }).additionalProperty)}`
      : e.keyword === "enum"
        ? `${e.message}: ${(e.params as { allowedValues: unknown[] }).allowedValues.map(String).slice(0, 8).join(", ")}`
        : (e.message ?? e.keyword);
  return { ...(m ? { eventIndex: Number(m[1]) } : {}), pointer: pointer || "/", message: detail };
}

/**
 * Validates an EPCIS 2.0 document (JSON or JSON-LD) against the official schema. Returns every issue,
 * deduplicated and ordered by pointer; an empty list means valid. The schema's if/then branches
 * report a failing branch both as the detail and as "must match then": only the details are kept.
 */
export function validateEpcisDocument(document: JsonValue): EpcisIssue[] {
  const validate = compiled();
  const ctx = document && typeof document === "object" && !Array.isArray(document) ? document["@context"] : undefined;
  active = activeContextOf(ctx);
  let valid: boolean;
  try {
    valid = validate(document) as boolean;
  } finally {
    active = activeContextOf(undefined);
  }
  if (valid) return [];
  const seen = new Set<string>();
  const issues: EpcisIssue[] = [];
  for (const e of validate.errors ?? []) {
    if (e.keyword === "if" || e.keyword === "allOf" || e.keyword === "anyOf" || e.keyword === "oneOf") continue;
    const issue = toIssue(e);
    const key = `${issue.pointer} ${issue.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  if (issues.length === 0) {
    // only combinator errors: report the first as is
    issues.push(toIssue((validate.errors ?? [])[0]));
  }
  return issues.sort((a, b) => (a.pointer < b.pointer ? -1 : a.pointer > b.pointer ? 1 : 0));
}

/** Validates one event by wrapping it in a minimal document; pointers are relative to the event. */
export function validateEpcisEvent(event: JsonValue): EpcisIssue[] {
  const doc = {
    "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
    type: "EPCISDocument",
    schemaVersion: "2.0",
    creationDate: "2000-01-01T00:00:00Z",
    epcisBody: { eventList: [event] },
  };
  return validateEpcisDocument(doc).map(({ pointer, message }) => ({
    pointer: pointer.replace(/^\/epcisBody\/eventList\/0/, "") || "/",
    message,
  }));
}
