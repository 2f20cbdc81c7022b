import { CUSTODY_KINDS, PARTICIPANT_KINDS } from "../custody/participant-kinds";

/**
 * Who may record what (DESIGN.md, trust model): the one statement of the rules that the relayer's
 * intake, the indexer's lifecycle and the audit apply alike.
 */

/** Kinds whose keys may submit captures and handovers: brand, producer, custodian, retailer. */
export const RECORDING_KINDS: ReadonlySet<number> = CUSTODY_KINDS;

/** Whether a participant of this kind may record anything (relayer and auditor keys may not). */
export function mayRecord(kind: number | undefined): boolean {
  return kind !== undefined && RECORDING_KINDS.has(kind);
}

/** A participant kind by name, for refusals ("participant 7 (auditor)"). */
export function kindName(kind: number | undefined): string {
  return kind === undefined ? "unregistered" : (PARTICIPANT_KINDS[kind] ?? `kind ${kind}`);
}

/**
 * CBV business steps whose events change a code's state or custody, so that only the participant
 * holding the code may record them; any other step of an OBSERVE event is an observation.
 */
export const CUSTODY_STEPS: ReadonlySet<string> = new Set([
  "commissioning",
  "packing",
  "unpacking",
  "shipping",
  "receiving",
  "retail_selling",
  "dispensing",
  "decommissioning",
  "destroying",
  "transforming",
]);

/** Who may commission a released unit: the producer named on its batch's order, or its brand. */
export interface CodeOrigin {
  brand: number;
  producer: number;
}

/** Whether `participant` may commission a unit of this origin. */
export function mayCommission(participant: number, origin: CodeOrigin): boolean {
  return participant === origin.producer || participant === origin.brand;
}
