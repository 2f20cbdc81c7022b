import { z } from "zod";
import { CHECK_IDS, VIOLATION_KIND_IDS, type CheckId, type ViolationKind } from "./checks";

const hex32 = z.string().regex(/^0x[0-9a-f]{64}$/);
const address = z.string().regex(/^0x[0-9a-f]{40}$/);
const count = z.number().int().nonnegative();
const where = z.object({ block: count, transaction: hex32 }).strict();

/** What shows a violation: where on the chain, which content, which event or entry, who. */
export const EvidenceSchema = z
  .object({
    block: count,
    transaction: hex32,
    cid: z.string().optional(),
    relayer: count.optional(),
    sequence: count.optional(),
    entryDigest: hex32.optional(),
    eventHash: hex32.optional(),
    epc: z.string().optional(),
    submitter: address.optional(),
    participant: count.optional(),
    participantName: z.string().optional(),
    order: count.optional(),
    batch: count.optional(),
  })
  .strict();
export type Evidence = z.infer<typeof EvidenceSchema>;

export const ViolationSchema = z
  .object({
    /** stable across runs: the same finding has the same id */
    id: z.string().regex(/^[0-9a-f]{16}$/),
    kind: z.enum(VIOLATION_KIND_IDS as [ViolationKind, ...ViolationKind[]]),
    check: z.enum(CHECK_IDS as [CheckId, ...CheckId[]]),
    title: z.string(),
    /** what happened, in plain words */
    explanation: z.string(),
    evidence: EvidenceSchema,
    /** found after the checkpoint this run continued from */
    new: z.boolean(),
  })
  .strict();
export type Violation = z.infer<typeof ViolationSchema>;

export const BatchRowSchema = z
  .object({
    batch: count,
    root: hex32,
    count,
    cid: z.string(),
    ...where.shape,
    commissioned: count,
    voided: count,
    recalled: z.boolean(),
  })
  .strict();

export const RefusedReleaseSchema = z.object({ ...where.shape, count, releasedBefore: count, planned: count }).strict();

export const OrderRowSchema = z
  .object({
    order: count,
    brand: count,
    producer: count,
    gtin: z.string(),
    lot: z.string(),
    expiry: count,
    erpReference: hex32,
    opened: where,
    planned: count,
    released: count,
    commissioned: count,
    voided: count,
    unused: z.number().int(),
    /** voided codes that were commissioned all the same */
    exceptions: count,
    balanced: z.boolean(),
    closed: z.boolean(),
    recalled: z.boolean(),
    batches: z.array(BatchRowSchema),
    /** release attempts past the plan that the contract refused, as it must */
    refusedReleases: z.array(RefusedReleaseSchema),
  })
  .strict();
export type OrderRow = z.infer<typeof OrderRowSchema>;

export const AUDIT_REPORT_SCHEMA = "trackroot.audit.v1";

/** A checkpoint: where a run stopped, what the chain said there, and the digest of the replayed state. */
export const CheckpointSchema = z
  .object({
    block: count,
    blockHash: hex32,
    stateDigest: hex32,
    /** the state file beside the report that a later `--since` continues from */
    stateFile: z.string(),
  })
  .strict();
export type Checkpoint = z.infer<typeof CheckpointSchema>;

/** The audit report (JSON), versioned by `schema`; docs/audit-report-v1.schema.json is generated from it. */
export const AuditReportSchema = z
  .object({
    schema: z.literal(AUDIT_REPORT_SCHEMA),
    generatedAt: z.string().datetime(),
    verdict: z.enum(["clean", "violations"]),
    chain: z
      .object({
        chainId: count,
        contracts: z.object({ registry: address, serials: address, log: address }).strict(),
        fromBlock: count,
        toBlock: count,
      })
      .strict(),
    since: CheckpointSchema.omit({ stateFile: true }).optional(),
    checkpoint: CheckpointSchema,
    totals: z
      .object({
        participants: count,
        orders: count,
        batches: count,
        codesReleased: count,
        codesVoided: count,
        codesCommissioned: count,
        commitments: count,
        captures: count,
        events: count,
        handovers: count,
        refusedReleases: count,
        violations: count,
        newViolations: count,
      })
      .strict(),
    checks: z.array(
      z
        .object({
          id: z.enum(CHECK_IDS as [CheckId, ...CheckId[]]),
          title: z.string(),
          passed: z.boolean(),
          /** how many things this check looked at */
          checked: count,
          violations: count,
        })
        .strict(),
    ),
    brands: z.array(
      z
        .object({
          participant: count,
          name: z.string(),
          gln: z.string(),
          prefixes: z.array(z.string()),
          orders: z.array(OrderRowSchema),
        })
        .strict(),
    ),
    relayers: z.array(
      z
        .object({
          participant: count,
          name: z.string(),
          commitments: count,
          captures: count,
          events: count,
          handovers: count,
          headSequence: count,
          headHash: hex32,
        })
        .strict(),
    ),
    violations: z.array(ViolationSchema),
  })
  .strict();
export type AuditReport = z.infer<typeof AuditReportSchema>;
