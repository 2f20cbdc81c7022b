import { webcrypto } from "node:crypto";
import { parentPort } from "node:worker_threads";
import { kernel } from "../core/merkle/kernel";
import { randomCodeLeaves } from "../core/merkle/leaves";
import { sortedLeafKeys } from "../core/merkle/tree";
import type { Hex } from "../core/bytes";
import type { JsonValue } from "../core/epcis/event-hash";
import { DOCUMENT_DEPTH_LIMIT, parseStrictJson } from "../core/json/strict-json";
import { captureSummary, type CaptureSummary } from "../client/sign-capture";

/**
 * Generate serials [from, to) of a block of n into `serials`, their code leaves into `leaves`, and
 * the slice's sorted leaf keys into `keys`.
 */
export interface CodesRequest {
  op: "codes";
  gtin: string;
  width: number;
  n: number;
  from: number;
  to: number;
  serials: SharedArrayBuffer;
  leaves: SharedArrayBuffer;
  keys: SharedArrayBuffer;
}

/** Hash the subtree under `root` of a tree of n leaves into `nodes` (and the leaf level if asked). */
export interface SubtreeRequest {
  op: "subtree";
  n: number;
  root: number;
  leaves: SharedArrayBuffer;
  order: SharedArrayBuffer;
  nodes: SharedArrayBuffer;
  writeLeaves: boolean;
}

/** The events root and count of a capture's document (its exact text) under `salt`. */
export interface CaptureSummaryRequest {
  op: "capture_summary";
  text: string;
  salt: Hex;
}

export type ComputeRequest = CodesRequest | SubtreeRequest | CaptureSummaryRequest;
export interface ComputeResponse {
  id: number;
  error?: string;
  /** what the request computes, when it is not written to shared memory */
  result?: CaptureSummary;
}

const random = (b: Uint8Array) => {
  webcrypto.getRandomValues(b);
};

function codes(r: CodesRequest): void {
  const { serials, leaves } = randomCodeLeaves(BigInt(r.gtin), r.width, r.to - r.from, random);
  new Uint8Array(r.serials).set(serials, r.from * r.width);
  new Uint8Array(r.leaves).set(leaves, r.from * 32);
  sortedLeafKeys(leaves, r.n, r.from, r.to, new Float64Array(r.keys));
}

function subtree(r: SubtreeRequest): void {
  const { n, root } = r;
  const size = 2 * n - 1;
  const k = kernel();
  const ptr = k.reserve(size * 32 + n * 32 + n * 4);
  const leavesPtr = ptr + size * 32;
  const orderPtr = leavesPtr + n * 32;
  const mem = k.bytes();
  mem.set(new Uint8Array(r.leaves), leavesPtr);
  mem.set(new Uint8Array(r.order), orderPtr);
  k.placeLeaves(ptr, leavesPtr, orderPtr, n);
  k.buildSubtree(ptr, n, root);
  const nodes = new Uint8Array(r.nodes);
  // the subtree's inner nodes at relative depth d are one contiguous run per level
  for (let width = 1, first = root; first < n - 1; width *= 2, first = 2 * first + 1) {
    const end = Math.min(first + width, n - 1);
    nodes.set(mem.subarray(ptr + 32 * first, ptr + 32 * end), 32 * first);
  }
  if (r.writeLeaves) nodes.set(mem.subarray(ptr + 32 * (n - 1), ptr + 32 * size), 32 * (n - 1));
}

parentPort?.on("message", (m: ComputeRequest & { id: number }) => {
  try {
    if (m.op === "capture_summary") {
      const document = parseStrictJson(m.text, { maxDepth: DOCUMENT_DEPTH_LIMIT }) as { [k: string]: JsonValue };
      parentPort?.postMessage({ id: m.id, result: captureSummary(document, m.salt) } satisfies ComputeResponse);
      return;
    }
    if (m.op === "codes") codes(m);
    else subtree(m);
    parentPort?.postMessage({ id: m.id } satisfies ComputeResponse);
  } catch (e) {
    parentPort?.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) } satisfies ComputeResponse);
  }
});
