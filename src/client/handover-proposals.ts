import { keccak256, stringToHex, type Hex } from "viem";
import type { Signer } from "./signer";
import { participantHandoverTypedData, type CustodyDomain, type ParticipantHandover } from "../core/custody/eip712";
import { handoverItemsTree, shipmentRefHashOf } from "../core/custody/handover-items";
import {
  checkProposalItems,
  handoverProposalJson,
  proposalId,
  readHandoverProposal,
  type HandoverProposalJson,
} from "../core/custody/handover-proposal";
import { IntegrityError } from "../core/errors";
import { randomSalt } from "./sign-capture";

/**
 * The sender's half of a handover (format 3): addressed to the receiving participant, signed with
 * the sender's own key. The receiver countersigns later, from any of its active keys.
 */
export async function signHandoverProposal(options: {
  account: Signer;
  domain: CustodyDomain;
  fromParticipant: number;
  toParticipant: number;
  items: string[];
  /** the despatch advice number, in clear; its salted hash is signed */
  shipmentRef: string;
  /** any text; hashed into the handover id (default: the shipment reference and the time) */
  id?: string;
  /** seconds since the epoch (default: now) */
  eventTime?: number;
  /** seconds since the epoch after which it can no longer be accepted (default: in a day) */
  deadline?: number;
}): Promise<HandoverProposalJson> {
  const now = Math.floor(Date.now() / 1000);
  const salt = randomSalt();
  const handover: ParticipantHandover = {
    handoverId: keccak256(stringToHex(options.id ?? `${options.shipmentRef}@${Date.now()}-${Math.random()}`)),
    fromParticipant: options.fromParticipant,
    toParticipant: options.toParticipant,
    itemsRoot: handoverItemsTree(options.items, salt).root,
    itemCount: options.items.length,
    shipmentRefHash: shipmentRefHashOf(options.shipmentRef, salt),
    eventTime: BigInt(options.eventTime ?? now),
    deadline: BigInt(options.deadline ?? now + 86_400),
  };
  const senderSignature = await options.account.signTypedData(participantHandoverTypedData(options.domain, handover));
  return handoverProposalJson({
    handover,
    items: options.items,
    shipmentRef: options.shipmentRef,
    salt,
    senderSignature,
  });
}

/**
 * The receiver's countersignature of a proposal it read from the (untrusted) relayer: the proposal
 * is checked first, as the relayer should have (its items give the signed root, its id is its
 * digest, it is addressed to `participant`), so a key never signs what it was not shown.
 */
export async function countersignProposal(options: {
  account: Signer;
  domain: CustodyDomain;
  proposal: unknown;
  /** the id the proposal was listed under */
  id: string;
  /** the countersigning key's participant */
  participant: number;
}): Promise<Hex> {
  const proposal = readHandoverProposal(options.proposal);
  checkProposalItems(proposal);
  if (proposalId(options.domain, proposal) !== options.id.toLowerCase()) {
    throw new IntegrityError(`the proposal listed as ${options.id} is not the one with that digest`);
  }
  if (proposal.handover.toParticipant !== options.participant) {
    throw new IntegrityError(
      `the proposal ${options.id} is addressed to participant ${proposal.handover.toParticipant}, not ${options.participant}`,
    );
  }
  return options.account.signTypedData(participantHandoverTypedData(options.domain, proposal.handover));
}
