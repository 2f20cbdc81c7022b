import { hashTypedData, recoverTypedDataAddress, type Address, type TypedDataDomain } from "viem";
import { isCanonicalSignature } from "./signature-form";
import type { Hex } from "../bytes";

/**
 * EIP-712 messages of the trust model, shared with contracts/libraries/CustodyTypes.sol: a Capture
 * (a submitter's signed summary of a bundle of EPCIS events) and a Handover (custody passing from
 * one key to another, signed by both). test/vectors/eip712.json pins the digests on both sides.
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

/** The typed-data payload to hand a signer (viem account.signTypedData or a wallet). */
export function captureTypedData(domain: CustodyDomain, capture: Capture) {
  return { domain: custodyDomain(domain), types: CUSTODY_TYPES, primaryType: "Capture" as const, message: capture };
}

export function handoverTypedData(domain: CustodyDomain, handover: Handover) {
  return { domain: custodyDomain(domain), types: CUSTODY_TYPES, primaryType: "Handover" as const, message: handover };
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
