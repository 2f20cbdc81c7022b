import type { LedgerFacts, ParticipantFacts } from "../../chain/ledger-facts";
import { epcUriToDigitalLink } from "../../core/gs1/epc-uri";
import { bizStepName, isEndOfLife } from "../../core/lifecycle/biz-steps";
import { coordinatesOf } from "../../core/lifecycle/geo";
import type { CustodyStep } from "../../core/proof/bundle";
import { shownOf } from "../../core/proof/verify-bundle";

/** Who signed a step: a participant the registry names, or a key or participant it does not know. */
export type Signer = { name: string } | { unregisteredKey: string } | { unregistered: string };

/** Where a step happened: a site (GLN, with its extension), coordinates or an identifier as stated. */
export type Place = { site: string; extension?: string } | { text: string };

/** One step of a product's journey, as facts the page puts into the visitor's words. */
export interface TimelineEntry {
  /** ISO 8601, UTC */
  time: string;
  /** the CBV business step's name ("retail_selling"), "handover", or "recorded" when it names none */
  step: string;
  /** who recorded it; for a handover, who handed over to whom */
  by: Signer | { from: Signer; to: Signer };
  where: Place | null;
  block: number;
  transaction: string;
  /** the step took the unit out of the supply chain (sold, dispensed, destroyed) */
  ends: boolean;
  /** recorded before selective disclosure: on the ledger, but what it says is the server's word */
  unproven?: boolean;
  /** the lifecycle rules refused it (its submitter had no right to record it): why, in words */
  refused?: string;
}

/** Who a signing key, or a participant id, is (from the chain's registry). */
export type Names = Pick<LedgerFacts, "participantOfKey" | "participant">;

/** A CBV business step's name ("retail_selling"), or "recorded" when the event states none. */
export function stepOf(bizStep: unknown): string {
  return bizStepName(bizStep) ?? "recorded";
}

/** A location identifier as a place: coordinates, a GLN, or the identifier itself. */
export function placeOf(location: unknown): Place | null {
  if (typeof location !== "string" || location === "") return null;
  const point = coordinatesOf(location, {});
  if (point) {
    const lat = `${Math.abs(point.lat).toFixed(3)}° ${point.lat >= 0 ? "N" : "S"}`;
    const lon = `${Math.abs(point.lon).toFixed(3)}° ${point.lon >= 0 ? "E" : "W"}`;
    return { text: `${lat}, ${lon}` };
  }
  const link = location.startsWith("urn:epc:") ? epcUriToDigitalLink(location) : location;
  const gln = link ? /\/414\/(\d{13})(?:\/254\/([^/?#]+))?/.exec(link) : null;
  if (gln) return gln[2] ? { site: gln[1], extension: decodeURIComponent(gln[2]) } : { site: gln[1] };
  return { text: location };
}

function signerOf(who: ParticipantFacts | null, ref: string): Signer {
  if (who) return { name: who.name };
  return ref.startsWith("0x") ? { unregisteredKey: ref.slice(0, 8) } : { unregistered: ref };
}

/** ISO 8601 of a time the ledger states; a time it states badly is shown as it is. */
function isoTime(ms: number, raw: unknown): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : String(raw);
}

/**
 * The custody steps of a verified bundle as a timeline, oldest first (ledger order breaks ties):
 * what happened, who signed it (names from the chain's registry), where, and the block it is in.
 */
export async function timelineOf(custody: readonly CustodyStep[], names: Names): Promise<TimelineEntry[]> {
  const entries = await Promise.all(
    custody.map(async (step, i): Promise<TimelineEntry & { order: number }> => {
      const at = { block: step.commitment.block, transaction: step.commitment.transaction, order: i };
      if (step.kind !== "handover") {
        const e = shownOf(step);
        const where = placeOf(e.readPoint) ?? placeOf(e.bizLocation);
        return {
          ...at,
          time: isoTime(Date.parse(e.eventTime), e.eventTime),
          step: stepOf(e.bizStep),
          ends: !step.refused && isEndOfLife(e.bizStep),
          by: signerOf(await names.participantOfKey(step.capture.submitter), step.capture.submitter),
          where,
          ...(step.kind === "recorded_event" ? { unproven: true } : {}),
          ...(step.refused ? { refused: step.refused } : {}),
        };
      }
      const h = step.handover;
      // a participant-addressed handover names its parties; an older one, their keys
      const [from, to] =
        "fromParticipant" in h
          ? await Promise.all([names.participant(h.fromParticipant), names.participant(h.toParticipant)])
          : await Promise.all([names.participantOfKey(h.from), names.participantOfKey(h.to)]);
      const [fromRef, toRef] =
        "fromParticipant" in h
          ? [`participant ${h.fromParticipant}`, `participant ${h.toParticipant}`]
          : [h.from, h.to];
      return {
        ...at,
        time: isoTime(Number(h.eventTime) * 1000, h.eventTime),
        step: "handover",
        ends: false,
        by: { from: signerOf(from, fromRef), to: signerOf(to, toRef) },
        where: null,
        ...(step.refused ? { refused: step.refused } : {}),
      };
    }),
  );
  entries.sort((a, b) => a.time.localeCompare(b.time) || a.order - b.order);
  return entries.map(({ order: _order, ...entry }) => entry);
}
