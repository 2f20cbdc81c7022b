import type { Address, Hex } from "viem";
import { participantHandoverSigner, type CustodyDomain } from "../core/custody/eip712";
import {
  checkProposalItems,
  coSignedProposalJson,
  handoverProposalJson,
  proposalId,
  readHandoverProposal,
  receivedDifference,
  type HandoverProposal,
  type HandoverProposalJson,
  type ProposalView,
} from "../core/custody/handover-proposal";
import { CUSTODY_KINDS } from "../core/custody/participant-kinds";
import { ConflictError, ForbiddenError, UnauthorizedError, ValidationError } from "../core/errors";
import { readRequestObject } from "../core/json/request-object";
import { parseStrictJson } from "../core/json/strict-json";
import { kindName } from "../core/lifecycle/record-rights";
import type { RateLimiter } from "../http/rate-limiter";
import { isUniqueViolation } from "../store/unique-violation";
import type { IntakeDesk } from "./intake-desk";
import { activeParticipant, type KeyRegistry } from "./key-checks";
import type { ProposalRow, ProposalStatus, ProposalStore } from "./proposal-store";

/** What the mailbox asks the registry about a participant by id; null when there is none. */
export interface ParticipantDirectory {
  participantStanding(id: number): Promise<{ kind: number; active: boolean } | null>;
}

export interface HandoverMailboxOptions {
  domain: CustodyDomain;
  registry: KeyRegistry;
  participants: ParticipantDirectory;
  proposals: ProposalStore;
  desk: IntakeDesk;
  now: () => number;
  /** how far a proposal's event time may be ahead of this clock */
  maxSkewSeconds: number;
  /** most items one handover may list */
  maxItems: number;
  /** the relayer's per-key limit: a proposal costs its items, any other act one */
  limiter?: RateLimiter;
}

/** A proposal a party may act on, read: its row and the proposal the sender signed. */
interface Stored {
  row: ProposalRow;
  proposal: HandoverProposal;
}

const MAX_REASON = 500;
const MAX_LISTED_DIFFERENCES = 20;

/**
 * The handover mailbox: a sender proposes (signed by any active key of its participant), the
 * receiving participant lists its inbox and countersigns from any of its active keys (or rejects,
 * saying why), the sender may withdraw before that, and the deadline ends it. Reading or acting
 * needs a signed request (checked by the HTTP layer) from a key of one of the two parties; no third
 * party sees a proposal. An accepted proposal becomes a co-signed handover queued as any other.
 */
export class HandoverMailbox {
  constructor(private readonly options: HandoverMailboxOptions) {}

  /** POST /handovers/proposals: the proposal as the exact text that came in. */
  async propose(text: string): Promise<{ view: ProposalView; created: boolean }> {
    const { domain, registry, participants, now } = this.options;
    const proposal = readHandoverProposal(parseStrictJson(text, { maxDepth: 4 }), this.options.maxItems);
    const h = proposal.handover;
    const seconds = BigInt(Math.floor(now() / 1000));
    if (h.deadline <= seconds) {
      throw new ValidationError("/handover/deadline", h.deadline.toString(), `passed ${seconds - h.deadline} s ago`);
    }
    if (h.eventTime > seconds + BigInt(this.options.maxSkewSeconds)) {
      throw new ValidationError(
        "/handover/eventTime",
        h.eventTime.toString(),
        `is ${h.eventTime - seconds} s in the future`,
      );
    }
    // authenticated before any work that grows with the items
    const key = await participantHandoverSigner(domain, h, proposal.senderSignature);
    if (!key) {
      throw new UnauthorizedError(
        `senderSignature: not an EIP-712 ParticipantHandover signature on chain ${domain.chainId}, contract ${domain.verifyingContract}`,
      );
    }
    const sender = await activeParticipant(registry, key, "/senderSignature");
    this.options.limiter?.take(key.toLowerCase(), proposal.items.length);
    if (sender.participant !== h.fromParticipant) {
      throw new ForbiddenError(
        `/senderSignature: signed by ${key}, a key of participant ${sender.participant}, not of participant ${h.fromParticipant}`,
      );
    }
    if (!CUSTODY_KINDS.has(sender.kind)) {
      throw new ForbiddenError(`/handover/fromParticipant: a ${kindName(sender.kind)} holds no custody`);
    }
    const receiver = await participants.participantStanding(h.toParticipant);
    if (!receiver) throw new ValidationError("/handover/toParticipant", h.toParticipant, "no participant has this id");
    if (!receiver.active) throw new ValidationError("/handover/toParticipant", h.toParticipant, "is deactivated");
    if (!CUSTODY_KINDS.has(receiver.kind)) {
      throw new ValidationError(
        "/handover/toParticipant",
        h.toParticipant,
        `is a ${kindName(receiver.kind)}, which holds no custody`,
      );
    }
    checkProposalItems(proposal);
    const id = proposalId(domain, proposal);
    const row: ProposalRow = {
      id,
      from_participant: h.fromParticipant,
      to_participant: h.toParticipant,
      handover_id: h.handoverId,
      body: JSON.stringify(handoverProposalJson(proposal)),
      item_count: proposal.items.length,
      deadline: Number(h.deadline),
      status: "proposed",
      proposed_by: key.toLowerCase(),
      proposed_at: new Date(now()).toISOString(),
      acted_by: null,
      acted_at: null,
      reason: null,
      act_signature: null,
    };
    let created: boolean;
    try {
      created = await this.options.proposals.insert(row);
    } catch (e) {
      if (isUniqueViolation(e)) {
        throw new ConflictError(
          `/handover/handoverId: participant ${h.fromParticipant} already proposed ${h.handoverId}`,
        );
      }
      throw e;
    }
    const stored = created ? row : ((await this.options.proposals.get(id)) as ProposalRow);
    return { view: this.view(stored, false), created };
  }

