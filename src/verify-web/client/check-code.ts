import type { LedgerFacts, ProductFacts } from "../../chain/ledger-facts";
import type { Address } from "viem";
import { ProofBundleSchema, type CustodyStep } from "../../core/proof/bundle";
import { verifyBundle, type Check, type ReadRoot } from "../../core/proof/verify-bundle";
import type { CodeRef } from "./code-input";
import { timelineOf, type TimelineEntry } from "./timeline";
import type { ProductRecordCheck } from "./product-record-check";

/** The verdicts a visitor can see, most urgent first when more than one applies. */
export type VerdictKind = "unverifiable" | "unknown" | "recalled" | "suspicious" | "sold" | "genuine";

/** What the indexer says of consumer verifications of this code: a warning, never a proof. */
export interface Verifications {
  count: number;
  regions: number;
  warning: boolean;
}

export interface FetchedBundle {
  bundle: unknown;
  verifications: Verifications | null;
}

/** What checking a code needs: the indexer's bundle, and the chain for everything else. */
export interface CheckCodeDeps {
  /** the code's proof bundle from the indexer; throws when the indexer cannot be reached */
  fetchBundle: (code: CodeRef) => Promise<FetchedBundle>;
  readRoot: ReadRoot;
  facts: Pick<LedgerFacts, "productOfBatch" | "participantOfKey" | "participant">;
  /** the GTIN's product record checked against the chain (absent: not shown) */
  productRecord?: (gtin: string) => Promise<ProductRecordCheck | null>;
}

/** Why a verdict is what it is, when it needs saying: the page puts it into the visitor's words. */
export type Reason =
  | { kind: "server_down"; detail: string }
  | { kind: "chain_down" }
  | { kind: "disagree"; check: string; detail: string }
  | { kind: "lot_mismatch"; lot: string }
  | { kind: "ended"; step: string; time: string };

export interface Outcome {
  verdict: VerdictKind;
  code: CodeRef;
  /** why, when the verdict needs a reason */
  reason: Reason | null;
  checks: Check[];
  product: ProductFacts | null;
  timeline: TimelineEntry[];
  verifications: Verifications | null;
  /** the bundle as the indexer sent it, for the visitor to download and check elsewhere */
  bundle: unknown;
  /** the brand's product record for the GTIN, checked against the chain; null when none is shown */
  record: ProductRecordCheck | null;
}

const CHAIN_DOWN: Reason = { kind: "chain_down" };

/**
 * Checks one code as the verification page does: the indexer's proof bundle verified against roots
 * read from the chain, the product and the names on the timeline read from the chain too. The
 * indexer's word decides nothing but the clone warning, which says so.
 */
export async function checkCode(code: CodeRef, deps: CheckCodeDeps): Promise<Outcome> {
  const outcome: Outcome = {
    verdict: "unverifiable",
    code,
    reason: null,
    checks: [],
    product: null,
    timeline: [],
    verifications: null,
    bundle: null,
    record: null,
  };
  // the product record is asked beside everything else: it depends only on the GTIN
  const record = deps.productRecord ? settle(deps.productRecord(code.gtin)) : null;
  let fetched: FetchedBundle;
  try {
    fetched = await deps.fetchBundle(code);
  } catch (e) {
    return { ...outcome, reason: { kind: "server_down", detail: (e as Error).message } };
  }
  outcome.bundle = fetched.bundle;
  outcome.verifications = fetched.verifications;

  // the product is read beside the verification, from the batch the bundle names
  const parsed = ProofBundleSchema.safeParse(fetched.bundle);
  const release = parsed.success ? parsed.data.release : null;
  const product = release ? settle(deps.facts.productOfBatch(BigInt(release.batchId))) : null;
  // and the names on the timeline (remembered by the facts), so the chain answers everything at once
  if (parsed.success) for (const key of signersOf(parsed.data.custody)) void settle(deps.facts.participantOfKey(key));

  const verified = await verifyBundle(fetched.bundle, deps.readRoot, {
    code: { gtin: code.gtin, serial: code.serial },
    keyOwner: async (key) => (await deps.facts.participantOfKey(key))?.id ?? null,
  });
  outcome.checks = verified.checks;
  if (verified.verdict === "unverifiable") {
    const failed = verified.checks.find((c) => !c.ok);
    outcome.reason =
      !failed || failed.name === "chain" ? CHAIN_DOWN : { kind: "disagree", check: failed.name, detail: failed.detail };
    return outcome;
  }
  if (verified.verdict === "unknown" || !parsed.success || !product) return { ...outcome, verdict: "unknown" };

  try {
    outcome.product = await product.then(unwrap);
  } catch {
    return { ...outcome, reason: CHAIN_DOWN };
  }
  if (code.lot !== undefined) {
    const released = outcome.product?.lot ?? "";
    const ok = released === code.lot;
    outcome.checks.push({
      name: "lot on the pack",
      ok,
      detail: ok
        ? `lot ${released}, as released`
        : `the pack says lot ${code.lot}, the code was released for lot ${released}`,
    });
    if (!ok) return { ...outcome, reason: { kind: "lot_mismatch", lot: code.lot } };
  }
  try {
    outcome.timeline = await timelineOf(parsed.data.custody, deps.facts);
  } catch {
    return { ...outcome, reason: CHAIN_DOWN };
  }
  // a record that could not be read (a chain that answers no productRecord, as a registry deployed
  // before product records) is not shown: the code's proof does not depend on it
  const checked = record ? await record : null;
  outcome.record = checked?.ok ? checked.value : null;
  if (outcome.record)
    outcome.checks.push({
      name: "product record",
      ok: outcome.record.ok,
      detail: outcome.record.ok
        ? `version ${outcome.record.version}, ${outcome.record.cid}, as the chain names it`
        : outcome.record.detail,
    });

  if (verified.verdict === "recalled") return { ...outcome, verdict: "recalled" };
  if (fetched.verifications?.warning) return { ...outcome, verdict: "suspicious" };
  if (verified.verdict === "decommissioned") {
    const end = outcome.timeline.filter((t) => t.ends).at(-1);
    return { ...outcome, verdict: "sold", reason: end ? { kind: "ended", step: end.step, time: end.time } : null };
  }
  return { ...outcome, verdict: "genuine" };
}

function signersOf(custody: readonly CustodyStep[]): Set<Address> {
  const keys = new Set<Address>();
  for (const step of custody) {
    // a participant-addressed handover's keys are known once its signatures are recovered
    if (step.kind !== "handover") keys.add(step.capture.submitter);
    else if (!("fromParticipant" in step.handover)) keys.add(step.handover.from).add(step.handover.to);
  }
  return keys;
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** A promise that never rejects unobserved: it is awaited only on the paths that need it. */
function settle<T>(p: Promise<T>): Promise<Settled<T>> {
  return p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

function unwrap<T>(s: Settled<T>): T {
  if (!s.ok) throw s.error;
  return s.value;
}
