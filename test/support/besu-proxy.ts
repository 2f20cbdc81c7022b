import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** What a Besu QBFT node refuses that a development chain answers, each as Besu words it. */
export interface BesuLimits {
  /** --rpc-max-logs-range: most blocks per eth_getLogs (Besu's default 5000; the network 1000) */
  maxLogsRange: number;
  /** most logs one eth_getLogs answers */
  maxLogResults: number;
}

interface RpcRequest {
  jsonrpc: "2.0";
  id: unknown;
  method: string;
  params?: unknown[];
}

const BESU_RANGE = { code: -32005, message: "Requested range exceeds maximum RPC range limit" };
const BESU_RESULTS = (n: number) => ({ code: -32005, message: `Query returned more than ${n} results` });
// QBFT finalises every block it makes: Besu has no "finalized" or "safe" head to name
const BESU_UNKNOWN_BLOCK = { code: -39001, message: "Unknown block" };

/**
 * A JSON-RPC proxy in front of a development chain (anvil, hardhat) that answers as a Besu QBFT
 * node does where they differ: eth_getLogs over too many blocks or with too many results refused,
 * the "finalized" and "safe" tags unknown. Counts what it refused, so a test can tell the limits
 * were met rather than never reached.
 */
export async function startBesuProxy(upstream: string, limits: BesuLimits) {
  const refused = { range: 0, results: 0, tags: 0 };
  const call = async (request: RpcRequest): Promise<unknown> => {
    const params = request.params ?? [];
    if (params.some((p) => p === "finalized" || p === "safe")) {
      refused.tags++;
      return { jsonrpc: "2.0", id: request.id, error: BESU_UNKNOWN_BLOCK };
    }
    if (request.method === "eth_getLogs") {
      const filter = (params[0] ?? {}) as { fromBlock?: string; toBlock?: string };
      const head = Number((await forward({ jsonrpc: "2.0", id: 0, method: "eth_blockNumber" })).result);
      const block = (tag: string | undefined, fallback: number) =>
        tag === undefined || tag === "latest" ? fallback : tag === "earliest" ? 0 : Number(tag);
      const from = block(filter.fromBlock, head);
      const to = block(filter.toBlock, head);
      if (to - from + 1 > limits.maxLogsRange) {
        refused.range++;
        return { jsonrpc: "2.0", id: request.id, error: BESU_RANGE };
      }
      const answer = await forward(request);
      if (Array.isArray(answer.result) && answer.result.length > limits.maxLogResults) {
        refused.results++;
        return { jsonrpc: "2.0", id: request.id, error: BESU_RESULTS(limits.maxLogResults) };
      }
      return answer;
    }
    return forward(request);
  };
  const forward = async (request: RpcRequest): Promise<{ result?: unknown; error?: unknown }> => {
    const res = await fetch(upstream, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(request),
    });
    return (await res.json()) as { result?: unknown; error?: unknown };
  };
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as RpcRequest | RpcRequest[];
    const answer = Array.isArray(body) ? await Promise.all(body.map(call)) : await call(body);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(answer));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    refused,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
