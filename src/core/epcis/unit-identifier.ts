import { formatDigitalLink } from "../gs1/digital-link";
import { CANONICAL_ORIGIN } from "../gs1/epc-uri";
import { canonicalValue } from "./canonical-value";

/**
 * The identifier events use for a serialised unit, as the indexer, the audit and the verifier
 * compare them: its Digital Link on id.gs1.org built by the core's formatter (every AI 82 character
 * outside RFC 3986's unreserved set percent-encoded, as GS1 Digital Link requires), in CBV 2.0
 * canonical form. Never concatenated: a serial holding "?" or "/" stays one serial.
 */
export function unitIdentifier(gtin: string, serial: string): string {
  return canonicalValue(formatDigitalLink({ origin: CANONICAL_ORIGIN, gtin, serial }));
}
