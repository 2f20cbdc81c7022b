import { keccak_256 } from "@noble/hashes/sha3";
import { keccak256 } from "viem";
import { abiEncode } from "../abi/abi-encode";
import { isHex, toHex, type Hex } from "../bytes";
import { canonicalValue } from "../epcis/canonical-value";
import type { EpcisEvent, JsonValue } from "../epcis/event-hash";
import { ValidationError } from "../errors";
import { standardLeafHash } from "../merkle/leaves";
import { processProof, rootOfLeafHashes } from "../merkle/verify";

/**
 * Selective disclosure of a capture's events (capture format 2, `trackroot.capture.v2`). Each
 * event's leaf in the signed events tree commits to four words:
 *
 *   keccak256(keccak256(abi.encode(bytes32 eventHash, bytes32 shownDigest, bytes32 identifiersRoot, bytes32 saltHash)))
 *
 * - `eventHash`: the event's CBV 2.0 hash (binds every field, opaque on its own);
 * - `shownDigest`: the fields a verifier shows a consumer (SHOWN_ENCODING), so they can be disclosed
 *   without the rest;
 * - `identifiersRoot`: a tree over every identifier the event lists (epcList, childEPCs, parentID,
 *   inputs, outputs, the quantity lists' classes), one leaf (field, canonical value, salt) each, so
 *   one identifier is proven for one code and the siblings' hashes tell nothing, even of sequential
 *   SSCCs;
 * - `saltHash`: keccak256 of the capture's 32-byte salt, so the salt in the published content is
 *   bound by the signature (a relayer that alters it is caught, never the submitter).
 *
 * Each identifier's salt is keccak256(abi.encode(captureSalt, eventIndex, identifierIndex)):
 * disclosing one reveals neither the capture's salt nor any other identifier's.
 * test/vectors/disclosure.json pins every encoding.
 */

export const CAPTURE_FORMAT_V2 = 2;

/**
 * keccak256 over bytes: noble's by default (what a page bundles), the WebAssembly kernel's where
 * every event of a capture is hashed (src/core/merkle/kernel.ts); the two agree on every input.
 */
export type Keccak256 = (data: Uint8Array) => Uint8Array;
export const SHOWN_TAG = "trackroot.event-shown.v2";
export const SHOWN_ENCODING = [
  "string", // SHOWN_TAG
  "string", // type
  "string", // action
  "string", // bizStep
  "string", // disposition
  "string", // eventTime
  "string", // eventTimeZoneOffset
  "string", // readPoint id
  "string", // bizLocation id
  "string[]", // source types
  "string[]", // destination types
] as const;
export const IDENTIFIER_LEAF_ENCODING = ["string", "string", "bytes32"] as const;
export const DISCLOSED_EVENT_LEAF_ENCODING = ["bytes32", "bytes32", "bytes32", "bytes32"] as const;
/** The identifiers root of an event that lists none. */
export const NO_IDENTIFIERS: Hex = `0x${"00".repeat(32)}`;

/** The event fields that hold identifiers, in the order their leaves are numbered. */
export const IDENTIFIER_FIELDS = [
  "epcList",
  "childEPCs",
  "parentID",
  "inputEPCList",
  "outputEPCList",
  "quantityList",
  "childQuantityList",
  "inputQuantityList",
  "outputQuantityList",
] as const;
export type IdentifierField = (typeof IDENTIFIER_FIELDS)[number];

/** What a verifier shows of an event: strings as the event states them ("" when absent). */
export interface ShownFields {
  type: string;
  action: string;
  bizStep: string;
  disposition: string;
  eventTime: string;
  eventTimeZoneOffset: string;
  readPoint: string;
  bizLocation: string;
  sourceTypes: string[];
  destinationTypes: string[];
}

/** One identifier an event lists: its field, its canonical value (CBV 2.0 form) and its salt. */
export interface IdentifierLeaf {
  field: IdentifierField;
  value: string;
  salt: Hex;
}

/** What the signed events tree commits to for one event (its leaf's four words). */
export interface EventParts {
  eventHash: Hex;
  shownDigest: Hex;
  identifiersRoot: Hex;
}

const text = (v: JsonValue | undefined): string =>
  v === undefined || v === null ? "" : typeof v === "string" ? v : JSON.stringify(v);
const idOf = (v: JsonValue | undefined): string =>
  v && typeof v === "object" && !Array.isArray(v) ? text((v as { id?: JsonValue }).id) : "";
const typesOf = (v: JsonValue | undefined): string[] =>
  (Array.isArray(v) ? v : []).map((e) =>
    e && typeof e === "object" && !Array.isArray(e) ? text((e as { type?: JsonValue }).type) : "",
  );

/** The fields of an event a verifier shows, read from the event as it was signed. */
export function shownFields(event: EpcisEvent): ShownFields {
  return {
    type: text(event.type),
    action: text(event.action),
    bizStep: text(event.bizStep),
    disposition: text(event.disposition),
    eventTime: text(event.eventTime),
    eventTimeZoneOffset: text(event.eventTimeZoneOffset),
    readPoint: idOf(event.readPoint),
    bizLocation: idOf(event.bizLocation),
    sourceTypes: typesOf(event.sourceList),
    destinationTypes: typesOf(event.destinationList),
  };
}

