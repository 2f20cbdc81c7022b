import { type Address } from "viem";
import type { CommitmentEvent } from "../chain/ledger-event";
import { isParticipantHandover } from "../core/custody/handover-message";
import { commitmentHash } from "../core/custody/commitment-hash";
import {
  verifyCommitmentContent,
  type VerifiedCapture,
  type VerifiedHandover,
} from "../core/custody/commitment-content";
import { canonicalValue } from "../core/epcis/canonical-value";
import { validateEpcisEvent } from "../core/epcis/validate";
import { eventFact } from "../core/lifecycle/event-fact";
import type { AuditContext } from "./audit-context";
import type { LedgerEventAt } from "./ledger-log";
import type { LifecycleReplay } from "./lifecycle-replay";
import type { Evidence } from "./report-schema";

const ZERO_HASH = `0x${"0".repeat(64)}`;

/**
 * The commitments stage: each relayer's hash chain, then its published content, each entry on its
 * own: valid captures' events and valid handovers go on to the lifecycle stage, the rest are violations.
 */
export async function replayCommitment(
  ctx: AuditContext,
  lifecycle: LifecycleReplay,
  log: LedgerEventAt & CommitmentEvent,
  bytes: Uint8Array,
): Promise<void> {
  const { state, chainId, contracts } = ctx.options;
  const a = log.args;
  const { relayer, sequence, contentCid: cid } = a;
  const evidence: Evidence = { block: log.at.block, transaction: log.at.transaction, cid, relayer, sequence };
  const r = state.relayers.get(relayer) ?? {
    sequence: 0,
    hash: ZERO_HASH,
    commitments: 0,
    captures: 0,
    events: 0,
    handovers: 0,
  };
  state.relayers.set(relayer, r);
  ctx.check("commitment_chain");
  // what the chain recorded of the commitment: hashed into its log's chain, and what its content must match
  const record = { chainId, commitmentLog: contracts.log, relayer, sequence, root: a.root, eventCount: a.eventCount };
  const hash = commitmentHash({ ...record, contentCid: cid, previousHash: a.previousHash });
  const broken =
    sequence !== r.sequence + 1
      ? `sequence ${sequence} follows sequence ${r.sequence}`
      : a.previousHash !== r.hash
        ? `it names previous hash ${a.previousHash}, the last commitment's is ${r.hash}`
        : hash !== a.hash
          ? `its fields hash to ${hash}, the log recorded ${a.hash}`
          : "";
  if (broken) {
    ctx.flag(
      "commitment_chain_broken",
      `Relayer ${ctx.name(relayer)}'s log is broken at commitment ${sequence}: ${broken}.`,
      evidence,
    );
  }
  r.sequence = sequence;
  r.hash = a.hash;
  r.commitments++;
  state.totals.commitments++;
  ctx.check("commitment_content");
  const verdict = await verifyCommitmentContent(bytes, record, async (key) => ctx.keyStanding(key));
  if (!verdict.valid) {
    ctx.flag(
      "commitment_content_mismatch",
      `The content published for commitment ${sequence} of relayer ${ctx.name(relayer)} does not match it: ${verdict.detail}. None of its events can be shown to be on the ledger.`,
      evidence,
    );
    return;
  }
  for (const entry of verdict.entries) {
    if (state.entries.has(entry.digest)) continue;
    state.entries.add(entry.digest);
    const at = { ...evidence, entryDigest: entry.digest };
    if (entry.kind === "capture") capture(ctx, lifecycle, entry, at, r);
    else handover(ctx, lifecycle, entry, at, r);
  }
}

function capture(
  ctx: AuditContext,
  lifecycle: LifecycleReplay,
  entry: VerifiedCapture,
  evidence: Evidence,
  r: { captures: number; events: number },
): void {
  const { state } = ctx.options;
  ctx.check("captures");
  state.totals.captures++;
  const submitter = entry.capture?.submitter.toLowerCase() as Address | undefined;
  const at = { ...evidence, ...(submitter && /^0x[0-9a-f]{40}$/.test(submitter) ? { submitter } : {}) };
  if (!entry.valid && entry.failure === "inconsistent") {
    // the signature is the submitter's and the content is what it signed: the relayer is not to blame
    const participant = entry.participant ?? 0;
    ctx.flag(
      "capture_inconsistent",
      `${ctx.name(participant)} signed a capture whose disclosed parts its own events contradict: ${entry.detail}. A public proof built on it would show what the events do not say, so its events are not counted.`,
      { ...at, participant, participantName: ctx.name(participant) },
    );
    return;
  }
  if (!entry.valid) {
    const inactive = entry.failure === "key_inactive" || entry.failure === "key_unregistered";
    ctx.flag(
      inactive ? "capture_key_not_active" : "capture_forged",
      inactive
        ? `A capture of ${entry.capture?.eventCount ?? "?"} events was signed by ${submitter}, which ${entry.failure === "key_unregistered" ? "was not a registered key" : "had been revoked, or whose participant was deactivated,"} when it was committed: ${entry.detail}. Its events are not counted.`
        : `A capture in the published content does not hold: ${entry.detail}. Its events are not counted.`,
      at,
    );
    return;
  }
  r.captures++;
  const participant = entry.participant ?? 0;
  for (const [index, { event, hash, rejected }] of entry.events.entries()) {
    if (rejected) {
      // the signature covers every event; only the relayer says which failed validation
      ctx.check("rejections");
      if (validateEpcisEvent(event).length === 0) {
        ctx.flag(
          "event_withheld",
          `The relayer marked event ${index} of a capture by ${ctx.name(participant)} as invalid and left it out of the ledger, but it is a valid EPCIS 2.0 event.`,
          { ...at, eventHash: hash, participant, participantName: ctx.name(participant) },
        );
      }
      continue;
    }
    r.events++;
    state.totals.events++;
    lifecycle.apply(eventFact(event, hash, participant), {
      ...at,
      eventHash: hash,
      participant,
      participantName: ctx.name(participant),
    });
  }
}

function handover(
  ctx: AuditContext,
  lifecycle: LifecycleReplay,
  entry: VerifiedHandover,
  evidence: Evidence,
  r: { handovers: number },
): void {
  const { state } = ctx.options;
  ctx.check("handovers");
  state.totals.handovers++;
  if (!entry.valid || !entry.handover) {
    const inactive = ["key_inactive", "key_unregistered", "not_custodian"].includes(entry.failure ?? "");
    ctx.flag(
      inactive ? "handover_key_not_active" : "handover_forged",
      `A custody handover of ${entry.items.length} items does not hold: ${entry.detail}. Custody did not pass.`,
      { ...evidence, ...(senderKeyOf(entry) ? { submitter: senderKeyOf(entry) } : {}) },
    );
    return;
  }
  r.handovers++;
  const sender = entry.sender ?? 0;
  lifecycle.apply(
    {
      kind: "handover",
      ref: entry.digest,
      sender,
      receiver: entry.receiver ?? 0,
      time: Number(entry.handover.eventTime) * 1000,
      items: entry.items.map((i) => canonicalValue(i)),
    },
    {
      ...evidence,
      submitter: senderKeyOf(entry),
      participant: sender,
      participantName: ctx.name(sender),
    },
  );
}

/** The key that signed (or, for a failed key-addressed handover, was named to sign) the sender's half. */
function senderKeyOf(entry: VerifiedHandover): Address | undefined {
  const key =
    entry.senderKey ?? (entry.handover && !isParticipantHandover(entry.handover) ? entry.handover.from : undefined);
  return key?.toLowerCase() as Address | undefined;
}
