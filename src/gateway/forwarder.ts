import { captureDigest, type CustodyDomain } from "../core/custody/eip712";
import type { JsonValue } from "../core/epcis/event-hash";
import { NotFoundError, RateLimitedError, TrackrootError, UnavailableError } from "../core/errors";
import { parseStrictJson, DOCUMENT_DEPTH_LIMIT } from "../core/json/strict-json";
import { problemOf } from "../http/problem";
import type { RelayerClient } from "../client/relayer-client";
import {
  captureSummary,
  randomSalt,
  signCaptureSummary,
  type CaptureSummary,
  type SignedCaptureEnvelope,
} from "../client/sign-capture";
import type { Hex } from "../core/bytes";
import type { Signer } from "../client/signer";
import { GroupWriter } from "../store/group-writer";
import { Slots } from "./slots";
import type { DueRow, OutboxRow, OutboxStore } from "./outbox-store";

export interface ForwarderOptions {
  store: OutboxStore;
  /** the relayers in order of preference: the first, then the next when one withholds */
  relayers: readonly { url: string; client: Pick<RelayerClient, "captureText" | "status"> }[];
  signer: Signer;
  domain: CustodyDomain;
  /** a capture a relayer acknowledged but has not committed this long goes to the next relayer */
  failoverMs: number;
  /** how often a forwarded capture's status is asked */
  pollMs: number;
  /** how many captures are at the relayers at once (as many more are signed meanwhile) */
  concurrency: number;
  /** how old a signed capture may be at the relayers (their TRACKROOT_CAPTURE_MAX_AGE_SECONDS) */
  maxAgeSeconds: number;
  /**
   * a document's events root and count under a salt: the hashing that grows with it (default: on
   * this thread; the gateway's main runs it on a worker, so acknowledgements are not held up)
   */
  summarize?: (text: string, salt: Hex) => Promise<CaptureSummary>;
  now?: () => number;
  log: (event: string, detail: Record<string, unknown>) => void;
  /** crash tests only: told at each step; may end the process */
  onStep?: (step: "signed" | "sent", id: string) => void;
}

const MAX_BACKOFF_MS = 30_000;
/** The longest a forwarded capture waits between asks after its commitment. */
const MAX_CHECK_MS = 15_000;

/** The envelope of a stored capture, issuedAt and all as the relayer's headers carry them. */
function envelopeOf(row: DueRow): SignedCaptureEnvelope | null {
  return row.envelope ? (JSON.parse(row.envelope) as SignedCaptureEnvelope) : null;
}

export function envelopeDigest(domain: CustodyDomain, e: SignedCaptureEnvelope): string {
  return captureDigest(domain, {
    submitter: e.submitter,
    eventsRoot: e.eventsRoot,
    eventCount: Number(e.eventCount),
    nonce: e.nonce,
    issuedAt: BigInt(e.issuedAt),
  });
}

/**
 * Forwards the outbox to the relayers, exactly once in effect: a capture is signed once (the
 * envelope is stored before the first send), so every resend is the same signed capture, which a
 * relayer that already has it answers as a duplicate. Retryable failures (a relayer down, busy or
 * erroring) back off and retry; a refusal ends the job with the relayer's problem. A relayer that
 * acknowledged a capture and has not committed it within `failoverMs` is passed over: the same
 * signed capture goes to the next relayer, and the indexer counts it once whoever commits it.
 */
export class Forwarder {
  private timer: NodeJS.Timeout | undefined;
  private readonly writes: GroupWriter<{ id: string; patch: Partial<Omit<OutboxRow, "id">> }>;
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly sending: Slots;

