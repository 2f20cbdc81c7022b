import { keccak256, stringToHex, type Hex } from "viem";
import { ValidationError } from "../errors";
import { checkLot } from "../gs1/digital-link";
import { normalizeGln, normalizeGtin, type Gtin14 } from "../gs1/gtin";

/** Who produces an order: a participant id, or a GLN the registry resolves to one. */
export type ProducerRef = { id: number } | { gln: string };

/** A production order as the brand asks for it, checked for shape; the chain checks the rest. */
export interface OrderInput {
  gtin: Gtin14;
  quantity: number;
  lot: string;
  /** YYYYMMDD, or 0 when the product has no expiry date */
  expiry: number;
  producer?: ProducerRef;
  /** the ERP's order reference: an order opens once per reference and brand */
  erpRef?: string;
}

/** The most codes one order may plan: the contract's uint64, kept within exact JS integers. */
export const MAX_QUANTITY = Number.MAX_SAFE_INTEGER;

/**
 * An expiry date (GS1 AI 17 YYMMDD, day 00 = end of month, or ISO YYYY-MM-DD) as the contract's
 * YYYYMMDD. The contract holds years 2000-2099, so a two-digit year is 20YY.
 */
export function expiryOf(value: string, field = "expiry"): number {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const gs1 = /^(\d{2})(\d{2})(\d{2})$/.exec(value);
  const parts = iso ? [iso[1], iso[2], iso[3]] : gs1 ? [`20${gs1[1]}`, gs1[2], gs1[3]] : undefined;
  if (!parts) throw new ValidationError(field, value, "a date is YYMMDD or YYYY-MM-DD");
  const [year, month, day] = parts.map(Number);
  if (year < 2000 || year > 2099) throw new ValidationError(field, value, "the year must be 2000 to 2099");
  if (month < 1 || month > 12) throw new ValidationError(field, value, "the month must be 01 to 12");
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  // GS1 allows day 00 (end of month) in AI 17, never in an ISO date
  if (day > lastDay || (day === 0 && iso)) {
    throw new ValidationError(field, value, `not a day of ${parts[0]}-${parts[1]}`);
  }
  return year * 10_000 + month * 100 + day;
}

/** A positive whole quantity from a number or a decimal string. */
export function quantityOf(value: unknown, field = "quantity"): number {
  const n =
    typeof value === "number" ? value : typeof value === "string" && /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) throw new ValidationError(field, value, "a whole number of units");
  if (n < 1) throw new ValidationError(field, value, "must be greater than 0");
  return n;
}

/** A producer given as a participant id (digits, up to 10) or a 13-digit GLN. */
export function producerOf(value: unknown, field = "producer"): ProducerRef {
  const s = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : undefined;
  if (s !== undefined && /^\d{13}$/.test(s)) return { gln: normalizeGln(s, field) };
  if (s !== undefined && /^\d{1,10}$/.test(s) && Number(s) > 0 && Number(s) < 2 ** 32) return { id: Number(s) };
  throw new ValidationError(field, value, "a participant id or a 13-digit GLN");
}

/** The fields of one order as an ERP or a command line gives them, all text or absent. */
export interface RawOrder {
  gtin?: unknown;
  quantity?: unknown;
  lot?: unknown;
  expiry?: unknown;
  producer?: unknown;
  erpRef?: unknown;
}

const text = (value: unknown): string | undefined =>
  value === undefined || value === null ? undefined : typeof value === "number" ? String(value) : (value as string);

/**
 * Checks one order's fields and returns every problem, not just the first: an ERP clerk fixes a
 * row once. `requireErpRef` is set for imports, whose idempotence rests on the reference.
 */
export function checkOrder(raw: RawOrder, options: { requireErpRef?: boolean } = {}): OrderInput | ValidationError[] {
  const problems: ValidationError[] = [];
  const attempt = <T>(f: () => T): T | undefined => {
    try {
      return f();
    } catch (e) {
      if (e instanceof ValidationError) problems.push(e);
      else throw e;
      return undefined;
    }
  };
  const required = (field: string, value: unknown): string | undefined => {
    const s = text(value);
    if (s === undefined || (typeof s === "string" && s.trim() === "")) {
      problems.push(new ValidationError(field, value ?? "", "is required"));
      return undefined;
    }
    if (typeof s !== "string") {
      problems.push(new ValidationError(field, value, "must be text"));
      return undefined;
    }
    return s.trim();
  };
  const gtinText = required("gtin", raw.gtin);
  const gtin = gtinText === undefined ? undefined : attempt(() => normalizeGtin(gtinText, "gtin"));
  const quantityText = typeof raw.quantity === "number" ? raw.quantity : required("quantity", raw.quantity);
  const quantity = quantityText === undefined ? undefined : attempt(() => quantityOf(quantityText));
  const lotText = required("lot", raw.lot);
  const lot = lotText === undefined ? undefined : attempt(() => checkLot(lotText));
  const expiryText = text(raw.expiry)?.trim();
  const expiry = !expiryText ? 0 : attempt(() => expiryOf(expiryText));
  const producerText = text(raw.producer)?.trim();
  const producer = !producerText ? undefined : attempt(() => producerOf(producerText));
  const erpText = text(raw.erpRef);
  let erpRef: string | undefined;
  if (erpText === undefined || erpText.trim() === "") {
    if (options.requireErpRef) problems.push(new ValidationError("erp_ref", erpText ?? "", "is required to import"));
  } else if (erpText.trim().length > 64) {
    problems.push(new ValidationError("erp_ref", erpText, "at most 64 characters"));
  } else erpRef = erpText.trim();
  if (
    problems.length > 0 ||
    gtin === undefined ||
    quantity === undefined ||
    lot === undefined ||
    expiry === undefined
  ) {
    return problems;
  }
  return {
    gtin,
    quantity,
    lot,
    expiry,
    ...(producer ? { producer } : {}),
    ...(erpRef !== undefined ? { erpRef } : {}),
  };
}

/** The on-chain key of an ERP reference: keccak256 of its UTF-8 bytes; zero when there is none. */
export function erpReferenceHash(erpRef: string | undefined): Hex {
  return erpRef === undefined ? `0x${"00".repeat(32)}` : keccak256(stringToHex(erpRef));
}
