import { hashTypedData, recoverTypedDataAddress, type Address, type TypedDataDomain } from "viem";
import { isCanonicalSignature } from "./signature-form";
import type { Hex } from "../bytes";

/**
 * EIP-712 messages of the trust model, shared with contracts/libraries/CustodyTypes.sol: a Capture
 * (a submitter's signed summary of a bundle of EPCIS events), a ParticipantHandover (custody passing
 * from one participant to another, signed by a key of each: the sender signs first, any active key
 * of the receiver countersigns later, on its own device) and the older Handover (custody passing
 * from one key to another, both named in advance), which still verifies where it is on a ledger.
 * test/vectors/eip712.json pins the digests on both sides.
 */

export const DOMAIN_NAME = "trackroot";
export const DOMAIN_VERSION = "1";

export const CUSTODY_TYPES = {
  Capture: [
    { name: "submitter", type: "address" },
    { name: "eventsRoot", type: "bytes32" },
    { name: "eventCount", type: "uint32" },
    { name: "nonce", type: "bytes32" },
    { name: "issuedAt", type: "uint64" },
  ],
  Handover: [
    { name: "handoverId", type: "bytes32" },
    { name: "from", type: "address" },
    { name: "to", type: "address" },
    { name: "itemsRoot", type: "bytes32" },
    { name: "itemCount", type: "uint32" },
    { name: "shipmentRefHash", type: "bytes32" },
    { name: "eventTime", type: "uint64" },
    { name: "deadline", type: "uint64" },
  ],
  ParticipantHandover: [
    { name: "handoverId", type: "bytes32" },
    { name: "fromParticipant", type: "uint32" },
    { name: "toParticipant", type: "uint32" },
    { name: "itemsRoot", type: "bytes32" },
    { name: "itemCount", type: "uint32" },
    { name: "shipmentRefHash", type: "bytes32" },
    { name: "eventTime", type: "uint64" },
    { name: "deadline", type: "uint64" },
  ],
} as const;

export interface CustodyDomain {
  chainId: number;
  /** the CommitmentLog contract */
  verifyingContract: Address;
}

export interface Capture {
  submitter: Address;
  eventsRoot: Hex;
  eventCount: number;
  nonce: Hex;
  issuedAt: bigint;
}

export interface Handover {
  handoverId: Hex;
  from: Address;
  to: Address;
  itemsRoot: Hex;
  itemCount: number;
  shipmentRefHash: Hex;
  eventTime: bigint;
  deadline: bigint;
}

/**
 * A handover addressed to a participant rather than to one of its keys (handover format 3): a dock
 * has several devices, and whichever active key of the receiver countersigns, the message is the same.
 */
export interface ParticipantHandover {
  handoverId: Hex;
  fromParticipant: number;
  toParticipant: number;
  itemsRoot: Hex;
  itemCount: number;
  shipmentRefHash: Hex;
  eventTime: bigint;
  deadline: bigint;
}

export function custodyDomain(d: CustodyDomain): TypedDataDomain {
  return { name: DOMAIN_NAME, version: DOMAIN_VERSION, chainId: d.chainId, verifyingContract: d.verifyingContract };
}

/** The EIP-712 digest of a capture, as CommitmentLog.hashCapture computes it. */
export function captureDigest(domain: CustodyDomain, capture: Capture): Hex {
  return hashTypedData({
    domain: custodyDomain(domain),
    types: CUSTODY_TYPES,
    primaryType: "Capture",
    message: capture,
  });
}

/** The EIP-712 digest of a handover, as CommitmentLog.hashHandover computes it. */
export function handoverDigest(domain: CustodyDomain, handover: Handover): Hex {
  return hashTypedData({
    domain: custodyDomain(domain),
    types: CUSTODY_TYPES,
    primaryType: "Handover",
    message: handover,
  });
}

/** The EIP-712 digest of a participant handover, as CommitmentLog.hashParticipantHandover computes it. */
export function participantHandoverDigest(domain: CustodyDomain, handover: ParticipantHandover): Hex {
  return hashTypedData(participantHandoverTypedData(domain, handover));
}

/** The typed-data payload to hand a signer (viem account.signTypedData or a wallet). */
export function captureTypedData(domain: CustodyDomain, capture: Capture) {
  return { domain: custodyDomain(domain), types: CUSTODY_TYPES, primaryType: "Capture" as const, message: capture };
}

export function handoverTypedData(domain: CustodyDomain, handover: Handover) {
  return { domain: custodyDomain(domain), types: CUSTODY_TYPES, primaryType: "Handover" as const, message: handover };
}

export function participantHandoverTypedData(domain: CustodyDomain, handover: ParticipantHandover) {
  return {
    domain: custodyDomain(domain),
    types: CUSTODY_TYPES,
    primaryType: "ParticipantHandover" as const,
    message: handover,
  };
}

/**
 * The key that made `signature` over a participant handover, or null when it is no signature in
 * low-s form. Whose key it is (and whether it was active) is the registry's to say.
 */
export async function participantHandoverSigner(
  domain: CustodyDomain,
  handover: ParticipantHandover,
  signature: Hex,
): Promise<Address | null> {
  if (!isCanonicalSignature(signature)) return null;
  try {
    return await recoverTypedDataAddress({ ...participantHandoverTypedData(domain, handover), signature });
  } catch {
    return null;
  }
}

/** Whether `signature` over the capture was made by its submitter key, in low-s form. Never throws. */
export async function verifyCaptureSignature(
  domain: CustodyDomain,
  capture: Capture,
  signature: Hex,
): Promise<boolean> {
  if (!isCanonicalSignature(signature)) return false;
  try {
    const signer = await recoverTypedDataAddress({ ...captureTypedData(domain, capture), signature });
    return signer.toLowerCase() === capture.submitter.toLowerCase();
  } catch {
    return false;
  }
}

/** Which of the two handover signatures are valid (low-s): the sender's by `from`, the receiver's by `to`. */
export async function verifyHandoverSignatures(
  domain: CustodyDomain,
  handover: Handover,
  senderSignature: Hex,
  receiverSignature: Hex,
): Promise<{ sender: boolean; receiver: boolean }> {
  const check = async (signature: Hex, key: Address): Promise<boolean> => {
    if (!isCanonicalSignature(signature)) return false;
    try {
      const signer = await recoverTypedDataAddress({ ...handoverTypedData(domain, handover), signature });
      return signer.toLowerCase() === key.toLowerCase();
    } catch {
      return false;
    }
  };
  return { sender: await check(senderSignature, handover.from), receiver: await check(receiverSignature, handover.to) };
}
