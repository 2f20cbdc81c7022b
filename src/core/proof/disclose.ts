import type { Hex } from "../bytes";
import {
  identifierLeaves,
  saltHash,
  shownFields,
  type EventParts,
  type IdentifierLeaf,
} from "../custody/event-disclosure";
import { disclosedEventsTree, identifiersTree } from "../custody/disclosure-trees";
import type { EpcisEvent } from "../epcis/event-hash";
import type { MerkleTree } from "../merkle/tree";
import type { DisclosedEventStep } from "./bundle";

/** What a public step discloses of one event of a format-2 capture, before its capture and commitment. */
export type DisclosedEvent = Pick<
  DisclosedEventStep,
  "kind" | "shown" | "eventHash" | "saltHash" | "identifiers" | "eventProof"
>;

/**
 * Discloses one event for the verification of one code: its shown fields, and of its identifiers
 * only those in `subjects` (the code and its own containers), each with its salted proof; every
 * other identifier stays behind its leaf hash. Null when the event names none of `subjects`.
 * `trees` lets a caller reuse the trees and salted leaves it already built for the same event.
 */
export function discloseEvent(input: {
  event: EpcisEvent;
  position: number;
  salt: Hex;
  parts: readonly EventParts[];
  subjects: ReadonlySet<string>;
  trees?: { events?: MerkleTree; identifiers?: MerkleTree | null; leaves?: readonly IdentifierLeaf[] };
}): DisclosedEvent | null {
  const leaves = input.trees?.leaves ?? identifierLeaves(input.event, input.salt, input.position);
  const ids = input.trees?.identifiers !== undefined ? input.trees.identifiers : identifiersTree(leaves);
  const identifiers = leaves.flatMap((leaf, i) =>
    input.subjects.has(leaf.value) && ids ? [{ ...leaf, proof: ids.proof(i) }] : [],
  );
  if (identifiers.length === 0) return null;
  const salted = saltHash(input.salt);
  const events = input.trees?.events ?? disclosedEventsTree(input.parts, salted);
  return {
    kind: "disclosed_event",
    shown: shownFields(input.event),
    eventHash: input.parts[input.position].eventHash,
    saltHash: salted,
    identifiers,
    eventProof: events.proof(input.position),
  };
}
