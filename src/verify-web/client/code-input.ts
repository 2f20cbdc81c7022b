import { ValidationError } from "../../core/errors";
import { checkLot, checkSerial, digitalLinkPath, parseDigitalLink } from "../../core/gs1/digital-link";
import { normalizeGtin } from "../../core/gs1/gtin";

/** The code a visitor asks about: as printed on the pack. */
export interface CodeRef {
  gtin: string;
  serial: string;
  /** the lot the pack's link carries, when it does: checked against the released lot */
  lot?: string;
}

const GS = "\u001d";

/**
 * What a visitor typed, pasted or scanned, as a code: a GS1 Digital Link URL (any host: the
 * brand's resolver or this site), a bracketed element string "(01)…(10)…(21)…", or the raw
 * element string a DataMatrix carries (FNC1 as the group separator). A bad one is refused with
 * an error naming what is wrong.
 */
export function parseCodeInput(input: string): CodeRef {
  const text = input.trim();
  if (text === "") throw new ValidationError("code", input, "type or scan the code on the pack");
  if (/^https?:\/\//i.test(text)) {
    const link = parseDigitalLink(text, "code");
    return { gtin: link.gtin, serial: link.serial, ...(link.lot !== undefined ? { lot: link.lot } : {}) };
  }
  if (text.startsWith("(")) return fromElements(bracketed(text));
  if (/^\]d2|^01\d{14}/.test(text)) return fromElements(raw(text.replace(/^\]d2/, "")));
  throw new ValidationError("code", input, "expected a link like https://…/01/{gtin}/21/{serial} or (01)…(21)…");
}

/** The code a Digital Link path of this site names (/01/{gtin}[/10/{lot}]/21/{serial}), or null. */
export function codeOfPath(origin: string, pathAndQuery: string): CodeRef | null {
  if (!/^\/01\//.test(pathAndQuery)) return null;
  return parseCodeInput(origin + pathAndQuery);
}

/** This site's Digital Link path for a code. */
export function pathOfCode(code: CodeRef): string {
  return digitalLinkPath(code);
}

function bracketed(text: string): Map<string, string> {
  const values = new Map<string, string>();
  const re = /\((\d{2,4})\)([^(]*)/gy;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = re.exec(text)) !== null) {
    values.set(m[1], m[2].trim());
    end = re.lastIndex;
  }
  if (end !== text.length) throw new ValidationError("code", text, "a bracketed element string is (AI)value(AI)value…");
  return values;
}

/** Fixed-length AIs that can precede the serial without a separator, by length of their value. */
const FIXED: Record<string, number> = { "01": 14, "11": 6, "13": 6, "15": 6, "16": 6, "17": 6 };

function raw(text: string): Map<string, string> {
  const values = new Map<string, string>();
  let rest = text;
  while (rest.length > 0) {
    const ai = rest.slice(0, 2);
    if (ai in FIXED) {
      values.set(ai, rest.slice(2, 2 + FIXED[ai]));
      rest = rest.slice(2 + FIXED[ai]).replace(new RegExp(`^${GS}`), "");
    } else if (ai === "10" || ai === "21") {
      const sep = rest.indexOf(GS);
      values.set(ai, sep < 0 ? rest.slice(2) : rest.slice(2, sep));
      rest = sep < 0 ? "" : rest.slice(sep + 1);
    } else {
      throw new ValidationError("code", text, `AI (${ai}) is not one a product code carries here`);
    }
  }
  return values;
}

function fromElements(values: Map<string, string>): CodeRef {
  const gtin = values.get("01");
  const serial = values.get("21");
  if (gtin === undefined) throw new ValidationError("code", undefined, "no (01) GTIN in the code");
  if (serial === undefined) throw new ValidationError("code", undefined, "no (21) serial in the code");
  const lot = values.get("10");
  return {
    gtin: normalizeGtin(gtin, "code.gtin"),
    serial: checkSerial(serial, "code.serial"),
    ...(lot !== undefined ? { lot: checkLot(lot, "code.lot") } : {}),
  };
}
