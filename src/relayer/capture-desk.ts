import { checkCapture, type CaptureEnvelope, type IntakeOptions } from "./capture-intake";
import type { BatchQueue } from "./batch-queue";
import type { RelayerStore } from "./relayer-store";

/** Intake: checks a capture, stores it durably, and tells the queue. */
export class CaptureDesk {
  constructor(
    private readonly options: IntakeOptions & { store: RelayerStore; queue: BatchQueue; onQueued?: () => void },
  ) {}

  /** Resolves once the capture is committed to the database; the same signed capture gets the same id. */
  async accept(
    document: unknown,
    envelope: CaptureEnvelope,
    behaviour: "rollback" | "proceed",
  ): Promise<{ id: string; created: boolean; rejected: unknown[] }> {
    const accepted = await checkCapture(document, envelope, behaviour, this.options);
    const { created } = await this.options.store.insertEntry(
      {
        digest: accepted.digest,
        kind: "capture",
        submitter: accepted.capture.submitter.toLowerCase(),
        nonce: accepted.capture.nonce,
        body: JSON.stringify({
          document,
          capture: { ...accepted.capture, issuedAt: accepted.capture.issuedAt.toString() },
          signature: accepted.signature,
          rejected: accepted.rejected,
        }),
        event_count: accepted.capture.eventCount,
        received_at: new Date(this.options.now()).toISOString(),
      },
      accepted.eventHashes.flatMap((hash, position) => (hash === null ? [] : [{ position, hash }])),
    );
    if (created) {
      this.options.queue.added(accepted.capture.eventCount, this.options.now());
      this.options.onQueued?.();
    }
    return { id: accepted.digest, created, rejected: accepted.rejected };
  }
}
