import { z } from "zod";
import type { Hex } from "../bytes";
import { IDENTIFIER_FIELDS } from "../custody/event-disclosure";

/**
 * ProofBundle: everything a verifier needs to check one code against the chain, and nothing it
 * must trust. Version 2 (what the indexer serves) discloses, of each event, only the fields a
 * verifier shows and the identifiers of the code and its own containers, each with its salted
 * proof (capture format 2); an event of a format-1 capture is only "recorded". Version 1 bundles
 * (whole events) still verify. The JSON Schema is published at docs/proof-bundle.schema.json.
 */

/**
 * Hex as a pattern rather than a refinement, so that the published JSON Schema says exactly the
 * same; typed as Hex, which the pattern guarantees.
 */
const hexPattern = (pattern: RegExp, message: string) =>
  z.string().regex(pattern, message) as unknown as z.ZodType<Hex, z.ZodStringDef, string>;
const hex32 = hexPattern(/^0x[0-9a-fA-F]{64}$/, "a 32-byte 0x-hex value");
const hexBytes = hexPattern(/^0x(?:[0-9a-fA-F]{2})*$/, "0x-hex bytes");
const address = hexPattern(/^0x[0-9a-fA-F]{40}$/, "a 20-byte 0x-hex address");
const uintString = z.string().regex(/^\d{1,20}$/, "a decimal integer string");
const proof = z.array(hex32).max(64);

export const ChainRefSchema = z.strictObject({
  chainId: z.number().int().positive(),
  contract: address,
  transaction: hex32,
  block: z.number().int().nonnegative(),
});

export const CommitmentRefSchema = ChainRefSchema.extend({
  relayer: z.number().int().positive(),
  sequence: uintString,
  root: hex32,
});

export const ReleaseSchema = ChainRefSchema.extend({
  batchId: uintString,
  root: hex32,
  proof,
});

const CaptureSchema = z.strictObject({
  submitter: address,
  eventsRoot: hex32,
  eventCount: z.number().int().positive(),
  nonce: hex32,
  issuedAt: uintString,
});

/** The EIP-712 Handover message, times as decimal strings. */
export const HandoverSchema = z.strictObject({
  handoverId: hex32,
  from: address,
  to: address,
  itemsRoot: hex32,
  itemCount: z.number().int().positive(),
  shipmentRefHash: hex32,
  eventTime: uintString,
  deadline: uintString,
});

/**
 * The EIP-712 ParticipantHandover message (handover format 3): the two participants by id, each
 * signature by any key of its participant. Times as decimal strings.
 */
export const ParticipantHandoverSchema = z.strictObject({
  handoverId: hex32,
  fromParticipant: z.number().int().min(1).max(0xffff_ffff),
  toParticipant: z.number().int().min(1).max(0xffff_ffff),
  itemsRoot: hex32,
  itemCount: z.number().int().positive(),
  shipmentRefHash: hex32,
  eventTime: uintString,
  deadline: uintString,
});

/**
 * Set when the lifecycle rules refused the step: its submitter had no right to record it (it did
 * not hold the code, or was not its producer or brand, or was a relayer or auditor). The step is on
 * the ledger as signed evidence and changes nothing; the text says why, in the indexer's words.
 */
const refused = z.string().min(1).max(1000).optional();

/** Where an event sits: its signed capture, and that capture in a commitment on chain. */
const inCapture = {
  refused,
  eventProof: proof,
  capture: CaptureSchema,
  signature: hexBytes,
  captureProof: proof,
  commitment: CommitmentRefSchema,
};

/** A whole event (receipts, version-1 bundles); `salt` and `eventIndex` when its capture is format 2. */
export const EventStepSchema = z.strictObject({
  kind: z.literal("event"),
  event: z.record(z.string(), z.unknown()),
  /** the JSON-LD @context the event was captured under (namespaces for its extensions) */
  context: z.unknown().optional(),
  eventHash: hex32,
  salt: hex32.optional(),
  eventIndex: z.number().int().nonnegative().optional(),
  ...inCapture,
});

const text = z.string().max(2048);
export const ShownFieldsSchema = z.strictObject({
  type: text,
  action: text,
  bizStep: text,
  disposition: text,
  eventTime: text,
  eventTimeZoneOffset: text,
  readPoint: text,
  bizLocation: text,
  sourceTypes: z.array(text).max(64),
  destinationTypes: z.array(text).max(64),
});

export const DisclosedIdentifierSchema = z.strictObject({
  field: z.enum(IDENTIFIER_FIELDS),
  value: text,
  salt: hex32,
  proof,
});

/** An event of a format-2 capture, disclosed selectively: its shown fields and one code's identifiers. */
export const DisclosedEventStepSchema = z.strictObject({
  kind: z.literal("disclosed_event"),
  shown: ShownFieldsSchema,
  /** the event's CBV 2.0 hash and its capture's salt hash: opaque, the leaf commits to them */
  eventHash: hex32,
  saltHash: hex32,
  identifiers: z.array(DisclosedIdentifierSchema).min(1).max(8),
  ...inCapture,
});

/**
 * An event of a format-1 capture in a public bundle: it is in a signed, committed capture, but its
 * fields cannot be proven without the whole event, so `shown` is the indexer's word.
 */
export const RecordedEventStepSchema = z.strictObject({
  kind: z.literal("recorded_event"),
  shown: ShownFieldsSchema,
  eventHash: hex32,
  ...inCapture,
});

export const HandoverStepSchema = z.strictObject({
  kind: z.literal("handover"),
  /** participant-addressed (format 3) or, as older ledgers hold, key-addressed */
  handover: z.union([ParticipantHandoverSchema, HandoverSchema]),
  senderSignature: hexBytes,
  receiverSignature: hexBytes,
  /** the item of the handover's list that carries this code: the unit itself or its container */
  item: z.string().min(1),
  /** handover format 2: the item's salt (its leaf is (item, itemSalt)); absent for format 1 */
  itemSalt: hex32.optional(),
  itemProof: proof,
  proof,
  commitment: CommitmentRefSchema,
  refused,
});

export const ProofBundleSchema = z.strictObject({
  version: z.union([z.literal(1), z.literal(2)]),
  code: z.strictObject({ gtin: z.string().regex(/^\d{14}$/), serial: z.string().min(1).max(20) }),
  release: ReleaseSchema.nullable(),
  custody: z
    .array(
      z.discriminatedUnion("kind", [
        EventStepSchema,
        DisclosedEventStepSchema,
        RecordedEventStepSchema,
        HandoverStepSchema,
      ]),
    )
    .max(10_000),
  /** what the indexer says of consumer verifications; advisory only, it cannot be proven */
  verifications: z
    .object({ count: z.number().int().nonnegative(), regions: z.number().int().nonnegative() })
    .optional(),
});

export type ChainRef = z.infer<typeof ChainRefSchema>;
export type CommitmentRef = z.infer<typeof CommitmentRefSchema>;
export type Release = z.infer<typeof ReleaseSchema>;
export type EventStep = z.infer<typeof EventStepSchema>;
export type DisclosedEventStep = z.infer<typeof DisclosedEventStepSchema>;
export type RecordedEventStep = z.infer<typeof RecordedEventStepSchema>;
export type AnyEventStep = EventStep | DisclosedEventStep | RecordedEventStep;
export type HandoverStep = z.infer<typeof HandoverStepSchema>;
export type CustodyStep = AnyEventStep | HandoverStep;
export type ProofBundle = z.infer<typeof ProofBundleSchema>;
