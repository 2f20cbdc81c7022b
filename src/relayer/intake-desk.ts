import type { Address, Hex } from "viem";
import { DOCUMENT_DEPTH_LIMIT, parseStrictJson } from "../core/json/strict-json";
import {
  authenticateCapture,
  checkCaptureDocument,
  type AuthenticatedCapture,
  type CaptureEnvelope,
  type IntakeOptions,
} from "./capture-intake";
import { encodeCaptureEntryBody, encodeHandoverEntryBody } from "../core/custody/commitment-document";
import { handoverMessageJson } from "../core/custody/handover-message";
import type { CoSignedParticipantHandoverJson } from "../core/custody/handover-proposal";
import type { BatchQueue } from "./batch-queue";
import { GroupCommit } from "./group-commit";
import { checkHandover } from "./handover-intake";
import type { RelayerMetrics } from "./metrics";
import type { RateLimiter } from "../http/rate-limiter";
import type { NewEntry, EntryEvent, RelayerStore } from "./relayer-store";

export interface IntakeDeskOptions extends IntakeOptions {
  store: RelayerStore;
  queue: BatchQueue;
  /** per-submitter limit, charged in events once a submission's signatures check out */
  limiter?: RateLimiter;
  metrics?: RelayerMetrics;
  /** told when something new is queued (the pipeline wakes up) */
  onQueued?: () => void;
}

export interface Acknowledgement {
  id: string;
  /** false when the same signed submission was already stored */
  created: boolean;
  rejected: unknown[];
}

/** A handover request is flat: the message, its items and signatures. */
const MAX_HANDOVER_DEPTH = 4;

/**
 * Intake: checks a capture or a handover, stores it durably (group commit: entries checked at the
 * same time share a transaction), and tells the queue. An acknowledgement is returned only after
 * the database committed the entry.
 */
export class IntakeDesk {
  private readonly writer: GroupCommit;

  constructor(private readonly options: IntakeDeskOptions) {
    this.writer = new GroupCommit(options.store);
  }

  /**
   * The first step of a capture, from its envelope only: the submitter's bucket, the signature and
   * the key's standing. The body is read only after this passes.
   */
  async authenticateCapture(envelope: CaptureEnvelope): Promise<AuthenticatedCapture> {
    this.precheck(envelope.submitter);
    return authenticateCapture(envelope, this.options);
  }

  /**
   * The second step: the document as the exact text that came in, parsed strictly (no duplicate
   * names, exact numbers, bounded nesting) so that the text stored and published is the one whose
   * events were hashed, never a re-serialisation.
   */
  async acceptCapture(
    text: string,
    auth: AuthenticatedCapture,
    behaviour: "rollback" | "proceed",
  ): Promise<Acknowledgement> {
    const document = parseStrictJson(text, { maxDepth: DOCUMENT_DEPTH_LIMIT });
    const accepted = checkCaptureDocument(document, auth, behaviour);
    const body = encodeCaptureEntryBody(text, {
      capture: { ...accepted.capture, issuedAt: accepted.capture.issuedAt.toString() },
      signature: accepted.signature,
      rejected: accepted.rejected,
      format: accepted.format,
      salt: accepted.salt,
      parts: accepted.parts,
    });
    const ack = await this.store(
      {
        digest: accepted.digest,
        kind: "capture",
        submitter: accepted.capture.submitter.toLowerCase(),
        nonce: accepted.capture.nonce,
        body,
        event_count: accepted.capture.eventCount,
        received_at: new Date(this.options.now()).toISOString(),
      },
      accepted.eventHashes.flatMap((hash, position) => (hash === null ? [] : [{ position, hash }])),
    );
    return { ...ack, rejected: accepted.rejected };
  }

  async acceptHandover(text: string): Promise<Acknowledgement> {
    const body = parseStrictJson(text, { maxDepth: MAX_HANDOVER_DEPTH });
    const from = (body as { handover?: { from?: unknown } } | null)?.handover?.from;
    if (typeof from === "string") this.precheck(from);
    const accepted = await checkHandover(body, this.options);
    const h = accepted.handover;
    const ack = await this.store(
      {
        digest: accepted.digest,
        kind: "handover",
        submitter: h.from.toLowerCase(),
        // one handover per id and sender
        nonce: h.handoverId,
        body: encodeHandoverEntryBody({
          handover: handoverMessageJson(h),
          items: accepted.request.items,
          ...(accepted.request.shipmentRef !== undefined ? { shipmentRef: accepted.request.shipmentRef } : {}),
          salt: accepted.request.salt.toLowerCase() as Hex,
          senderSignature: accepted.request.senderSignature,
          receiverSignature: accepted.request.receiverSignature,
        }),
        // a handover is one custody event
        event_count: 1,
        received_at: new Date(this.options.now()).toISOString(),
      },
      [],
    );
    return { ...ack, rejected: [] };
  }

  /**
   * A format-3 handover whose two halves the mailbox checked (the sender's at proposal, the
   * receiver's at acceptance): stored and queued as any handover, under the sender's key.
   */
  async acceptCoSignedHandover(
    handover: CoSignedParticipantHandoverJson,
    senderKey: string,
    digest: string,
  ): Promise<Acknowledgement> {
    const ack = await this.store(
      {
        digest,
        kind: "handover",
        submitter: senderKey.toLowerCase(),
        nonce: handover.handover.handoverId,
        body: encodeHandoverEntryBody(handover),
        event_count: 1,
        received_at: new Date(this.options.now()).toISOString(),
      },
      [],
    );
    return { ...ack, rejected: [] };
  }

  /** Refuses early a submitter whose bucket is empty (spends nothing: the claim is not verified yet). */
  private precheck(submitter: string): void {
    if (/^0x[0-9a-fA-F]{40}$/.test(submitter)) this.options.limiter?.check(submitter.toLowerCase());
  }

  private async store(entry: NewEntry, events: readonly EntryEvent[]): Promise<Omit<Acknowledgement, "rejected">> {
    const { store, queue, limiter, metrics } = this.options;
    const existing = await store.entry(entry.digest);
    if (existing) {
      metrics?.duplicates.inc();
      return { id: entry.digest, created: false };
    }
    limiter?.take(entry.submitter as Address, entry.event_count);
    const { created } = await this.writer.insert(entry, events);
    if (created) {
      metrics?.accepted.inc({ kind: entry.kind });
      metrics?.acceptedEvents.inc(entry.event_count);
      queue.added(entry.event_count, this.options.now());
      this.options.onQueued?.();
    } else {
      metrics?.duplicates.inc();
    }
    return { id: entry.digest, created };
  }
}
