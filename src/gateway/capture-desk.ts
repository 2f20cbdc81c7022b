import { randomBytes } from "node:crypto";
import { CaptureRejectedError, NotFoundError, ValidationError } from "../core/errors";
import { eventsOf, type JsonValue } from "../core/epcis/event-hash";
import { captureDocumentIssuesUnhashed } from "../core/epcis/capture-issues";
import { DOCUMENT_DEPTH_LIMIT, parseStrictJson } from "../core/json/strict-json";
import type { CaptureJob } from "../core/epcis/capture-job";
import { GroupWriter } from "../store/group-writer";
import type { OutboxRow, OutboxStore } from "./outbox-store";

export type { CaptureJob };

export interface CaptureDeskOptions {
  store: OutboxStore;
  maxEvents: number;
  now?: () => number;
  /** told when something new is in the outbox */
  onQueued?: () => void;
}

/**
 * The gateway's intake: a client system's EPCIS document, checked as the relayer will check it
 * (strict JSON, the EPCIS 2.0 schema under rollback, the event limit), stored in the outbox as the
 * exact text that came in, and acknowledged only once that is on disk.
 */
export class CaptureDesk {
  /** acknowledgements arriving together share one transaction */
  private readonly writer: GroupWriter<OutboxRow>;

  constructor(private readonly options: CaptureDeskOptions) {
    this.writer = new GroupWriter((rows) => options.store.insert(rows));
  }

  async accept(client: string, text: string, behaviour: "rollback" | "proceed"): Promise<CaptureJob> {
    const document = parseStrictJson(text, { maxDepth: DOCUMENT_DEPTH_LIMIT });
    if (document === null || typeof document !== "object" || Array.isArray(document)) {
      throw new ValidationError("/", document, "an EPCIS document is a JSON object");
    }
    const { events, pointer } = eventsOf(document as { [k: string]: JsonValue });
    if (events.length === 0) throw new ValidationError(pointer, 0, "holds no events");
    if (events.length > this.options.maxEvents) {
      throw new ValidationError(pointer, events.length, `a capture holds at most ${this.options.maxEvents} events`);
    }
    // judged as the relayer will, so that a client hears of a bad event now rather than in its job
    const { issues } = captureDocumentIssuesUnhashed(document);
    const bad = new Set(issues.map((i) => i.eventIndex));
    if (issues.length && (behaviour === "rollback" || bad.size === events.length))
      throw new CaptureRejectedError(issues);
    const now = (this.options.now ?? Date.now)();
    const row: OutboxRow = {
      id: `gw-${randomBytes(12).toString("hex")}`,
      client,
      document: text.trim(),
      behaviour,
      status: "pending",
      envelope: null,
      digest: null,
      sent_to: "[]",
      relayer_index: 0,
      attempts: 0,
      next_attempt_at: now,
      forwarded_at: null,
      errors: "[]",
      receipt: null,
      created_at: new Date(now).toISOString(),
      finished_at: null,
    };
    await this.writer.add(row);
    this.options.onQueued?.();
    return jobOf(row);
  }

  /** A client's capture job; another client's is as unknown as one that never was. */
  async job(client: string, id: string): Promise<CaptureJob> {
    const row = /^gw-[0-9a-f]{24}$/.test(id) ? await this.options.store.get(id) : undefined;
    if (!row || row.client !== client) throw new NotFoundError(`no capture job ${id} of client ${client}`);
    return jobOf(row);
  }
}

export function jobOf(row: OutboxRow): CaptureJob {
  const errors = JSON.parse(row.errors) as unknown[];
  const finished = row.status === "committed" || row.status === "failed";
  return {
    captureID: row.id,
    createdAt: row.created_at,
    ...(row.finished_at ? { finishedAt: row.finished_at } : {}),
    running: !finished,
    success: row.status !== "failed" && errors.length === 0,
    captureErrorBehaviour: row.behaviour,
    errors,
    trackroot: {
      status: row.status,
      ...(row.digest ? { digest: row.digest } : {}),
      relayers: JSON.parse(row.sent_to) as string[],
      ...(row.receipt ? { receipt: JSON.parse(row.receipt) } : {}),
    },
  };
}
