/** Where a code stands on the ledger, as the rules derive it from events and handovers in order. */
export interface CodeState {
  epc: string;
  /** a commissioning (or packing into or creating by transformation) has been seen */
  commissioned: boolean;
  /** sold or dispensed, or decommissioned or destroyed: out of the supply chain */
  ended: "" | "sold" | "decommissioned";
  /** the participant holding it on its own (0: nobody yet); a packed code follows its container */
  holder: number;
  /** the container it is packed in, or "" */
  parent: string;
  /** when and where it was last seen with a known location (ms, location id), for travel checks */
  lastTime: number;
  lastPlace: string;
}

export function emptyState(epc: string): CodeState {
  return { epc, commissioned: false, ended: "", holder: 0, parent: "", lastTime: 0, lastPlace: "" };
}

/** The deepest container a code is packed in has custody of it: cases in pallets inherit too. */
export function effectiveHolder(epc: string, stateOf: (epc: string) => CodeState | undefined): number {
  let state = stateOf(epc);
  const seen = new Set<string>();
  while (state?.parent && !seen.has(state.parent)) {
    seen.add(state.epc);
    const container = stateOf(state.parent);
    if (!container) break;
    state = container;
  }
  return state?.holder ?? 0;
}

/** A unit's GTIN and serial when `epc` is a canonical unit Digital Link, else undefined (SSCCs, classes). */
export function unitOf(epc: string): { gtin: string; serial: string } | undefined {
  const m = /^https:\/\/id\.gs1\.org\/01\/(\d{14})\/21\/([^/?#]+)$/.exec(epc);
  if (!m) return undefined;
  try {
    return { gtin: m[1], serial: decodeURIComponent(m[2]) };
  } catch {
    return undefined;
  }
}
