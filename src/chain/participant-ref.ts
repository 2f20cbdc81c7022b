import { ValidationError } from "../core/errors";
import type { LedgerReader } from "./ledger-reader";

/**
 * A participant named by its id, or by its GLN (13 digits) looked up in the registry; a
 * ValidationError naming `field` when there is none.
 */
export async function participantByRef(
  ledger: Pick<LedgerReader, "registry" | "read">,
  value: string,
  field: string,
): Promise<number> {
  const count = await ledger.read(() => ledger.registry.read.participantCount());
  if (/^\d{13}$/.test(value)) {
    for (let id = 1; id <= count; id++) {
      const p = await ledger.read(() => ledger.registry.read.participant([id]));
      if (p.gln.toString().padStart(13, "0") === value) return id;
    }
    throw new ValidationError(field, value, "no participant has this GLN");
  }
  if (/^[1-9]\d{0,9}$/.test(value) && Number(value) <= count) return Number(value);
  throw new ValidationError(field, value, `give a participant id (1 to ${count}) or a GLN of 13 digits`);
}
