import { ValidationError } from "../errors";
import { firstNonAi82 } from "./ai82";
import { normalizeGtin, type Gtin14 } from "./gtin";

/** A serialised product as a GS1 Digital Link names it. */
export interface DigitalLink {
  /** scheme and host, e.g. "https://id.example.com" */
  origin: string;
  /** path segments before /01/ (a resolver's own prefix), usually empty */
  pathPrefix: string;
  gtin: Gtin14;
  serial: string;
  lot?: string;
  /** data attributes from the query string, by AI, e.g. { "17": "271231" } */
  attributes: Record<string, string>;
}

export const MAX_SERIAL_LENGTH = 20;
export const MAX_LOT_LENGTH = 20;

/** Key qualifiers of AI 01 in the order GS1 Digital Link requires: CPV, lot, serial. */
const QUALIFIER_ORDER = ["22", "10", "21"] as const;
const DATE_AIS = new Set(["11", "12", "13", "15", "16", "17"]);

/** Checks an AI 21 serial: 1 to 20 characters of set 82. */
export function checkSerial(serial: string, field = "serial"): string {
  if (typeof serial !== "string" || serial.length === 0)
    throw new ValidationError(field, serial, "a serial is required");
  if (serial.length > MAX_SERIAL_LENGTH) {
    throw new ValidationError(field, serial, `a serial has at most ${MAX_SERIAL_LENGTH} characters`);
  }
  const bad = firstNonAi82(serial);
  if (bad !== undefined)
    throw new ValidationError(field, serial, `character ${JSON.stringify(bad)} is outside GS1 AI 82`);
  return serial;
}

/** Checks an AI 10 lot: 1 to 20 characters of set 82. */
export function checkLot(lot: string, field = "lot"): string {
  if (typeof lot !== "string" || lot.length === 0) throw new ValidationError(field, lot, "a lot is required");
  if (lot.length > MAX_LOT_LENGTH)
    throw new ValidationError(field, lot, `a lot has at most ${MAX_LOT_LENGTH} characters`);
  const bad = firstNonAi82(lot);
  if (bad !== undefined) throw new ValidationError(field, lot, `character ${JSON.stringify(bad)} is outside GS1 AI 82`);
  return lot;
}

/** Checks a GS1 date (YYMMDD; day 00 means the end of the month). */
export function checkGs1Date(value: string, field: string): string {
  if (!/^\d{6}$/.test(value)) throw new ValidationError(field, value, "a GS1 date is YYMMDD");
  const month = Number(value.slice(2, 4));
  const day = Number(value.slice(4, 6));
  if (month < 1 || month > 12 || day > 31) throw new ValidationError(field, value, "not a calendar date");
  return value;
}

/**
 * Percent-encodes a Digital Link path or query value as GS1 Digital Link requires: every character
 * but RFC 3986's unreserved ones (so each AI 82 punctuation character, "/" and "?" among them).
 */
export function encodeSegment(value: string): string {
  return value.replace(/[^A-Za-z0-9\-._~]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0"));
}

function decodeSegment(raw: string, field: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new ValidationError(field, raw, "malformed percent-encoding");
  }
}

/** The path of a serialised GTIN's Digital Link, /01/{gtin}[/10/{lot}]/21/{serial}, every value checked and encoded. */
export function digitalLinkPath(code: { gtin: string; serial: string; lot?: string }): string {
  const lot = code.lot !== undefined ? `/10/${encodeSegment(checkLot(code.lot))}` : "";
  return `/01/${normalizeGtin(code.gtin)}${lot}/21/${encodeSegment(checkSerial(code.serial))}`;
}

