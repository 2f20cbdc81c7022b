import { keccak256, stringToHex, type Hex } from "viem";
import type { Signer } from "./signer";
import { handoverTypedData, type CustodyDomain } from "../core/custody/eip712";
import { handoverItemsTree, shipmentRefHashOf } from "../core/custody/handover-items";
import { randomSalt } from "./sign-capture";

/** The body of the relayer's POST /handovers: the signed message, its items and both signatures. */
export interface CoSignedHandover {
  handover: {
    handoverId: Hex;
    from: Hex;
    to: Hex;
    itemsRoot: Hex;
    itemCount: number;
    shipmentRefHash: Hex;
    eventTime: string;
    deadline: string;
  };
  items: string[];
  shipmentRef: string;
  /** handover format 2: the salt of the items' leaves and of the shipment reference's hash */
  salt: Hex;
  senderSignature: Hex;
  receiverSignature: Hex;
}

/**
 * A custody handover signed by both sides: the sender's and the receiver's keys sign the same
 * EIP-712 Handover (items root, shipment reference hash, event time, deadline). In the field each
 * side signs on its own device; here both accounts are at hand.
 */
export async function coSignHandover(options: {
  items: string[];
  sender: Signer;
  receiver: Signer;
  domain: CustodyDomain;
  /** any text; hashed into the handover id (default: the time and a random number) */
  id?: string;
  /** the despatch advice number, in clear; its hash is signed */
  shipmentRef?: string;
  /** seconds since the epoch (default: a minute ago) */
  eventTime?: number;
  /** seconds since the epoch after which the relayer refuses it (default: in an hour) */
  deadline?: number;
}): Promise<CoSignedHandover> {
  const now = Math.floor(Date.now() / 1000);
  const shipmentRef = options.shipmentRef ?? "DESADV-0001";
  const salt = randomSalt();
  const handover = {
    handoverId: keccak256(stringToHex(options.id ?? `${Date.now()}-${Math.random()}`)),
    from: options.sender.address,
    to: options.receiver.address,
    itemsRoot: handoverItemsTree(options.items, salt).root,
    itemCount: options.items.length,
    shipmentRefHash: shipmentRefHashOf(shipmentRef, salt),
    eventTime: BigInt(options.eventTime ?? now - 60),
    deadline: BigInt(options.deadline ?? now + 3600),
  };
  const typed = handoverTypedData(options.domain, handover);
  return {
    handover: { ...handover, eventTime: handover.eventTime.toString(), deadline: handover.deadline.toString() },
    items: options.items,
    shipmentRef,
    salt,
    senderSignature: await options.sender.signTypedData(typed),
    receiverSignature: await options.receiver.signTypedData(typed),
  };
}
