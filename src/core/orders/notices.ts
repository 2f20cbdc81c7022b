import { z } from "zod";

const hex32 = z.string().regex(/^0x[0-9a-f]{64}$/, "a 0x-prefixed 32-byte hex string");
const decimal = z.string().regex(/^[1-9]\d*$/, "a positive decimal id");

/**
 * A recall notice: what the CID on a BatchRecalled or OrderRecalled event points at, so a consumer
 * sees why a product was recalled. Published to the content store before the transaction.
 */
export const RecallNoticeSchema = z
  .object({
    type: z.literal("trackroot.recall.v1"),
    scope: z.enum(["order", "batch"]),
    id: decimal,
    reason: z.string().min(1).max(2000),
    issuedAt: z.string().datetime(),
  })
  .strict();
export type RecallNotice = z.infer<typeof RecallNoticeSchema>;

/**
 * A void notice: the CID in a CodesVoided event's reason. It lists the voided leaves (never the
 * serials) so a verifier can tell a voided code, and their Merkle root equals the event's root.
 */
export const VoidNoticeSchema = z
  .object({
    type: z.literal("trackroot.void.v1"),
    batch: decimal,
    reason: z.string().min(1).max(2000),
    root: hex32,
    leaves: z.array(hex32).min(1),
  })
  .strict();
export type VoidNotice = z.infer<typeof VoidNoticeSchema>;

/** A notice as the bytes that are published: JSON with keys in schema order. */
export function encodeNotice(notice: RecallNotice | VoidNotice): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(notice));
}