  constructor(private readonly options: ForwarderOptions) {
    this.writes = new GroupWriter((changes) => options.store.updateMany(changes));
    this.sending = new Slots(options.concurrency);
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Something new is due: look now rather than at the next tick. */
  poke(): void {
    if (!this.stopped && !this.running) this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      let busy = false;
      this.running = this.tick()
        .then((n) => void (busy = n > 0))
        .catch((e) => this.options.log("forwarder.error", { error: (e as Error).message }))
        .finally(() => {
          this.running = undefined;
          // while there is work, straight on; when there is none, look again after pollMs
          if (!this.stopped) this.schedule(busy ? 0 : this.options.pollMs);
        });
    }, ms);
  }

  /**
   * One pass over what is due; resolves, with how many were, when each was sent or looked at. Each
   * capture goes its own way (signed, its envelope stored, sent, its outcome stored) while the
   * writes of captures in flight together share a transaction. The pass refills as it goes, so a
   * slow capture never holds the others back: it ends when the store has nothing due that is not
   * already in flight.
   */
  async tick(): Promise<number> {
    const limit = this.options.concurrency * 8;
    // twice as many captures in hand as sent at once: while some are at the relayers, the next are
    // signed, so a relayer is never left waiting for the gateway's hashing
    const hands = this.options.concurrency * 2;
    const taken = new Set<string>();
    let queue: DueRow[] = [];
    let handled = 0;
    let exhausted = false;
    let refilling: Promise<void> | undefined;
    const refill = () =>
      (refilling ??= (async () => {
        // a row is taken once a pass (a row read before its outcome was stored is stale): rows in
        // flight are still due until then, so ask for enough to pass them
        const rows = await this.options.store.due(this.now(), limit + taken.size);
        const fresh = rows.filter((r) => !taken.has(r.id));
        for (const r of fresh) taken.add(r.id);
        queue = queue.concat(fresh);
        if (fresh.length === 0) exhausted = true;
      })().finally(() => (refilling = undefined)));
    const worker = async () => {
      while (!this.stopped) {
        if (queue.length <= hands && !exhausted) {
          const pending = refill();
          if (queue.length === 0) await pending;
        }
        const row = queue.shift();
        if (!row) {
          if (exhausted || this.stopped) return;
          continue;
        }
        handled++;
        await (row.status === "pending" ? this.forward(row) : this.check(row));
      }
    };
    await Promise.all(Array.from({ length: hands }, worker));
    return handled;
  }

  /** A change to a row, committed (with those of other captures in flight) before this resolves. */
  private write(id: string, patch: Partial<Omit<OutboxRow, "id">>): Promise<void> {
    return this.writes.add({ id, patch });
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private async forward(row: DueRow): Promise<void> {
    const { relayers, log } = this.options;
    const document = await this.options.store.document(row.id);
    const envelope = envelopeOf(row) ?? (await this.sign(row, document));
    const relayer = relayers[row.relayer_index % relayers.length];
    try {
      const ack = await this.sending.run(() => relayer.client.captureText(document, envelope, row.behaviour));
      // the relayer has it and the outbox does not know yet: a crash here resends, a duplicate
      this.options.onStep?.("sent", row.id);
      const sentTo = [...new Set([...(JSON.parse(row.sent_to) as string[]), relayer.url])];
      const left = ack.rejectedEvents ?? [];
      await this.write(row.id, {
        status: "forwarded",
        sent_to: JSON.stringify(sentTo),
        forwarded_at: this.now(),
        attempts: 0,
        next_attempt_at: this.now() + this.checkMs(),
        ...(left.length ? { errors: JSON.stringify(left) } : {}),
      });
      log("capture.forwarded", { id: row.id, digest: ack.captureID, relayer: relayer.url, duplicate: ack.duplicate });
    } catch (e) {
      await this.failed(row, e, relayer.url);
    }
  }

  /** Signs once, and stores the envelope before anything is sent: every later send is this capture. */
  private async sign(row: DueRow, document: string): Promise<SignedCaptureEnvelope> {
    const salt = randomSalt();
    const summary = this.options.summarize
      ? await this.options.summarize(document, salt)
      : captureSummary(
          parseStrictJson(document, { maxDepth: DOCUMENT_DEPTH_LIMIT }) as { [k: string]: JsonValue },
          salt,
        );
    const envelope = await signCaptureSummary({
      summary,
      salt,
      account: this.options.signer,
      domain: this.options.domain,
    });
    row.digest = envelopeDigest(this.options.domain, envelope);
    await this.write(row.id, { envelope: JSON.stringify(envelope), digest: row.digest });
    this.options.onStep?.("signed", row.id);
    return envelope;
  }

  /** A forwarded capture: committed by any relayer it went to, or passed over after `failoverMs`. */
  private async check(row: DueRow): Promise<void> {
    const { relayers, log } = this.options;
    const sentTo = JSON.parse(row.sent_to) as string[];
    for (const url of sentTo) {
      const relayer = relayers.find((r) => r.url === url);
      if (!relayer || !row.digest) continue;
      try {
        const status = await relayer.client.status(row.digest);
        if (status.status === "committed") {
          await this.write(row.id, {
            status: "committed",
            receipt: JSON.stringify({ relayerUrl: url, ...status }),
            finished_at: new Date(this.now()).toISOString(),
          });
          log("capture.committed", { id: row.id, digest: row.digest, relayer: url });
          return;
        }
      } catch (e) {
        log("capture.status_unavailable", { id: row.id, relayer: url, error: (e as Error).message });
      }
    }
    const waited = this.now() - (row.forwarded_at ?? this.now());
    if (waited >= this.options.failoverMs && relayers.length > 1) {
      const index = (row.relayer_index + 1) % relayers.length;
      await this.write(row.id, { status: "pending", relayer_index: index, attempts: 0, next_attempt_at: this.now() });
      log("capture.failover", { id: row.id, digest: row.digest, waitedMs: waited, to: relayers[index].url });
      return;
    }
    // asked again later each time (a batch takes its time, and every ask costs the relayer a read),
    // but never past the moment it is due to be passed over
    const attempts = row.attempts + 1;
    let wait = Math.min(this.checkMs() * 2 ** Math.min(attempts - 1, 10), MAX_CHECK_MS);
    if (relayers.length > 1) wait = Math.max(Math.min(wait, this.options.failoverMs - waited), this.checkMs());
    await this.write(row.id, { attempts, next_attempt_at: this.now() + wait });
  }

  /** How soon a forwarded capture's commitment is first asked after. */
  private checkMs(): number {
    return Math.max(this.options.pollMs, 1000);
  }

  private async failed(row: DueRow, e: unknown, url: string): Promise<void> {
    const { log } = this.options;
    const retryable = e instanceof UnavailableError || e instanceof RateLimitedError || !(e instanceof TrackrootError);
    if (retryable) {
      const attempts = row.attempts + 1;
      const wait =
        e instanceof RateLimitedError
          ? e.retryAfterSeconds * 1000
          : Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(attempts, 10));
      // a relayer that cannot be reached for long: the next one is tried meanwhile
      const index = attempts % 3 === 0 ? row.relayer_index + 1 : row.relayer_index;
      await this.write(row.id, { attempts, next_attempt_at: this.now() + wait, relayer_index: index });
      log("capture.retry", { id: row.id, relayer: url, attempts, waitMs: wait, error: (e as Error).message });
      return;
    }
    // too old to be accepted anywhere, and no relayer has it: signed anew (a new capture id)
    if (await this.stale(row, e)) {
      await this.write(row.id, { envelope: null, digest: null, next_attempt_at: this.now() });
      log("capture.resigned", { id: row.id, previous: row.digest });
      return;
    }
    // the relayer's problem as it sent it (its pointer, its event errors), else ours of the error
    const cause = (e as Error).cause;
    const problem = cause !== null && typeof cause === "object" ? cause : problemOf(e).body;
    await this.write(row.id, {
      status: "failed",
      errors: JSON.stringify([{ ...problem, relayer: url }]),
      finished_at: new Date(this.now()).toISOString(),
    });
    log("capture.refused", { id: row.id, relayer: url, detail: (e as Error).message });
  }

  /**
   * Whether a refused capture was refused only for its age, having waited out a long outage: then,
   * and only when no relayer holds it (so signing anew cannot make two of it), it may be signed anew.
   */
  private async stale(row: DueRow, e: unknown): Promise<boolean> {
    const envelope = envelopeOf(row);
    if (!envelope || !row.digest || !/Issued-At/i.test((e as Error).message)) return false;
    if (Math.floor(this.now() / 1000) - Number(envelope.issuedAt) < this.options.maxAgeSeconds) return false;
    for (const relayer of this.options.relayers) {
      try {
        await relayer.client.status(row.digest);
        return false;
      } catch (err) {
        if (!(err instanceof NotFoundError)) return false;
      }
    }
    return true;
  }
}
