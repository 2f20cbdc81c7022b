import { sha256 } from "@noble/hashes/sha2";
import { bytesToHex } from "@noble/hashes/utils";
import { VIOLATION_KINDS, type ViolationKind } from "./checks";
import type { Evidence } from "./report-schema";

/** A violation with its stable id (the same finding gets the same id in every run). */
export function violation(kind: ViolationKind, explanation: string, evidence: Evidence) {
  const { check, title } = VIOLATION_KINDS[kind];
  const id = bytesToHex(sha256(new TextEncoder().encode(`${kind}\n${JSON.stringify(evidence)}\n${explanation}`))).slice(
    0,
    16,
  );
  return { id, kind, check, title, explanation, evidence, new: true };
}

/** An anomaly of the lifecycle rules in a reader's words: who did what to which code. */
export function explainAnomaly(kind: string, epc: string, detail: string, e: Evidence): string {
  const who = `${e.participantName ?? `participant ${e.participant}`}${e.submitter ? ` (key ${e.submitter})` : ""}`;
  switch (kind) {
    case "commission_outside_release":
      return `${who} commissioned ${epc}, a code that no released batch holds: evidence of an overrun or a counterfeit.`;
    case "double_commission":
      return `${who} commissioned ${epc} again; a code is commissioned once.`;
    case "handover_by_non_holder":
      return `${epc}: ${detail}. The sender did not hold the goods it handed over; custody did not pass.`;
    case "unauthorised_event":
      return `${epc}: ${detail}. ${who} had no right to record this; it is kept as evidence and changes nothing.`;
    case "event_after_end":
      return `${epc}: ${detail}, reported by ${who}.`;
    default:
      return `${epc}: ${detail}.`;
  }
}

/** An error's first line, for a violation's explanation. */
export function firstLine(e: unknown): string {
  return String((e as Error).message ?? e).split("\n")[0];
}
