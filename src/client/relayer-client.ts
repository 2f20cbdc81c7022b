import type { JsonValue } from "../core/epcis/event-hash";
import type { Signer } from "./signer";
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
  UnauthorizedError,
  UnavailableError,
  ValidationError,
} from "../core/errors";
import { captureHeaders, type SignedCaptureEnvelope } from "./sign-capture";
import type { CoSignedHandover } from "./sign-handover";
import type { HandoverProposalJson, ProposalView } from "../core/custody/handover-proposal";

export type { ProposalView };
import { signedReadHeaders } from "./signed-read";

/** A request the relayer answered with an error: its status and RFC 9457 problem. */
export class RelayerRequestError extends Error {
  constructor(
    readonly status: number,
    readonly problem: { title?: string; detail?: string; [k: string]: unknown },
    what: string,
  ) {
    super(`relayer refused ${what} (${status}): ${problem.detail ?? problem.title ?? "no detail"}`);
    this.name = "RelayerRequestError";
  }
}

/**
 * The project's error for a relayer's problem answer, so a CLI or a gateway ends as the relayer
 * meant: bad input names its field, a refused key is unauthorised, a busy relayer is retryable.
 */
export function problemError(
  status: number,
  problem: RelayerRequestError["problem"],
  what: string,
  retryAfterSeconds = 1,
): Error {
  const error = relayerError(status, problem, what, retryAfterSeconds);
  // the relayer's own problem, whole (its pointer, its list of event errors), for whoever reports it on
  error.cause = problem;
  return error;
}

function relayerError(
  status: number,
  problem: RelayerRequestError["problem"],
  what: string,
  retryAfterSeconds: number,
): Error {
  const detail = `relayer refused ${what} (${status}): ${problem.detail ?? problem.title ?? "no detail"}`;
  if (status === 400 || status === 413) {
    // the field as the relayer named it; the message is the relayer's own, which names it already
    const e = new ValidationError(String(problem.pointer ?? "body"), undefined, String(problem.detail ?? ""));
    e.message = detail;
    return e;
  }
  if (status === 401) return new UnauthorizedError(detail);
  if (status === 403) return new ForbiddenError(detail);
  if (status === 404) return new NotFoundError(detail);
  if (status === 409) return new ConflictError(detail);
  if (status === 429) return new RateLimitedError(detail, retryAfterSeconds);
  if (status >= 500) return new UnavailableError(detail);
  return new RelayerRequestError(status, problem, what);
}

/** Where a submission stands (GET /capture/{id}). */
export interface SubmissionStatus {
  captureID: string;
  status: "queued" | "committed";
  batch?: { sequence: number; transaction: string | null; block: number | null };
}

/** A submitter's client of the relayer's HTTP API: signed captures and handovers in, their status out. */
export class RelayerClient {
  constructor(private readonly options: { url: string; timeoutMs?: number }) {}

