import type { EntryRow } from "./relayer-store";

/**
 * What a commitment's CID points at: every entry with what makes it checkable without the relayer
 * (the EPCIS document or handover, the signed typed data and the signatures), in leaf-value order.
 */
export interface BatchContent {
  type: "trackroot.commitment.v1";
  chainId: number;
  commitmentLog: string;
  relayer: number;
  sequence: number;
  root: string;
  entries: { kind: "capture" | "handover"; digest: string; body: unknown }[];
}

export function batchContent(
  options: Omit<BatchContent, "type" | "entries">,
  entries: readonly EntryRow[],
): Uint8Array {
  const content: BatchContent = {
    type: "trackroot.commitment.v1",
    ...options,
    entries: entries.map((e) => ({ kind: e.kind, digest: e.digest, body: JSON.parse(e.body) })),
  };
  return new TextEncoder().encode(JSON.stringify(content));
}