/** Formats a GS1 Digital Link URI with key qualifiers in canonical order and attributes sorted by AI. */
export function formatDigitalLink(link: {
  origin: string;
  gtin: string;
  serial: string;
  lot?: string;
  pathPrefix?: string;
  attributes?: Record<string, string>;
}): string {
  const origin = link.origin.replace(/\/+$/, "");
  if (!/^https?:\/\/[^/?#\s]+$/.test(origin))
    throw new ValidationError("origin", link.origin, "expected scheme://host");
  const path =
    (link.pathPrefix ? "/" + link.pathPrefix.replace(/^\/+|\/+$/g, "") : "") +
    digitalLinkPath({ gtin: link.gtin, serial: link.serial, ...(link.lot !== undefined ? { lot: link.lot } : {}) });
  const attrs = Object.entries(link.attributes ?? {}).sort(([a], [b]) => a.localeCompare(b));
  for (const [ai, v] of attrs) if (DATE_AIS.has(ai)) checkGs1Date(v, `attributes.${ai}`);
  const query = attrs.map(([ai, v]) => `${ai}=${encodeSegment(v)}`).join("&");
  return origin + path + (query ? `?${query}` : "");
}

/**
 * Parses a GS1 Digital Link URI naming a serialised GTIN (/01/{gtin}[/10/{lot}]/21/{serial}). Each
 * malformed part is refused with an error naming it: the scheme, a qualifier out of order or
 * repeated, a bad check digit, a character outside AI 82, a serial longer than 20.
 */
export function parseDigitalLink(uri: string, field = "digitalLink"): DigitalLink {
  if (typeof uri !== "string") throw new ValidationError(field, uri, "a Digital Link is a string");
  const m = /^(https?:\/\/[^/?#\s]+)(\/[^?#\s]*)(?:\?([^#\s]*))?(?:#\S*)?$/.exec(uri.trim());
  if (!m) throw new ValidationError(field, uri, "not an http(s) URI");
  const [, origin, path, query] = m;
  const segments = path.split("/").slice(1);
  if (segments.length > 0 && segments[segments.length - 1] === "") segments.pop();
  const at01 = segments.indexOf("01");
  if (at01 < 0 || at01 + 1 >= segments.length) throw new ValidationError(field, uri, "no /01/{gtin} in the path");
  const prefix = segments.slice(0, at01);
  for (const q of QUALIFIER_ORDER) {
    if (prefix.includes(q)) throw new ValidationError(field, uri, `/${q}/ must come after /01/{gtin}`);
  }
  const gtin = normalizeGtin(decodeSegment(segments[at01 + 1], `${field}.gtin`), `${field}.gtin`);
  const rest = segments.slice(at01 + 2);
  if (rest.length % 2 !== 0) throw new ValidationError(field, uri, "key qualifiers come in /{ai}/{value} pairs");
  const values: Record<string, string> = {};
  let lastRank = -1;
  for (let i = 0; i < rest.length; i += 2) {
    const ai = rest[i];
    const rank = QUALIFIER_ORDER.indexOf(ai as (typeof QUALIFIER_ORDER)[number]);
    if (rank < 0) throw new ValidationError(field, uri, `/${ai}/ is not a key qualifier of a GTIN`);
    if (ai in values) throw new ValidationError(field, uri, `/${ai}/ appears twice`);
    if (rank < lastRank) {
      throw new ValidationError(field, uri, "key qualifiers out of order: GS1 Digital Link requires /22/, /10/, /21/");
    }
    lastRank = rank;
    values[ai] = decodeSegment(rest[i + 1], `${field}.${ai}`);
  }
  if (!("21" in values)) throw new ValidationError(field, uri, "no /21/{serial}: the link names no serialised item");
  const serial = checkSerial(values["21"], `${field}.serial`);
  const lot = "10" in values ? checkLot(values["10"], `${field}.lot`) : undefined;
  const attributes: Record<string, string> = {};
  if (query) {
    for (const pair of query.split("&").filter(Boolean)) {
      const [k, v = ""] = pair.split("=");
      const key = decodeSegment(k, `${field}.query`);
      const value = decodeSegment(v, `${field}.query.${key}`);
      if (/^\d{2,4}$/.test(key)) {
        if (DATE_AIS.has(key)) checkGs1Date(value, `${field}.${key}`);
        attributes[key] = value;
      }
    }
  }
  return { origin, pathPrefix: prefix.join("/"), gtin, serial, ...(lot !== undefined ? { lot } : {}), attributes };
}
