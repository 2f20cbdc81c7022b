import type { Address } from "viem";
import type { Hex } from "../bytes";
import { ValidationError } from "../errors";
import {
  handoverDigest,
  participantHandoverDigest,
  participantHandoverSigner,
  verifyHandoverSignatures,
  type CustodyDomain,
  type Handover,
  type ParticipantHandover,
} from "./eip712";

/**
 * The signed message of a handover, in either of its forms: format 3 (ParticipantHandover, what
 * every party signs now) names the two participants, and any active key of each signs its half;
 * formats 1 and 2 (Handover) named the two keys in advance and still verify where they are on a
 * ledger. On the wire (relayer bodies, commitment content, proof bundles) times are decimal strings.
 */
export type HandoverMessage = Handover | ParticipantHandover;

/** The handover format that names participants (its items' leaves are salted, as format 2's). */
export const PARTICIPANT_HANDOVER_FORMAT = 3;

/** The JSON form of a handover message: its times as decimal strings. */
export type HandoverMessageJson =
  | (Omit<Handover, "eventTime" | "deadline"> & { eventTime: string; deadline: string })
  | (Omit<ParticipantHandover, "eventTime" | "deadline"> & { eventTime: string; deadline: string });

export function isParticipantHandover(message: HandoverMessage): message is ParticipantHandover {
  return "fromParticipant" in message;
}

export function handoverMessageJson(message: HandoverMessage): HandoverMessageJson {
  return { ...message, eventTime: message.eventTime.toString(), deadline: message.deadline.toString() };
}

const HASH = /^0x[0-9a-fA-F]{64}$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const UINT64 = /^\d{1,20}$/;
const MAX_UINT32 = 0xffff_ffff;
const MAX_UINT64 = 2n ** 64n - 1n;

/**
 * Reads a handover message from its JSON form, strictly: exactly the fields of its type (a
 * ParticipantHandover when `participants`, else a Handover), each of its EIP-712 type's range.
 * Throws a ValidationError naming the field under `pointer`.
 */
export function readHandoverMessage(json: unknown, participants: boolean, pointer = "/handover"): HandoverMessage {
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new ValidationError(pointer, json, "must be an object");
  }
  const o = json as Record<string, unknown>;
  const fields = participants
    ? [
        "handoverId",
        "fromParticipant",
        "toParticipant",
        "itemsRoot",
        "itemCount",
        "shipmentRefHash",
        "eventTime",
        "deadline",
      ]
    : ["handoverId", "from", "to", "itemsRoot", "itemCount", "shipmentRefHash", "eventTime", "deadline"];
  for (const key of Object.keys(o)) {
    if (!fields.includes(key)) {
      throw new ValidationError(
        `${pointer}/${key}`,
        o[key],
        participants && (key === "from" || key === "to")
          ? "a handover format 3 names participants: fromParticipant and toParticipant"
          : "is not a field of the handover",
      );
    }
  }
  const hash = (key: string): Hex => {
    const v = o[key];
    if (typeof v !== "string" || !HASH.test(v)) {
      throw new ValidationError(`${pointer}/${key}`, v, "must be a 0x-prefixed 32-byte hex string");
    }
    return v.toLowerCase() as Hex;
  };
  const uint32 = (key: string, min: number): number => {
    const v = o[key];
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > MAX_UINT32) {
      throw new ValidationError(`${pointer}/${key}`, v, `must be an integer from ${min} to ${MAX_UINT32}`);
    }
    return v;
  };
  const seconds = (key: string): bigint => {
    const v = o[key];
    const text = typeof v === "number" && Number.isSafeInteger(v) && v >= 0 ? String(v) : v;
    if (typeof text !== "string" || !UINT64.test(text) || BigInt(text) > MAX_UINT64) {
      throw new ValidationError(
        `${pointer}/${key}`,
        v,
        "must be seconds since the epoch (a uint64, as a decimal string)",
      );
    }
    return BigInt(text);
  };
  const address = (key: string): Address => {
    const v = o[key];
    if (typeof v !== "string" || !ADDRESS.test(v)) {
      throw new ValidationError(`${pointer}/${key}`, v, "must be a 0x-prefixed 20-byte address");
    }
    return v as Address;
  };
  const common = {
    handoverId: hash("handoverId"),
    itemsRoot: hash("itemsRoot"),
    itemCount: uint32("itemCount", 1),
    shipmentRefHash: hash("shipmentRefHash"),
    eventTime: seconds("eventTime"),
    deadline: seconds("deadline"),
  };
  return participants
    ? { ...common, fromParticipant: uint32("fromParticipant", 1), toParticipant: uint32("toParticipant", 1) }
    : { ...common, from: address("from"), to: address("to") };
}

/** The EIP-712 digest the two parties sign, whichever form the message has. */
export function handoverMessageDigest(domain: CustodyDomain, message: HandoverMessage): Hex {
  return isParticipantHandover(message) ? participantHandoverDigest(domain, message) : handoverDigest(domain, message);
}

/**
 * The keys that made the two signatures (low-s), null for one that is not a signature of the
 * message; for a key-addressed Handover, a signature by any key but the named one is null too. For
 * a ParticipantHandover, whether each key is its participant's is the registry's to say.
 */
export async function handoverSigners(
  domain: CustodyDomain,
  message: HandoverMessage,
  senderSignature: Hex,
  receiverSignature: Hex,
): Promise<{ sender: Address | null; receiver: Address | null }> {
  if (isParticipantHandover(message)) {
    return {
      sender: await participantHandoverSigner(domain, message, senderSignature),
      receiver: await participantHandoverSigner(domain, message, receiverSignature),
    };
  }
  const signed = await verifyHandoverSignatures(domain, message, senderSignature, receiverSignature);
  return { sender: signed.sender ? message.from : null, receiver: signed.receiver ? message.to : null };
}
