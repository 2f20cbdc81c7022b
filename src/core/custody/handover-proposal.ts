import type { Hex } from "../bytes";
import { canonicalValue } from "../epcis/canonical-value";
import { ValidationError } from "../errors";
import type { CustodyDomain, ParticipantHandover } from "./eip712";
import { handoverItemsTree, MAX_HANDOVER_ITEMS, shipmentRefHashOf } from "./handover-items";
import {
  handoverMessageDigest,
  handoverMessageJson,
  PARTICIPANT_HANDOVER_FORMAT,
  readHandoverMessage,
  type HandoverMessageJson,
} from "./handover-message";

/**
 * A handover proposal (POST /handovers/proposals): the sender's half of a format-3 handover, its
 * items, salt and shipment reference in clear, and the sender's signature. The receiver countersigns
 * the same digest later, on its own device; the proposal's id is that digest.
 */
export interface HandoverProposal {
  handover: ParticipantHandover;
  items: string[];
  /** the despatch advice number in clear; with the salt it hashes to shipmentRefHash */
  shipmentRef: string;
  salt: Hex;
  senderSignature: Hex;
}

/** The JSON of a proposal as it travels and is stored. */
export interface HandoverProposalJson {
  handover: HandoverMessageJson;
  items: string[];
  shipmentRef: string;
  salt: Hex;
  senderSignature: Hex;
}

/** A proposal as the relayer's mailbox shows it to its two parties. */
export interface ProposalView {
  id: string;
  /** "expired": still proposed, past its deadline */
  status: "proposed" | "accepted" | "rejected" | "withdrawn" | "expired";
  from: number;
  to: number;
  handoverId: string;
  itemCount: number;
  shipmentRef: string;
  eventTime: string;
  deadline: string;
  /** the key that signed the sender's half */
  proposedBy: string;
  proposedAt: string;
  /** the key that accepted, rejected or withdrew it, and when */
  actedBy?: string;
  actedAt?: string;
  reason?: string;
  /** once accepted: the handover's id at the relayer (GET /capture/{id}) */
  captureID?: string;
  /** the signed proposal itself (items, salt, signature), for the receiver to check and countersign */
  proposal?: HandoverProposalJson;
}

/** A co-signed format-3 handover, as the relayer stores and publishes it in commitment content. */
export interface CoSignedParticipantHandoverJson extends HandoverProposalJson {
  format: typeof PARTICIPANT_HANDOVER_FORMAT;
  receiverSignature: Hex;
}

const SIGNATURE = /^0x[0-9a-fA-F]{130}$/;
const SALT = /^0x[0-9a-fA-F]{64}$/;
export const MAX_SHIPMENT_REF_LENGTH = 200;
const PROPOSAL_FIELDS = ["handover", "items", "shipmentRef", "salt", "senderSignature"];

/**
 * Reads a proposal strictly (exactly its fields), without the work that grows with its items: the
 * caller checks the signature first, then `checkProposalItems`. Throws a ValidationError naming the
 * field, as a JSON pointer.
 */
export function readHandoverProposal(json: unknown, maxItems = MAX_HANDOVER_ITEMS): HandoverProposal {
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new ValidationError("/", json, "a handover proposal is a JSON object");
  }
  const o = json as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!PROPOSAL_FIELDS.includes(key)) throw new ValidationError(`/${key}`, o[key], "is not a field of a proposal");
  }
  const handover = readHandoverMessage(o.handover, true) as ParticipantHandover;
  if (handover.fromParticipant === handover.toParticipant) {
    throw new ValidationError(
      "/handover/toParticipant",
      handover.toParticipant,
      "the receiver must differ from the sender",
    );
  }
  if (!Array.isArray(o.items) || o.items.length === 0)
    throw new ValidationError("/items", o.items, "list one or more items");
  if (o.items.length > maxItems) {
    throw new ValidationError("/items", `${o.items.length} items`, `a handover holds at most ${maxItems} items`);
  }
  const items = o.items.map((item, i) => {
    if (typeof item !== "string") throw new ValidationError(`/items/${i}`, item, "must be a string");
    return item;
  });
  if (
    typeof o.shipmentRef !== "string" ||
    o.shipmentRef.length === 0 ||
    o.shipmentRef.length > MAX_SHIPMENT_REF_LENGTH
  ) {
    throw new ValidationError("/shipmentRef", o.shipmentRef, `must be 1 to ${MAX_SHIPMENT_REF_LENGTH} characters`);
  }
  if (typeof o.salt !== "string" || !SALT.test(o.salt)) {
    throw new ValidationError("/salt", o.salt, "must be a 0x-prefixed 32-byte hex string");
  }
  if (typeof o.senderSignature !== "string" || !SIGNATURE.test(o.senderSignature)) {
    throw new ValidationError("/senderSignature", o.senderSignature, "must be a 0x-prefixed 65-byte signature");
  }
  return {
    handover,
    items,
    shipmentRef: o.shipmentRef,
    salt: o.salt.toLowerCase() as Hex,
    senderSignature: o.senderSignature as Hex,
  };
}

/**
 * The work that grows with the items, once the signature holds: each an instance identifier named
 * once, together giving the signed items root and count; the shipment reference its signed hash.
 */
export function checkProposalItems(proposal: HandoverProposal): void {
  const { handover, items, salt } = proposal;
  const root = handoverItemsTree(items, salt).root;
  if (root !== handover.itemsRoot) {
    throw new ValidationError("/handover/itemsRoot", handover.itemsRoot, `the items' root is ${root}`);
  }
  if (items.length !== handover.itemCount) {
    throw new ValidationError("/handover/itemCount", handover.itemCount, `the list holds ${items.length} items`);
  }
  if (shipmentRefHashOf(proposal.shipmentRef, salt) !== handover.shipmentRefHash) {
    throw new ValidationError(
      "/shipmentRef",
      proposal.shipmentRef,
      "with the salt, does not hash (keccak256 of abi.encode(salt, shipmentRef)) to shipmentRefHash",
    );
  }
}

export function proposalId(domain: CustodyDomain, proposal: HandoverProposal): Hex {
  return handoverMessageDigest(domain, proposal.handover);
}

export function handoverProposalJson(proposal: HandoverProposal): HandoverProposalJson {
  return { ...proposal, handover: handoverMessageJson(proposal.handover) };
}

/** The co-signed handover a proposal becomes when the receiver countersigns it. */
export function coSignedProposalJson(
  proposal: HandoverProposal,
  receiverSignature: Hex,
): CoSignedParticipantHandoverJson {
  return { format: PARTICIPANT_HANDOVER_FORMAT, ...handoverProposalJson(proposal), receiverSignature };
}

/**
 * How the items a receiver counted differ from the proposal's, each item compared in its canonical
 * form (a Digital Link and its EPC URN are the same item): what was proposed and not received, and
 * what was received and not proposed. Both empty: the goods arrived as proposed.
 */
export function receivedDifference(
  proposed: readonly string[],
  received: readonly string[],
): { missing: string[]; extra: string[] } {
  const canonical = (items: readonly string[]) => new Map(items.map((i) => [canonicalValue(i.trim()), i]));
  const p = canonical(proposed);
  const r = canonical(received);
  return {
    missing: [...p].filter(([c]) => !r.has(c)).map(([, i]) => i),
    extra: [...r].filter(([c]) => !p.has(c)).map(([, i]) => i),
  };
}