  /** POSTs a signed EPCIS document; resolves with its capture id once the relayer has stored it. */
  async capture(document: { [k: string]: JsonValue }, envelope: SignedCaptureEnvelope): Promise<string> {
    const body = await this.request("POST /capture", "/capture", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...captureHeaders(envelope),
      },
      body: JSON.stringify(document),
    });
    return (body as { captureID: string }).captureID;
  }

  /**
   * POSTs a signed EPCIS document as the exact text it was signed from (the relayer stores and
   * publishes those bytes); resolves with the capture id and any events left out under `proceed`.
   */
  async captureText(
    text: string,
    envelope: SignedCaptureEnvelope,
    behaviour: "rollback" | "proceed" = "rollback",
  ): Promise<{ captureID: string; duplicate: boolean; rejectedEvents?: unknown[] }> {
    return (await this.request("POST /capture", "/capture", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "GS1-Capture-Error-Behaviour": behaviour,
        ...captureHeaders(envelope),
      },
      body: text,
    })) as { captureID: string; duplicate: boolean; rejectedEvents?: unknown[] };
  }

  /** POSTs a co-signed handover; resolves with its id once the relayer has stored it. */
  async handover(handover: CoSignedHandover): Promise<string> {
    const body = await this.request("POST /handovers", "/handovers", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(handover),
    });
    return (body as { captureID: string }).captureID;
  }

  /** POSTs the sender's signed half of a handover to the relayer's mailbox. */
  async propose(proposal: HandoverProposalJson): Promise<ProposalView & { duplicate: boolean }> {
    return (await this.request("POST /handovers/proposals", "/handovers/proposals", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(proposal),
    })) as ProposalView & { duplicate: boolean };
  }

  /** The proposals addressed to (side "to": the inbox) or sent by the reader's participant, newest first. */
  async proposals(
    reader: Signer,
    query: { side: "to" | "from"; status?: ProposalView["status"]; limit?: number },
  ): Promise<ProposalView[]> {
    const params = new URLSearchParams({ [query.side]: "me" });
    if (query.status) params.set("status", query.status);
    if (query.limit) params.set("limit", String(query.limit));
    const path = `/handovers/proposals?${params}`;
    const body = await this.signed(reader, "GET", path, "GET /handovers/proposals");
    return (body as { proposals: ProposalView[] }).proposals;
  }

  /** One proposal, whole (items, salt, the sender's signature), to a key of either party. */
  async proposal(reader: Signer, id: string): Promise<ProposalView> {
    return (await this.signed(
      reader,
      "GET",
      `/handovers/proposals/${id}`,
      `GET /handovers/proposals/${id}`,
    )) as ProposalView;
  }

  /** The receiver's countersignature, with the items it counted (refused when they differ from the proposal's). */
  async accept(
    signer: Signer,
    id: string,
    body: { receiverSignature: string; received?: string[] },
  ): Promise<ProposalView> {
    return (await this.signed(
      signer,
      "POST",
      `/handovers/proposals/${id}/accept`,
      `accept ${id}`,
      body,
    )) as ProposalView;
  }

  async reject(signer: Signer, id: string, reason: string): Promise<ProposalView> {
    return (await this.signed(signer, "POST", `/handovers/proposals/${id}/reject`, `reject ${id}`, {
      reason,
    })) as ProposalView;
  }

  async withdraw(signer: Signer, id: string, reason?: string): Promise<ProposalView> {
    return (await this.signed(
      signer,
      "POST",
      `/handovers/proposals/${id}/withdraw`,
      `withdraw ${id}`,
      reason === undefined ? {} : { reason },
    )) as ProposalView;
  }

  async status(id: string): Promise<SubmissionStatus> {
    return (await this.request(`GET /capture/${id}`, `/capture/${id}`, { method: "GET" })) as SubmissionStatus;
  }

  /** Waits until every submission is committed on-chain; rejects naming the first still queued at the deadline. */
  async waitCommitted(ids: readonly string[], options: { timeoutMs: number; pollMs?: number }): Promise<void> {
    const deadline = Date.now() + options.timeoutMs;
    let waiting = [...ids];
    for (;;) {
      const statuses = await Promise.all(waiting.map((id) => this.status(id)));
      waiting = waiting.filter((_id, i) => statuses[i].status !== "committed");
      if (waiting.length === 0) return;
      if (Date.now() > deadline) {
        throw new Error(
          `${waiting.length} submissions not committed after ${options.timeoutMs} ms (first ${waiting[0]})`,
        );
      }
      await new Promise((r) => setTimeout(r, options.pollMs ?? 200));
    }
  }

  /** A request signed by `account` (method, path, time, nonce and the body's bytes): usable once. */
  private async signed(account: Signer, method: string, path: string, what: string, json?: unknown): Promise<unknown> {
    const body = json === undefined ? undefined : new TextEncoder().encode(JSON.stringify(json));
    const headers = await signedReadHeaders({ account, service: "trackroot-relayer", method, path, body });
    return this.request(what, path, {
      method,
      headers: body ? { ...headers, "content-type": "application/json" } : headers,
      ...(body ? { body } : {}),
    });
  }

  private async request(what: string, path: string, init: RequestInit): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(new URL(path, this.options.url), {
        ...init,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
    } catch (e) {
      throw new UnavailableError(`the relayer at ${this.options.url} cannot be reached: ${(e as Error).message}`);
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = { detail: text.slice(0, 200) };
    }
    if (!response.ok) {
      // how long a busy relayer asks to wait is its Retry-After header, not part of the problem
      const retryAfter = Number(response.headers.get("retry-after"));
      throw problemError(
        response.status,
        body as RelayerRequestError["problem"],
        what,
        Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : 1,
      );
    }
    return body;
  }
}
