import type { ProposalView } from "../core/custody/handover-proposal";
import type { JsonValue } from "../core/epcis/event-hash";
import { UnavailableError } from "../core/errors";
import type { CaptureJob } from "../core/epcis/capture-job";
import { problemError, type RelayerRequestError } from "./relayer-client";

/**
 * A client system of a participant gateway (a warehouse system, a line's MES): plain EPCIS in,
 * capture jobs out, handovers proposed and answered, with its API token. It holds no key.
 */
export class GatewayClient {
  constructor(private readonly options: { url: string; token: string; timeoutMs?: number }) {}

  /** POST /capture: the job, once the gateway has the document on disk. */
  capture(document: { [k: string]: JsonValue }, behaviour: "rollback" | "proceed" = "rollback"): Promise<CaptureJob> {
    return this.request("POST", "/capture", JSON.stringify(document), {
      "GS1-Capture-Error-Behaviour": behaviour,
    }) as Promise<CaptureJob>;
  }

  job(id: string): Promise<CaptureJob> {
    return this.request("GET", `/capture/${id}`) as Promise<CaptureJob>;
  }

  /** Waits until every job has finished; rejects naming the first that failed or is still running at the deadline. */
  async waitFinished(ids: readonly string[], options: { timeoutMs: number; pollMs?: number }): Promise<CaptureJob[]> {
    const deadline = Date.now() + options.timeoutMs;
    for (;;) {
      const jobs = await Promise.all(ids.map((id) => this.job(id)));
      const failed = jobs.find((j) => !j.running && !j.success);
      if (failed)
        throw new Error(`capture job ${failed.captureID} failed: ${JSON.stringify(failed.errors).slice(0, 500)}`);
      if (jobs.every((j) => !j.running)) return jobs;
      if (Date.now() > deadline) {
        throw new Error(
          `capture jobs still running after ${options.timeoutMs} ms (first ${jobs.find((j) => j.running)?.captureID})`,
        );
      }
      await new Promise((r) => setTimeout(r, options.pollMs ?? 200));
    }
  }

  propose(proposal: {
    to: string;
    items: string[];
    shipmentRef: string;
    eventTime?: string;
    deadline?: string;
  }): Promise<ProposalView> {
    return this.request("POST", "/handovers/proposals", JSON.stringify(proposal)) as Promise<ProposalView>;
  }

  async inbox(query: { sent?: boolean; status?: ProposalView["status"] } = {}): Promise<ProposalView[]> {
    const params = new URLSearchParams();
    if (query.sent) params.set("sent", "true");
    if (query.status) params.set("status", query.status);
    const body = (await this.request("GET", `/handovers/inbox${params.size ? `?${params}` : ""}`)) as {
      proposals: ProposalView[];
    };
    return body.proposals;
  }

  accept(id: string, received?: string[]): Promise<ProposalView> {
    return this.request(
      "POST",
      `/handovers/proposals/${id}/accept`,
      JSON.stringify(received ? { received } : {}),
    ) as Promise<ProposalView>;
  }

  reject(id: string, reason: string): Promise<ProposalView> {
    return this.request(
      "POST",
      `/handovers/proposals/${id}/reject`,
      JSON.stringify({ reason }),
    ) as Promise<ProposalView>;
  }

  private async request(
    method: string,
    path: string,
    body?: string,
    headers: Record<string, string> = {},
  ): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(new URL(path, this.options.url), {
        method,
        headers: {
          authorization: `Bearer ${this.options.token}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...headers,
        },
        ...(body === undefined ? {} : { body }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
    } catch (e) {
      throw new UnavailableError(`the gateway at ${this.options.url} cannot be reached: ${(e as Error).message}`);
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = { detail: text.slice(0, 200) };
    }
    if (!response.ok) throw problemError(response.status, json as RelayerRequestError["problem"], `${method} ${path}`);
    return json;
  }
}
