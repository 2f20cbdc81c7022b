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

/**
 * The content's bytes. Each entry's body is stored as the JSON it was accepted as, so it is spliced
 * in as it stands rather than parsed and written again (a batch of 10,000 events is megabytes, and
 * this runs on the thread that answers captures).
 */
export function batchContent(
  options: Omit<BatchContent, "type" | "entries">,
  entries: readonly EntryRow[],
): Uint8Array {
  const head = JSON.stringify({ type: "trackroot.commitment.v1", ...options, entries: [] }).slice(0, -"[]}".length);
  const parts = entries.map(
    (e) => `{"kind":${JSON.stringify(e.kind)},"digest":${JSON.stringify(e.digest)},"body":${e.body}}`,
  );
  return new TextEncoder().encode(`${head}[${parts.join(",")}]}`);
}
