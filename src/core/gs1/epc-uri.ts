import { ValidationError } from "../errors";
import { gs1CheckDigit } from "./check-digit";
import { checkSerial } from "./digital-link";
import { normalizeGtin, type Gtin14 } from "./gtin";

/**
 * EPC URIs (GS1 EPC Tag Data Standard) and their GS1 Digital Link equivalents on id.gs1.org, as the
 * CBV 2.0 event hash needs them, plus SGTIN URNs to and from (gtin, serial) for our own codes.
 */

export const CANONICAL_ORIGIN = "https://id.gs1.org";

/** Characters the TDS leaves unescaped in EPC URIs that Digital Link paths must escape. */
function escapeForDigitalLink(epcComponent: string): string {
  return epcComponent.replace(/[!()*+,:]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0"));
}

const withCheck = (digits: string): string => digits + gs1CheckDigit(digits);

/** GTIN-14 of an SGTIN-style (company prefix, indicator + item reference) pair. */
function gtinOf(cp: string, ir: string): string {
  return withCheck(ir[0] + cp + ir.slice(1));
}

const CP = "(\\d{6,12})";
const EPC_CHAR = "(?:%[0-9A-Fa-f]{2}|[!'()*+,\\-.0-9:;=A-Z_a-z])";

interface Scheme {
  re: RegExp;
  /** total digits of company prefix plus the numeric reference, when fixed */
  digits?: number;
  toPath(m: RegExpExecArray): string;
}

const SCHEMES: Record<string, Scheme> = {
  "id:sgtin": {
    re: new RegExp(`^${CP}\\.(\\d{1,7})\\.(${EPC_CHAR}{1,20})$`),
    digits: 13,
    toPath: (m) => `/01/${gtinOf(m[1], m[2])}/21/${escapeForDigitalLink(m[3])}`,
  },
  "id:sscc": {
    re: new RegExp(`^${CP}\\.(\\d{5,11})$`),
    digits: 17,
    toPath: (m) => `/00/${withCheck(m[2][0] + m[1] + m[2].slice(1))}`,
  },
  "id:sgln": {
    re: new RegExp(`^${CP}\\.(\\d{0,6})\\.(${EPC_CHAR}{1,20})$`),
    digits: 12,
    toPath: (m) => `/414/${withCheck(m[1] + m[2])}` + (m[3] === "0" ? "" : `/254/${escapeForDigitalLink(m[3])}`),
  },
  "id:grai": {
    re: new RegExp(`^${CP}\\.(\\d{0,6})\\.(${EPC_CHAR}{1,16})$`),
    digits: 12,
    toPath: (m) => `/8003/${withCheck("0" + m[1] + m[2])}${escapeForDigitalLink(m[3])}`,
  },
  "id:giai": {
    re: new RegExp(`^${CP}\\.(${EPC_CHAR}{1,24})$`),
    toPath: (m) => `/8004/${m[1]}${escapeForDigitalLink(m[2])}`,
  },
  "id:gsrn": { re: new RegExp(`^${CP}\\.(\\d{5,11})$`), digits: 17, toPath: (m) => `/8018/${withCheck(m[1] + m[2])}` },
  "id:gsrnp": { re: new RegExp(`^${CP}\\.(\\d{5,11})$`), digits: 17, toPath: (m) => `/8017/${withCheck(m[1] + m[2])}` },
  "id:gdti": {
    re: new RegExp(`^${CP}\\.(\\d{0,6})\\.(${EPC_CHAR}{1,17})$`),
    digits: 12,
    toPath: (m) => `/253/${withCheck(m[1] + m[2])}${escapeForDigitalLink(m[3])}`,
  },
  "id:cpi": {
    re: new RegExp(`^${CP}\\.((?:%2[3dfDF]|%3[0-9]|%4[1-9A-Fa-f]|%5[0-9Aa]|[0-9A-Z-]){1,24})\\.(\\d{1,12})$`),
    toPath: (m) => `/8010/${escapeForDigitalLink(m[1] + m[2])}/8011/${m[3]}`,
  },
  "id:sgcn": {
    re: new RegExp(`^${CP}\\.(\\d{0,6})\\.(\\d{1,12})$`),
    digits: 12,
    toPath: (m) => `/255/${withCheck(m[1] + m[2])}${m[3]}`,
  },
  "id:ginc": {
    re: new RegExp(`^${CP}\\.(${EPC_CHAR}{1,24})$`),
    toPath: (m) => `/401/${m[1]}${escapeForDigitalLink(m[2])}`,
  },
  "id:gsin": { re: new RegExp(`^${CP}\\.(\\d{4,10})$`), digits: 16, toPath: (m) => `/402/${withCheck(m[1] + m[2])}` },
  "id:itip": {
    re: new RegExp(`^${CP}\\.(\\d{1,7})\\.(\\d{2})\\.(\\d{2})\\.(${EPC_CHAR}{1,20})$`),
    digits: 13,
    toPath: (m) => `/8006/${gtinOf(m[1], m[2])}${m[3]}${m[4]}/21/${escapeForDigitalLink(m[5])}`,
  },
  "id:upui": {
    re: new RegExp(`^${CP}\\.(\\d{1,7})\\.(${EPC_CHAR}{1,28})$`),
    digits: 13,
    toPath: (m) => `/01/${gtinOf(m[1], m[2])}/235/${escapeForDigitalLink(m[3])}`,
  },
  "id:pgln": { re: new RegExp(`^${CP}\\.(\\d{0,6})$`), digits: 12, toPath: (m) => `/417/${withCheck(m[1] + m[2])}` },
  "class:lgtin": {
    re: new RegExp(`^${CP}\\.(\\d{1,7})\\.(${EPC_CHAR}{1,20})$`),
    digits: 13,
    toPath: (m) => `/01/${gtinOf(m[1], m[2])}/10/${escapeForDigitalLink(m[3])}`,
  },
  "idpat:sgtin": {
    re: new RegExp(`^${CP}\\.(\\d{1,7})\\.\\*$`),
    digits: 13,
    toPath: (m) => `/01/${gtinOf(m[1], m[2])}`,
  },
  "idpat:upui": {
    re: new RegExp(`^${CP}\\.(\\d{1,7})\\.\\*$`),
    digits: 13,
    toPath: (m) => `/01/${gtinOf(m[1], m[2])}`,
  },
  "idpat:grai": {
    re: new RegExp(`^${CP}\\.(\\d{0,6})\\.\\*$`),
    digits: 12,
    toPath: (m) => `/8003/${withCheck("0" + m[1] + m[2])}`,
  },
  "idpat:gdti": {
    re: new RegExp(`^${CP}\\.(\\d{0,6})\\.\\*$`),
    digits: 12,
    toPath: (m) => `/253/${withCheck(m[1] + m[2])}`,
  },
  "idpat:sgcn": {
    re: new RegExp(`^${CP}\\.(\\d{0,6})\\.\\*$`),
    digits: 12,
    toPath: (m) => `/255/${withCheck(m[1] + m[2])}`,
  },
  "idpat:itip": {
    re: new RegExp(`^${CP}\\.(\\d{1,7})\\.(\\d{2})\\.(\\d{2})\\.\\*$`),
    digits: 13,
    toPath: (m) => `/8006/${gtinOf(m[1], m[2])}${m[3]}${m[4]}`,
  },
};

/**
 * The Digital Link on id.gs1.org of an EPC URI (pure identity, class or ID pattern), or undefined
 * when `uri` is not one. The company prefix and the reference must add up to the key's length.
 */
export function epcUriToDigitalLink(uri: string): string | undefined {
  const m = /^urn:epc:(id|class|idpat):([a-z]+):(.+)$/.exec(uri);
  if (!m) return undefined;
  const scheme = SCHEMES[`${m[1]}:${m[2]}`];
  if (!scheme) return undefined;
  const parts = scheme.re.exec(m[3]);
  if (!parts) return undefined;
  if (scheme.digits !== undefined && parts[1].length + parts[2].length !== scheme.digits) return undefined;
  return CANONICAL_ORIGIN + scheme.toPath(parts);
}

/** Escapes a serial for an EPC URI component (TDS: ", %, &, /, <, >, ? must be %-escaped). */
function escapeEpc(serial: string): string {
  return serial.replace(/["%&/<>?]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0"));
}

/** The SGTIN EPC URN of a code, given the length of the GTIN's company prefix. */
export function toSgtinUrn(gtin: string, serial: string, companyPrefixLength: number): string {
  const g = normalizeGtin(gtin);
  if (!Number.isInteger(companyPrefixLength) || companyPrefixLength < 6 || companyPrefixLength > 12) {
    throw new ValidationError("companyPrefixLength", companyPrefixLength, "a company prefix has 6 to 12 digits");
  }
  const cp = g.slice(1, 1 + companyPrefixLength);
  const ir = g[0] + g.slice(1 + companyPrefixLength, 13);
  return `urn:epc:id:sgtin:${cp}.${ir}.${escapeEpc(checkSerial(serial))}`;
}

/** The GTIN, serial and company prefix of an SGTIN EPC URN. */
export function parseSgtinUrn(urn: string, field = "epc"): { gtin: Gtin14; serial: string; companyPrefix: string } {
  const m = new RegExp(`^urn:epc:id:sgtin:${CP}\\.(\\d{1,7})\\.(${EPC_CHAR}{1,20})$`).exec(urn);
  if (!m || m[1].length + m[2].length !== 13) throw new ValidationError(field, urn, "not an SGTIN EPC URN");
  let serial: string;
  try {
    serial = decodeURIComponent(m[3]);
  } catch {
    throw new ValidationError(field, urn, "malformed escape in the serial");
  }
  return {
    gtin: normalizeGtin(gtinOf(m[1], m[2])),
    serial: checkSerial(serial, `${field}.serial`),
    companyPrefix: m[1],
  };
}
