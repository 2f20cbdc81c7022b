import { fromHex, type Hex } from "../bytes";
import type { EpcisEvent } from "../epcis/event-hash";
import { ValidationError } from "../errors";
import { fixedLeafHashes, standardLeafHashes } from "../merkle/leaves";
import { kernelKeccak256 } from "../merkle/kernel";
import { captureEventParts } from "./capture-parts";
import { DuplicateLeafError, MerkleTree } from "../merkle/tree";
import {
  checkCaptureSalt,
  identifierLeaves,
  IDENTIFIER_LEAF_ENCODING,
  NO_IDENTIFIERS,
  readEventParts,
  saltHash,
  shownDigest,
  shownFields,
  type DisclosureFailure,
  type EventParts,
  type IdentifierLeaf,
} from "./event-disclosure";

/**
 * The trees of capture format 2 (src/core/custody/event-disclosure.ts), built in the WebAssembly
 * kernel: what submitters, the relayer, the indexer and the audit build and check. A verifier that
 * holds one disclosed event needs none of it.
 */

/** The tree over an event's identifiers, or null when it lists none (its root is NO_IDENTIFIERS). */
export function identifiersTree(leaves: readonly IdentifierLeaf[]): MerkleTree | null {
  if (leaves.length === 0) return null;
  return MerkleTree.fromLeafHashes(
    standardLeafHashes(
      IDENTIFIER_LEAF_ENCODING,
      leaves.map((l) => [l.field, l.value, l.salt]),
    ),
  );
}

/** An event's parts: what its leaf commits to, derived from the event itself and the capture's salt. */
export function eventParts(event: EpcisEvent, eventHash: Hex, captureSalt: Hex, eventIndex: number): EventParts {
  return {
    eventHash: eventHash.toLowerCase() as Hex,
    // hashed in the kernel: this runs for every event of every capture the relayer and indexer see
    shownDigest: shownDigest(shownFields(event), kernelKeccak256),
    identifiersRoot:
      identifiersTree(identifierLeaves(event, captureSalt, eventIndex, kernelKeccak256))?.root ?? NO_IDENTIFIERS,
  };
}

/**
 * The events tree a format-2 capture signs: one leaf per event from its parts and the salt's hash,
 * in document order as values (proofs by document index). The same event twice is refused.
 */
export function disclosedEventsTree(parts: readonly EventParts[], salted: Hex): MerkleTree {
  if (parts.length === 0) throw new ValidationError("/epcisBody/eventList", [], "a capture holds one or more events");
  const seen = new Map<string, number>();
  parts.forEach((p, i) => {
    const first = seen.get(p.eventHash);
    if (first !== undefined) throw new ValidationError(`/epcisBody/eventList/${i}`, null, `repeats event ${first}`);
    seen.set(p.eventHash, i);
  });
  const messages = new Uint8Array(128 * parts.length);
  const saltWord = fromHex(salted);
  parts.forEach((p, i) => {
    fromHex(p.eventHash, messages, 128 * i);
    fromHex(p.shownDigest, messages, 128 * i + 32);
    fromHex(p.identifiersRoot, messages, 128 * i + 64);
    messages.set(saltWord, 128 * i + 96);
  });
  try {
    return MerkleTree.fromLeafHashes(fixedLeafHashes(messages, 128));
  } catch (e) {
    if (e instanceof DuplicateLeafError)
      throw new ValidationError(`/epcisBody/eventList/${e.second}`, null, `repeats event ${e.first}`);
    throw e;
  }
}

/**
 * Checks a format-2 capture's published parts and salt against the events root its submitter
 * signed and against the document's events: first that the parts and the salt give the signed
 * root and each part's event hash is the document's (else the content is not what was signed:
 * "root"), then that each event gives the parts signed for it (else the submitter signed parts its
 * own events contradict: "inconsistent"). Null when everything holds.
 */
export function checkDisclosure(input: {
  events: readonly EpcisEvent[];
  eventHashes: readonly Hex[];
  salt: unknown;
  parts: unknown;
  eventsRoot: Hex;
}): DisclosureFailure | null {
  let parts: EventParts[];
  let salt: Hex;
  try {
    salt = checkCaptureSalt(input.salt);
    parts = readEventParts(input.parts);
  } catch (e) {
    return { failure: "malformed", detail: (e as Error).message };
  }
  if (parts.length !== input.events.length)
    return { failure: "count", detail: `${parts.length} parts for ${input.events.length} events` };
  let root: Hex;
  try {
    root = disclosedEventsTree(parts, saltHash(salt)).root;
  } catch (e) {
    return { failure: "malformed", detail: (e as Error).message };
  }
  if (root !== input.eventsRoot.toLowerCase())
    return { failure: "root", detail: "the published parts and salt do not give the signed events root" };
  for (const [i, hash] of input.eventHashes.entries()) {
    if (parts[i].eventHash !== hash.toLowerCase())
      return { failure: "root", detail: `event ${i} is not the event whose hash was signed` };
  }
  const derivedParts = captureEventParts(input.events, input.eventHashes, salt);
  for (const [i, derived] of derivedParts.entries()) {
    if (derived.shownDigest !== parts[i].shownDigest)
      return { failure: "inconsistent", detail: `event ${i}: the signed shown fields are not the event's` };
    if (derived.identifiersRoot !== parts[i].identifiersRoot)
      return { failure: "inconsistent", detail: `event ${i}: the signed identifiers are not the event's` };
  }
  return null;
}
