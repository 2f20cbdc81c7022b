/**
 * CBV business steps by short name, whichever of the three spellings an event uses (bare,
 * https://ref.gs1.org/cbv/BizStep-, or the legacy URN).
 */
export function bizStepName(value: unknown): string {
  if (typeof value !== "string") return "";
  for (const prefix of ["https://ref.gs1.org/cbv/BizStep-", "urn:epcglobal:cbv:bizstep:"]) {
    if (value.startsWith(prefix)) return value.slice(prefix.length);
  }
  return value;
}

/** Steps after which a unit is out of the supply chain: sold or dispensed to a consumer. */
export const SOLD_STEPS: ReadonlySet<string> = new Set(["retail_selling", "dispensing"]);
/** Steps after which a unit no longer exists as a product: decommissioned or destroyed. */
export const DESTROYED_STEPS: ReadonlySet<string> = new Set(["decommissioning", "destroying"]);

/** Whether a business step ends a unit's life in the supply chain (sold, dispensed, destroyed). */
export function isEndOfLife(bizStep: unknown): boolean {
  const name = bizStepName(bizStep);
  return SOLD_STEPS.has(name) || DESTROYED_STEPS.has(name);
}