  /** GET /handovers/proposals?to=me (or from=me): the reader's participant's proposals, newest first. */
  async list(
    reader: Address,
    query: { side: "to" | "from"; participant: "me" | number; status?: string; limit: number },
  ): Promise<ProposalView[]> {
    const me = await this.partyOf(reader);
    if (query.participant !== "me" && query.participant !== me) {
      throw new ForbiddenError(`${reader} is a key of participant ${me}, not of participant ${query.participant}`);
    }
    const statuses = ["proposed", "accepted", "rejected", "withdrawn", "expired"];
    if (query.status !== undefined && !statuses.includes(query.status)) {
      throw new ValidationError("status", query.status, `must be one of ${statuses.join(", ")}`);
    }
    const rows = await this.options.proposals.list({
      participant: me,
      side: query.side,
      status: query.status as ProposalStatus | "expired" | undefined,
      now: Math.floor(this.options.now() / 1000),
      limit: query.limit,
    });
    return rows.map((r) => this.view(r, false));
  }

  /** GET /handovers/proposals/{id}: one proposal, whole, to either of its parties. */
  async show(reader: Address, id: string): Promise<ProposalView> {
    const { row } = await this.readable(reader, id);
    return this.view(row, true);
  }

  /**
   * The receiver countersigns: any active key of the addressed participant, before the deadline,
   * with the items it counted when they differ in nothing from the proposal's.
   */
  async accept(signer: Address, id: string, text: string, actSignature: string): Promise<ProposalView> {
    const { row, proposal } = await this.actionable(signer, id, "to");
    const body = readRequestObject(text, ["receiverSignature", "received"]);
    const signature = body.receiverSignature;
    if (typeof signature !== "string" || !/^0x[0-9a-fA-F]{130}$/.test(signature)) {
      throw new ValidationError("/receiverSignature", signature, "must be a 0x-prefixed 65-byte signature");
    }
    if (body.received !== undefined) {
      if (!Array.isArray(body.received) || body.received.some((i) => typeof i !== "string")) {
        throw new ValidationError("/received", body.received, "must list the items received, as strings");
      }
      const { missing, extra } = receivedDifference(proposal.items, body.received as string[]);
      if (missing.length || extra.length) {
        const list = (items: string[]) =>
          items.slice(0, MAX_LISTED_DIFFERENCES).join(", ") + (items.length > MAX_LISTED_DIFFERENCES ? ", …" : "");
        throw new ValidationError(
          "/received",
          `${body.received.length} items`,
          [
            missing.length ? `${missing.length} proposed but not received: ${list(missing)}` : "",
            extra.length ? `${extra.length} received but not proposed: ${list(extra)}` : "",
          ]
            .filter(Boolean)
            .join("; ") + ". Nobody countersigns goods that did not arrive: ask the sender for a proposal of what came",
        );
      }
    }
    const key = await participantHandoverSigner(this.options.domain, proposal.handover, signature as Hex);
    if (!key)
      throw new UnauthorizedError("receiverSignature: not an EIP-712 ParticipantHandover signature of this proposal");
    const receiver = await activeParticipant(this.options.registry, key, "/receiverSignature");
    if (receiver.participant !== row.to_participant) {
      throw new ForbiddenError(
        `/receiverSignature: signed by ${key}, a key of participant ${receiver.participant}, not of participant ${row.to_participant}`,
      );
    }
    // queued as any handover; stored before the proposal says so, so a crash between leaves it retryable
    await this.options.desk.acceptCoSignedHandover(
      coSignedProposalJson(proposal, signature as Hex),
      row.proposed_by,
      id,
    );
    await this.settle(row, {
      status: "accepted",
      acted_by: key.toLowerCase(),
      reason: null,
      act_signature: actSignature,
    });
    return this.view((await this.options.proposals.get(id)) as ProposalRow, false);
  }

