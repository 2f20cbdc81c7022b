import type { RelayerClient, ProposalView } from "../client/relayer-client";
import { countersignProposal, signHandoverProposal } from "../client/handover-proposals";
import type { Signer } from "../client/signer";
import type { CustodyDomain } from "../core/custody/eip712";
import { MAX_SHIPMENT_REF_LENGTH } from "../core/custody/handover-proposal";
import { ValidationError } from "../core/errors";
import { readRequestObject } from "../core/json/request-object";

export interface HandoverDeskOptions {
  /** the relayer whose mailbox the participant's handovers go through */
  relayer: RelayerClient;
  signer: Signer;
  domain: CustodyDomain;
  /** the gateway's own participant */
  participant: number;
  /** a participant by id or GLN, from the registry */
  participantByRef: (value: string, field: string) => Promise<number>;
}

/** What a warehouse system posts to hand goods over: no signature, the gateway signs. */
export interface UnsignedProposal {
  /** the receiving participant: its id or its GLN */
  to: string;
  items: string[];
  shipmentRef: string;
  /** ISO 8601 (default: in a day) */
  deadline?: string;
  /** ISO 8601 (default: now) */
  eventTime?: string;
}

const FIELDS = ["to", "items", "shipmentRef", "deadline", "eventTime"];

/**
 * The gateway's handover desk: the participant's systems (and its dock's web page) propose
 * handovers unsigned, list what is addressed to the participant, and accept (with what they
 * counted) or reject; the gateway signs each with the participant's key, and the relayer's mailbox
 * carries them to the other company.
 */
export class HandoverDesk {
  constructor(private readonly options: HandoverDeskOptions) {}

  async propose(text: string): Promise<ProposalView> {
    const body = readRequestObject(text, FIELDS);
    if (typeof body.to !== "string" && typeof body.to !== "number") {
      throw new ValidationError("/to", body.to, "name the receiving participant: its id or its GLN");
    }
    if (!Array.isArray(body.items) || body.items.length === 0 || body.items.some((i) => typeof i !== "string")) {
      throw new ValidationError("/items", body.items, "list the items changing hands, as strings");
    }
    if (
      typeof body.shipmentRef !== "string" ||
      !body.shipmentRef ||
      body.shipmentRef.length > MAX_SHIPMENT_REF_LENGTH
    ) {
      throw new ValidationError(
        "/shipmentRef",
        body.shipmentRef,
        `the shipment reference, 1 to ${MAX_SHIPMENT_REF_LENGTH} characters`,
      );
    }
    const toParticipant = await this.options.participantByRef(String(body.to), "/to");
    const proposal = await signHandoverProposal({
      account: this.options.signer,
      domain: this.options.domain,
      fromParticipant: this.options.participant,
      toParticipant,
      items: body.items as string[],
      shipmentRef: body.shipmentRef,
      ...(body.deadline !== undefined ? { deadline: seconds(body.deadline, "/deadline") } : {}),
      ...(body.eventTime !== undefined ? { eventTime: seconds(body.eventTime, "/eventTime") } : {}),
    });
    return this.options.relayer.propose(proposal);
  }

  inbox(query: { sent: boolean; status?: ProposalView["status"] }): Promise<ProposalView[]> {
    return this.options.relayer.proposals(this.options.signer, {
      side: query.sent ? "from" : "to",
      ...(query.status ? { status: query.status } : {}),
    });
  }

  show(id: string): Promise<ProposalView> {
    return this.options.relayer.proposal(this.options.signer, id);
  }

  /** Countersigns a proposal addressed to the participant, after checking it is what the relayer says. */
  async accept(id: string, text: string): Promise<ProposalView> {
    const body = readRequestObject(text, ["received"]);
    if (
      body.received !== undefined &&
      (!Array.isArray(body.received) || body.received.some((i) => typeof i !== "string"))
    ) {
      throw new ValidationError("/received", body.received, "list the items counted, as strings");
    }
    const view = await this.show(id);
    const receiverSignature = await countersignProposal({
      account: this.options.signer,
      domain: this.options.domain,
      proposal: view.proposal,
      id: view.id,
      participant: this.options.participant,
    });
    return this.options.relayer.accept(this.options.signer, view.id, {
      receiverSignature,
      ...(body.received ? { received: body.received as string[] } : {}),
    });
  }

  reject(id: string, text: string): Promise<ProposalView> {
    const body = readRequestObject(text, ["reason"]);
    if (typeof body.reason !== "string") throw new ValidationError("/reason", body.reason, "say why");
    return this.options.relayer.reject(this.options.signer, id, body.reason);
  }

  withdraw(id: string, text: string): Promise<ProposalView> {
    const body = readRequestObject(text, ["reason"]);
    if (body.reason !== undefined && typeof body.reason !== "string")
      throw new ValidationError("/reason", body.reason, "must be text");
    return this.options.relayer.withdraw(this.options.signer, id, body.reason as string | undefined);
  }
}

function seconds(value: unknown, field: string): number {
  const ms = typeof value === "string" && /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms)) throw new ValidationError(field, value, "must be an ISO 8601 date and time");
  return Math.floor(ms / 1000);
}