/** The bytes the shown digest hashes: the shown fields ABI-encoded as SHOWN_ENCODING. */
export function shownEncoding(shown: ShownFields): Uint8Array {
  return abiEncode(SHOWN_ENCODING, [
    SHOWN_TAG,
    shown.type,
    shown.action,
    shown.bizStep,
    shown.disposition,
    shown.eventTime,
    shown.eventTimeZoneOffset,
    shown.readPoint,
    shown.bizLocation,
    shown.sourceTypes,
    shown.destinationTypes,
  ]);
}

/** The digest the event leaf commits to for its shown fields. */
export function shownDigest(shown: ShownFields, keccak: Keccak256 = keccak_256): Hex {
  return toHex(keccak(shownEncoding(shown)));
}

/** The salt of identifier `identifierIndex` of event `eventIndex` of a capture salted with `captureSalt`. */
export function identifierSalt(
  captureSalt: Hex,
  eventIndex: number,
  identifierIndex: number,
  keccak: Keccak256 = keccak_256,
): Hex {
  return toHex(keccak(abiEncode(["bytes32", "uint256", "uint256"], [captureSalt, eventIndex, identifierIndex])));
}

/** keccak256 of the capture's salt: the word every event leaf of the capture commits to. */
export function saltHash(captureSalt: Hex): Hex {
  return keccak256(captureSalt);
}

/** Checks a capture salt: 32 bytes of 0x-hex (lower or upper case), returned in lower case. */
export function checkCaptureSalt(value: unknown, field = "salt"): Hex {
  if (!isHex(value, 32)) throw new ValidationError(field, value, "must be a 0x-prefixed 32-byte hex string");
  return value.toLowerCase() as Hex;
}

/** Every identifier an event lists, in IDENTIFIER_FIELDS order then document order, as its canonical value. */
export function identifierValues(event: EpcisEvent): { field: IdentifierField; value: string }[] {
  const values: { field: IdentifierField; value: string }[] = [];
  for (const field of IDENTIFIER_FIELDS) {
    const v = event[field];
    if (v === undefined || v === null) continue;
    if (field === "parentID") values.push({ field, value: canonicalValue(text(v).trim()) });
    else if (field.endsWith("QuantityList") || field === "quantityList") {
      for (const q of Array.isArray(v) ? v : [])
        values.push({ field, value: canonicalValue(text((q as { epcClass?: JsonValue })?.epcClass).trim()) });
    } else for (const epc of Array.isArray(v) ? v : []) values.push({ field, value: canonicalValue(text(epc).trim()) });
  }
  return values;
}

/** Every identifier an event lists, in IDENTIFIER_FIELDS order then document order, each salted. */
export function identifierLeaves(
  event: EpcisEvent,
  captureSalt: Hex,
  eventIndex: number,
  keccak: Keccak256 = keccak_256,
): IdentifierLeaf[] {
  return identifierValues(event).map((v, i) => ({ ...v, salt: identifierSalt(captureSalt, eventIndex, i, keccak) }));
}

/** The leaf hash of one disclosed identifier. */
export function identifierLeafHash(leaf: IdentifierLeaf): Hex {
  return standardLeafHash(IDENTIFIER_LEAF_ENCODING, [leaf.field, leaf.value, leaf.salt]);
}

/** The leaf hash of one event in a format-2 capture. */
export function disclosedEventLeafHash(parts: EventParts, salted: Hex): Hex {
  return standardLeafHash(DISCLOSED_EVENT_LEAF_ENCODING, [
    parts.eventHash,
    parts.shownDigest,
    parts.identifiersRoot,
    salted,
  ]);
}

/** The root over an event's identifiers (NO_IDENTIFIERS when it lists none), in plain JavaScript. */
export function identifiersRootOfLeaves(leaves: readonly IdentifierLeaf[]): Hex {
  return leaves.length === 0 ? NO_IDENTIFIERS : rootOfLeafHashes(leaves.map(identifierLeafHash));
}

/** The identifiers root a disclosed identifier's proof leads to. */
export function identifiersRootOf(leaf: IdentifierLeaf, proof: readonly Hex[]): Hex {
  return processProof(identifierLeafHash(leaf), proof);
}

/** Why a format-2 capture's published parts fail, and whose doing it is. */
export interface DisclosureFailure {
  /** "root": the content is not what was signed (the publisher's doing); "inconsistent": the signer signed parts its events do not give */
  failure: "malformed" | "count" | "root" | "inconsistent";
  detail: string;
}

const PART_KEYS = ["eventHash", "shownDigest", "identifiersRoot"] as const;

/** Reads a capture's published parts: one { eventHash, shownDigest, identifiersRoot } per event. */
export function readEventParts(value: unknown): EventParts[] {
  if (!Array.isArray(value)) throw new ValidationError("parts", value, "must list each event's parts");
  return value.map((p: Record<string, unknown> | null, i) => {
    const out: Partial<Record<(typeof PART_KEYS)[number], Hex>> = {};
    for (const key of PART_KEYS) {
      const v = p?.[key];
      if (!isHex(v, 32)) throw new ValidationError(`parts/${i}/${key}`, v, "must be a 32-byte hex string");
      out[key] = v.toLowerCase() as Hex;
    }
    return out as EventParts;
  });
}
