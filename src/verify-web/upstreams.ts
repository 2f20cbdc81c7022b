import { PROXY_TOKEN_HEADER } from "../http/client-address";
import { encodeSegment } from "../core/gs1/digital-link";
import { UnavailableError } from "../core/errors";

/** An upstream's answer, passed on to the page as it came. */
export interface UpstreamAnswer {
  status: number;
  type: string;
  body: Buffer;
  headers: Record<string, string>;
}

/** The headers of the indexer's proof answer the page reads (the verification count). */
const PROOF_HEADERS = ["Trackroot-Verifications", "Trackroot-Regions", "Trackroot-Clone-Warning", "Retry-After"];

/**
 * What the site forwards on the visitor's behalf: a proof bundle from the indexer and read-only
 * chain calls. The site adds no judgement of its own: the page verifies whatever comes back.
 */
export class Upstreams {
  constructor(
    private readonly options: {
      indexerUrl: string;
      rpcUrl: string;
      timeoutMs: number;
      /** the indexer's proxy token: with it, the indexer takes the visitor's address from this site */
      indexerProxyToken?: string;
    },
  ) {}

  /** The indexer's proof bundle for a code, asked on behalf of the visitor at `forwardedFor`. */
  async proof(options: {
    gtin: string;
    serial: string;
    /** the visitor's region as the site's trusted proxy told it, under that proxy's header */
    region?: { header: string; value: string };
    /** the visitor's address as this site determined it (one address: what the visitor claims is dropped) */
    forwardedFor: string;
  }): Promise<UpstreamAnswer> {
    const url = `${this.options.indexerUrl.replace(/\/+$/, "")}/v1/codes/${options.gtin}/${encodeSegment(options.serial)}/proof`;
    return this.forward("the indexer", url, {
      method: "GET",
      headers: {
        accept: "application/json",
        ...this.visitorHeaders(options.forwardedFor),
        ...(options.region ? { [options.region.header]: options.region.value } : {}),
      },
    });
  }

  /** A GTIN's product record from the indexer, as the brand published it; the page checks it against the chain. */
  async productRecord(options: { gtin: string; forwardedFor: string }): Promise<UpstreamAnswer> {
    const url = `${this.options.indexerUrl.replace(/\/+$/, "")}/v1/products/${options.gtin}/record`;
    return this.forward("the indexer", url, {
      method: "GET",
      headers: { accept: "application/ld+json", ...this.visitorHeaders(options.forwardedFor) },
    });
  }

  /** The picture a GTIN's product record names by content, from the indexer; the page checks it against the record. */
  async productImage(options: { gtin: string; forwardedFor: string }): Promise<UpstreamAnswer> {
    const url = `${this.options.indexerUrl.replace(/\/+$/, "")}/v1/products/${options.gtin}/image`;
    return this.forward("the indexer", url, {
      method: "GET",
      headers: { accept: "image/png, image/jpeg, image/webp", ...this.visitorHeaders(options.forwardedFor) },
    });
  }

  /** A visitor's report of a suspect pack, sent on as they typed it, on behalf of `forwardedFor`. */
  async report(options: { gtin: string; serial: string; body: string; forwardedFor: string }): Promise<UpstreamAnswer> {
    const url = `${this.options.indexerUrl.replace(/\/+$/, "")}/v1/codes/${options.gtin}/${encodeSegment(options.serial)}/reports`;
    return this.forward("the indexer", url, {
      method: "POST",
      headers: { "content-type": "application/json", ...this.visitorHeaders(options.forwardedFor) },
      body: options.body,
    });
  }

  private visitorHeaders(forwardedFor: string): Record<string, string> {
    return {
      "x-forwarded-for": forwardedFor,
      ...(this.options.indexerProxyToken ? { [PROXY_TOKEN_HEADER]: this.options.indexerProxyToken } : {}),
    };
  }

  /** One checked JSON-RPC request (single or batch) to the chain, as the exact text that was checked. */
  rpc(body: string): Promise<UpstreamAnswer> {
    return this.forward("the chain", this.options.rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
  }

  private async forward(what: string, url: string, init: RequestInit): Promise<UpstreamAnswer> {
    let res: Response;
    let body: Buffer;
    try {
      res = await fetch(url, { ...init, signal: AbortSignal.timeout(this.options.timeoutMs) });
      // bytes as they came: a picture is no text
      body = Buffer.from(await res.arrayBuffer());
    } catch (e) {
      throw new UnavailableError(`${what} cannot be reached (${(e as Error).message})`);
    }
    const headers: Record<string, string> = {};
    for (const name of PROOF_HEADERS) {
      const value = res.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    return { status: res.status, type: res.headers.get("content-type") ?? "application/json", body, headers };
  }
}
