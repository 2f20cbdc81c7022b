import { ValidationError } from "../core/errors";

/** The JSON-RPC methods a verifying page needs; nothing that writes, signs or scans. */
export const READ_METHODS: ReadonlySet<string> = new Set(["eth_chainId", "eth_blockNumber", "eth_call"]);

/** Most calls in one JSON-RPC batch (a page with a long custody chain makes a few dozen). */
export const MAX_BATCH = 100;

const CALL_FIELDS = new Set(["to", "data", "input"]);
const BLOCK_TAG = /^(latest|safe|finalized|0x[0-9a-fA-F]{1,16})$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function checkCall(call: unknown, at: string, contracts: ReadonlySet<string>): void {
  if (!isObject(call)) throw new ValidationError(at, call, "a JSON-RPC request is an object");
  if (call.jsonrpc !== "2.0") throw new ValidationError(`${at}.jsonrpc`, call.jsonrpc, 'must be "2.0"');
  if (typeof call.id !== "number" && typeof call.id !== "string")
    throw new ValidationError(`${at}.id`, call.id, "a number or a string");
  if (typeof call.method !== "string" || !READ_METHODS.has(call.method)) {
    throw new ValidationError(`${at}.method`, call.method, `only ${[...READ_METHODS].join(", ")} are served here`);
  }
  const params = call.params ?? [];
  if (!Array.isArray(params)) throw new ValidationError(`${at}.params`, params, "an array");
  if (call.method !== "eth_call") {
    if (params.length) throw new ValidationError(`${at}.params`, params, `${call.method} takes no parameters`);
    return;
  }
  const [tx, block, ...rest] = params;
  if (rest.length) throw new ValidationError(`${at}.params`, params, "state overrides are not served");
  if (!isObject(tx)) throw new ValidationError(`${at}.params[0]`, tx, "a call object");
  for (const key of Object.keys(tx)) {
    if (!CALL_FIELDS.has(key)) throw new ValidationError(`${at}.params[0].${key}`, tx[key], "not allowed in a read");
  }
  if (typeof tx.to !== "string" || !contracts.has(tx.to.toLowerCase())) {
    throw new ValidationError(`${at}.params[0].to`, tx.to, "only the deployment's contracts can be read here");
  }
  if (block !== undefined && (typeof block !== "string" || !BLOCK_TAG.test(block))) {
    throw new ValidationError(`${at}.params[1]`, block, "a block number or tag");
  }
}

/**
 * Checks a JSON-RPC request (one call or a batch) before the site forwards it to the chain: only
 * reads, and only of the deployment's own contracts, so /rpc cannot be used as an open node.
 * Returns how many calls it holds.
 */
export function checkRpcRequest(body: unknown, contracts: ReadonlySet<string>): number {
  if (Array.isArray(body)) {
    if (body.length === 0 || body.length > MAX_BATCH) {
      throw new ValidationError("rpc", `${body.length} calls`, `a batch holds 1 to ${MAX_BATCH} calls`);
    }
    body.forEach((call, i) => checkCall(call, `rpc[${i}]`, contracts));
    return body.length;
  }
  checkCall(body, "rpc", contracts);
  return 1;
}
