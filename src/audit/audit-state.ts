import { sha256 } from "@noble/hashes/sha2";
import { bytesToHex } from "@noble/hashes/utils";
import { z } from "zod";
import type { CodeState } from "../core/lifecycle/code-state";
import { CHECK_IDS, type CheckId } from "./checks";
import { ViolationSchema, type Violation } from "./report-schema";

const n = z.number().int();
const where = z.object({ block: n, transaction: z.string() }).strict();

const ParticipantRecordSchema = z.object({ kind: n, gln: z.string(), name: z.string(), active: z.boolean() }).strict();
export type ParticipantRecord = z.infer<typeof ParticipantRecordSchema>;

const OrderRecordSchema = z
  .object({
    brand: n,
    producer: n,
    gtin: z.string(),
    lot: z.string(),
    expiry: n,
    erpReference: z.string(),
    opened: where,
    planned: n,
    released: n,
    voided: n,
    commissioned: n,
    /** voided codes commissioned all the same */
    exceptions: n,
    closed: z.boolean(),
    recalled: z.boolean(),
    batches: z.array(n),
    refused: z.array(z.object({ ...where.shape, count: n, releasedBefore: n, planned: n }).strict()),
  })
  .strict();
export type OrderRecord = z.infer<typeof OrderRecordSchema>;

const BatchRecordSchema = z
  .object({
    order: n,
    root: z.string(),
    count: n,
    cid: z.string(),
    ...where.shape,
    voided: n,
    commissioned: n,
    recalled: z.boolean(),
    /** its leaf file rebuilt the root and count (else its codes count as released by nobody) */
    leavesValid: z.boolean(),
  })
  .strict();
export type BatchRecord = z.infer<typeof BatchRecordSchema>;

const RelayerRecordSchema = z
  .object({ sequence: n, hash: z.string(), commitments: n, captures: n, events: n, handovers: n })
  .strict();
export type RelayerRecord = z.infer<typeof RelayerRecordSchema>;

/**
 * Everything the replay knows after a block: the registry, orders and batches, relayer heads,
 * every code's lifecycle state, and the violations so far. It is what a checkpoint saves and
 * `--since` resumes; its digest is over its canonical JSON, so any edit to a saved state shows.
 * Released leaves are not in it: they are read again from the content store by CID.
 */
export class AuditState {
  block = -1;
  participants = new Map<number, ParticipantRecord>();
  keys = new Map<string, { participant: number; active: boolean }>();
  prefixes = new Map<string, number>();
  orders = new Map<number, OrderRecord>();
  batches = new Map<number, BatchRecord>();
  relayers = new Map<number, RelayerRecord>();
  voidedLeaves = new Set<string>();
  /** leaves of released codes that have been commissioned */
  commissionedLeaves = new Set<string>();
  /** capture and handover digests already applied (the same entry committed again adds nothing) */
  entries = new Set<string>();
  codes = new Map<string, CodeState>();
  checked = Object.fromEntries(CHECK_IDS.map((c) => [c, 0])) as Record<CheckId, number>;
  totals = { commitments: 0, captures: 0, events: 0, handovers: 0 };
  violations: Violation[] = [];

  toJSON(): SavedState {
    return {
      version: 1,
      block: this.block,
      participants: [...this.participants],
      keys: [...this.keys],
      prefixes: [...this.prefixes],
      orders: [...this.orders],
      batches: [...this.batches],
      relayers: [...this.relayers],
      voidedLeaves: [...this.voidedLeaves],
      commissionedLeaves: [...this.commissionedLeaves],
      entries: [...this.entries],
      codes: [...this.codes.values()].map((c) => [
        c.epc,
        c.commissioned ? 1 : 0,
        c.ended,
        c.holder,
        c.parent,
        c.lastTime,
        c.lastPlace,
      ]),
      checked: this.checked,
      totals: this.totals,
      violations: this.violations,
    };
  }

  /** The state a saved one describes, after checking its shape (a state file is outside input). */
  static fromJSON(json: unknown): AuditState {
    const saved = SavedStateSchema.parse(json) as SavedState;
    const s = new AuditState();
    s.block = saved.block;
    s.participants = new Map(saved.participants);
    s.keys = new Map(saved.keys);
    s.prefixes = new Map(saved.prefixes);
    s.orders = new Map(saved.orders);
    s.batches = new Map(saved.batches);
    s.relayers = new Map(saved.relayers);
    s.voidedLeaves = new Set(saved.voidedLeaves);
    s.commissionedLeaves = new Set(saved.commissionedLeaves);
    s.entries = new Set(saved.entries);
    for (const [epc, commissioned, ended, holder, parent, lastTime, lastPlace] of saved.codes) {
      s.codes.set(epc, { epc, commissioned: commissioned === 1, ended, holder, parent, lastTime, lastPlace });
    }
    s.checked = { ...s.checked, ...saved.checked };
    s.totals = saved.totals;
    s.violations = saved.violations.map((v) => ({ ...v, new: false }));
    return s;
  }
}

/** The SHA-256 of a saved state's JSON text, 0x-hex. */
export function stateDigest(text: string): string {
  return `0x${bytesToHex(sha256(new TextEncoder().encode(text)))}`;
}

const SavedStateSchema = z.object({
  version: z.literal(1),
  block: n,
  participants: z.array(z.tuple([n, ParticipantRecordSchema])),
  keys: z.array(z.tuple([z.string(), z.object({ participant: n, active: z.boolean() })])),
  prefixes: z.array(z.tuple([z.string(), n])),
  orders: z.array(z.tuple([n, OrderRecordSchema])),
  batches: z.array(z.tuple([n, BatchRecordSchema])),
  relayers: z.array(z.tuple([n, RelayerRecordSchema])),
  voidedLeaves: z.array(z.string()),
  commissionedLeaves: z.array(z.string()),
  entries: z.array(z.string()),
  codes: z.array(
    z.tuple([
      z.string(),
      z.union([z.literal(0), z.literal(1)]),
      z.enum(["", "sold", "decommissioned"]),
      n,
      z.string(),
      z.number(),
      z.string(),
    ]),
  ),
  checked: z.record(z.string(), n),
  totals: z.object({ commitments: n, captures: n, events: n, handovers: n }),
  violations: z.array(ViolationSchema),
});

export interface SavedState {
  version: 1;
  block: number;
  participants: [number, ParticipantRecord][];
  keys: [string, { participant: number; active: boolean }][];
  prefixes: [string, number][];
  orders: [number, OrderRecord][];
  batches: [number, BatchRecord][];
  relayers: [number, RelayerRecord][];
  voidedLeaves: string[];
  commissionedLeaves: string[];
  entries: string[];
  codes: [string, 0 | 1, CodeState["ended"], number, string, number, string][];
  checked: Record<CheckId, number>;
  totals: AuditState["totals"];
  violations: Violation[];
}