  /** The receiver refuses the proposal, and says why. */
  async reject(signer: Address, id: string, text: string, actSignature: string): Promise<ProposalView> {
    const { row } = await this.actionable(signer, id, "to");
    const reason = readReason(readRequestObject(text, ["reason"]).reason, true);
    await this.settle(row, { status: "rejected", acted_by: signer.toLowerCase(), reason, act_signature: actSignature });
    return this.view((await this.options.proposals.get(id)) as ProposalRow, false);
  }

  /** The sender takes the proposal back before the receiver acted on it. */
  async withdraw(signer: Address, id: string, text: string, actSignature: string): Promise<ProposalView> {
    const { row } = await this.actionable(signer, id, "from");
    const reason = readReason(readRequestObject(text, ["reason"]).reason, false);
    await this.settle(row, {
      status: "withdrawn",
      acted_by: signer.toLowerCase(),
      reason,
      act_signature: actSignature,
    });
    return this.view((await this.options.proposals.get(id)) as ProposalRow, false);
  }

  /** The participant of an active key that takes part in custody (charged one to its bucket). */
  private async partyOf(key: Address): Promise<number> {
    const who = await activeParticipant(this.options.registry, key, "Trackroot-Key");
    this.options.limiter?.take(key.toLowerCase(), 1);
    return who.participant;
  }

  private async readable(reader: Address, id: string): Promise<Stored> {
    const me = await this.partyOf(reader);
    const row = await this.options.proposals.get(id);
    // the same answer whether it exists or not: a third party learns nothing of other parties' shipments
    if (!row || (row.from_participant !== me && row.to_participant !== me)) {
      throw new ForbiddenError(`no proposal ${id} is addressed to or from participant ${me}`);
    }
    return { row, proposal: readHandoverProposal(JSON.parse(row.body)) };
  }

  private async actionable(signer: Address, id: string, side: "to" | "from"): Promise<Stored> {
    const stored = await this.readable(signer, id);
    const { row } = stored;
    const me = await this.partyOf(signer);
    const party = side === "to" ? row.to_participant : row.from_participant;
    if (me !== party) {
      throw new ForbiddenError(
        side === "to"
          ? `only the receiver (participant ${party}) accepts or rejects a proposal`
          : `only the sender (participant ${party}) withdraws a proposal`,
      );
    }
    const status = this.statusOf(row);
    if (status === "expired") {
      throw new ConflictError(`proposal ${id} expired at ${new Date(row.deadline * 1000).toISOString()}`);
    }
    if (status !== "proposed") throw new ConflictError(`proposal ${id} was already ${status}`);
    return stored;
  }

  private async settle(
    row: ProposalRow,
    patch: Pick<ProposalRow, "status" | "acted_by" | "reason" | "act_signature">,
  ): Promise<void> {
    const moved = await this.options.proposals.settle(row.id, {
      ...patch,
      acted_at: new Date(this.options.now()).toISOString(),
    });
    if (!moved && patch.status !== "accepted") {
      const now = await this.options.proposals.get(row.id);
      throw new ConflictError(`proposal ${row.id} was already ${now?.status ?? "gone"}`);
    }
  }

  private statusOf(row: ProposalRow): ProposalView["status"] {
    return row.status === "proposed" && row.deadline <= Math.floor(this.options.now() / 1000) ? "expired" : row.status;
  }

  private view(row: ProposalRow, whole: boolean): ProposalView {
    const proposal = JSON.parse(row.body) as HandoverProposalJson;
    return {
      id: row.id,
      status: this.statusOf(row),
      from: row.from_participant,
      to: row.to_participant,
      handoverId: row.handover_id,
      itemCount: row.item_count,
      shipmentRef: proposal.shipmentRef,
      eventTime: new Date(Number(proposal.handover.eventTime) * 1000).toISOString(),
      deadline: new Date(row.deadline * 1000).toISOString(),
      proposedBy: row.proposed_by,
      proposedAt: row.proposed_at,
      ...(row.acted_by ? { actedBy: row.acted_by, actedAt: row.acted_at ?? undefined } : {}),
      ...(row.reason ? { reason: row.reason } : {}),
      ...(row.status === "accepted" ? { captureID: row.id } : {}),
      ...(whole ? { proposal } : {}),
    };
  }
}

function readReason(value: unknown, required: boolean): string | null {
  if (value === undefined && !required) return null;
  if (typeof value !== "string" || value.trim() === "" || value.length > MAX_REASON) {
    throw new ValidationError("/reason", value, `say why, in 1 to ${MAX_REASON} characters`);
  }
  return value.trim();
}
