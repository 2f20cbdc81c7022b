import { isParticipantHandover } from "../core/custody/handover-message";
import { sha256 } from "@noble/hashes/sha2";
import { bytesToHex } from "@noble/hashes/utils";
import { decodeFunctionData, hexToBytes, type Address, type Hex } from "viem";
import { serialRegistryAbi } from "../chain/abis";
import type { ContractAddresses } from "../chain/deployment";
import { packWords } from "../core/bytes";
import { commitmentHash } from "../core/custody/commitment-hash";
import {
  verifyCommitmentContent,
  type KeyStandingAt,
  type VerifiedCapture,
  type VerifiedHandover,
} from "../core/custody/commitment-content";
import { canonicalValue } from "../core/epcis/canonical-value";
import { validateEpcisEvent } from "../core/epcis/validate";
import { bizStepName } from "../core/lifecycle/biz-steps";
import { unitOf } from "../core/lifecycle/code-state";
import { eventFact } from "../core/lifecycle/event-fact";
import type { Coordinates } from "../core/lifecycle/geo";
import { LedgerRules, type EventFact, type LedgerFact } from "../core/lifecycle/ledger-rules";
import { LEAF_FILE_MAGIC, leafFileMismatch } from "../core/merkle/leaf-file";
import { codeLeafHash } from "../core/merkle/leaves";
import { MerkleTree } from "../core/merkle/tree";
import { VoidNoticeSchema } from "../core/orders/notices";
import type { AuditState, BatchRecord, OrderRecord } from "./audit-state";
import { VIOLATION_KINDS, type CheckId, type ViolationKind } from "./checks";
import type { LeafIndex } from "./leaf-index";
import type { CommitmentEvent, RegistryEvent, SerialsEvent } from "../chain/ledger-event";
import type { LedgerItem, LedgerLog, RefusedCall } from "./ledger-log";
import type { Evidence } from "./report-schema";
import { IntegrityError } from "../core/errors";

export interface LedgerAuditOptions {
  state: AuditState;
  leaves: LeafIndex;
  chainId: number;
  contracts: ContractAddresses;
  /** known sites' coordinates by location id, for travel checks */
  sites: Readonly<Record<string, Coordinates>>;
  maxSpeedKmh: number;
}

const ZERO_HASH = `0x${"0".repeat(64)}`;
const ENDING_TYPES = new Set(["AggregationEvent", "AssociationEvent", "TransformationEvent"]);

/**
 * The replay: applies the chain's logs (and the calls it refused) in ledger order to the audit
 * state, checking each against the invariants as it goes. Registry state at the moment a
 * commitment is applied is exactly the registry at its log, so "a key active at that block" needs
 * no lookup by time. Content is passed in by the caller (fetched ahead); this class does no I/O.
 */
export class LedgerAudit {
  private readonly rules: LedgerRules;
  private lastUnit: { key: string; leaf: Hex; batch: number | undefined } | undefined;

  constructor(private readonly options: LedgerAuditOptions) {
    const children = new Map<string, Set<string>>();
    for (const s of options.state.codes.values()) {
      if (!s.parent) continue;
      const set = children.get(s.parent) ?? new Set<string>();
      set.add(s.epc);
      children.set(s.parent, set);
    }
    this.rules = new LedgerRules({
      states: options.state.codes,
      children,
      origin: (u) => {
        const batch = this.unit(u).batch;
        if (batch === undefined) return undefined;
        const order = this.order(this.batch(batch).order);
        return { brand: order.brand, producer: order.producer };
      },
      kindOf: (participant) => this.options.state.participants.get(participant)?.kind,
      sites: options.sites,
      maxSpeedKmh: options.maxSpeedKmh,
    });
  }

  /** The content an item points at (fetched by the caller), with what it is for messages. */
  static contentOf(item: LedgerItem): { cid: string; what: string } | undefined {
    if (item.kind !== "log") return undefined;
    switch (item.name) {
      case "BatchReleased":
        return { cid: item.args.contentCid, what: `batch ${item.args.batch}'s leaf file` };
      case "CodesVoided":
        return { cid: item.args.reason, what: `the void notice of batch ${item.args.batch}` };
      case "CommitmentAppended":
        return { cid: item.args.contentCid, what: `commitment ${item.args.sequence} of relayer ${item.args.relayer}` };
    }
    return undefined;
  }

  async apply(item: LedgerItem, content?: Uint8Array): Promise<void> {
    if (item.kind === "refused") return this.refused(item);
    switch (item.contract) {
      case "registry":
        return this.registry(item);
      case "serials":
        return this.serials(item, content);
      case "log":
        return this.commitment(item, content as Uint8Array);
    }
  }

  private registry(log: LedgerLog & RegistryEvent): void {
    const { state } = this.options;
    switch (log.name) {
      case "ParticipantRegistered": {
        const { participant, kind, gln, name } = log.args;
        state.participants.set(participant, { kind, gln, name, active: true });
        return;
      }
      case "ParticipantDeactivated":
      case "ParticipantReactivated": {
        const p = state.participants.get(log.args.participant);
        if (p) p.active = log.name === "ParticipantReactivated";
        return;
      }
      case "KeyAdded":
        state.keys.set(log.args.key, { participant: log.args.participant, active: true });
        return;
      case "KeyRevoked": {
        const k = state.keys.get(log.args.key);
        if (k) k.active = false;
        return;
      }
      case "PrefixAssigned":
        state.prefixes.set(log.args.prefix, log.args.brand);
        return;
      case "PrefixUnassigned":
        state.prefixes.delete(log.args.prefix);
        return;
    }
  }

  private serials(log: LedgerLog & SerialsEvent, content: Uint8Array | undefined): void {
    const { state } = this.options;
    const at = { block: log.at.block, transaction: log.at.transaction };
    switch (log.name) {
      case "OrderOpened": {
        const a = log.args;
        state.orders.set(a.order, {
          brand: a.brand,
          producer: a.producer,
          gtin: a.gtin,
          lot: a.lot,
          expiry: a.expiry,
          erpReference: a.erpReference,
          opened: at,
          planned: a.plannedQuantity,
          released: 0,
          voided: 0,
          commissioned: 0,
          exceptions: 0,
          closed: false,
          recalled: false,
          batches: [],
          refused: [],
        });
        return;
      }
      case "OrderAmended": {
        const order = this.order(log.args.order);
        order.planned = log.args.plannedQuantity;
        this.check("order_limits");
        if (order.planned < order.released) {
          this.flag(
            "plan_below_released",
            `Order ${log.args.order} was amended to plan ${order.planned} codes after ${order.released} were released.`,
            { ...at, order: log.args.order },
          );
        }
        return;
      }
      case "OrderClosed":
        this.order(log.args.order).closed = true;
        return;
      case "BatchReleased":
        return this.release(log, content as Uint8Array);
      case "CodesVoided":
        return this.voided(log, content as Uint8Array);
      case "OrderRecalled":
      case "OrderRecallLifted":
        this.order(log.args.order).recalled = log.name === "OrderRecalled";
        return;
      case "BatchRecalled":
      case "BatchRecallLifted":
        this.batch(log.args.batch).recalled = log.name === "BatchRecalled";
        return;
      case "ProductRecordSet":
        // a product record changes no code's standing
        return;
    }
  }

  private release(log: LedgerLog & { name: "BatchReleased" }, bytes: Uint8Array): void {
    const { state, leaves } = this.options;
    const { batch: id, order: orderId, count, root, contentCid } = log.args;
    const order = this.order(orderId);
    const evidence = { block: log.at.block, transaction: log.at.transaction, order: orderId, batch: id };
    this.check("order_limits");
    if (order.closed) {
      this.flag(
        "release_after_close",
        `Batch ${id} released ${count} codes of order ${orderId} after the order was closed.`,
        evidence,
      );
    }
    order.released += count;
    if (order.released > order.planned) {
      this.flag(
        "release_over_plan",
        `Batch ${id} brought order ${orderId} to ${order.released} released codes; the order planned ${order.planned}.`,
        evidence,
      );
    }
    order.batches.push(id);
    const batch: BatchRecord = {
      order: orderId,
      root,
      count,
      cid: contentCid,
      block: log.at.block,
      transaction: log.at.transaction,
      voided: 0,
      commissioned: 0,
      recalled: false,
      leavesValid: false,
    };
    state.batches.set(id, batch);
    this.check("release_content");
    const problem = leafFileProblem(bytes, batch);
    if (problem) {
      this.flag(
        "release_content_mismatch",
        `The leaf file published for batch ${id} does not match the release on the chain: ${problem}. Its codes cannot be shown to be released.`,
        { ...evidence, cid: batch.cid },
      );
      return;
    }
    batch.leavesValid = true;
    const repeated = leaves.add(id, bytes.subarray(LEAF_FILE_MAGIC.length));
    const byBatch = new Map<number, number>();
    for (const r of repeated) byBatch.set(r.batch, (byBatch.get(r.batch) ?? 0) + 1);
    for (const [earlier, n] of byBatch) {
      this.flag("code_released_twice", `${n} codes of batch ${id} were already released in batch ${earlier}.`, {
        ...evidence,
        cid: batch.cid,
      });
    }
  }

  /** Rebuilds the leaf index entry of a batch checked in an earlier run (resuming from a checkpoint). */
  static reindex(leaves: LeafIndex, id: number, batch: BatchRecord, bytes: Uint8Array): string | undefined {
    const problem = leafFileProblem(bytes, batch);
    if (!problem) leaves.add(id, bytes.subarray(LEAF_FILE_MAGIC.length));
    return problem;
  }

  private voided(log: LedgerLog & { name: "CodesVoided" }, bytes: Uint8Array): void {
    const { state, leaves } = this.options;
    const { batch: id, count, reason } = log.args;
    const batch = this.batch(id);
    const order = this.order(batch.order);
    batch.voided += count;
    order.voided += count;
    const evidence = {
      block: log.at.block,
      transaction: log.at.transaction,
      cid: reason,
      order: batch.order,
      batch: id,
    };
    this.check("voids");
    let notice;
    try {
      notice = VoidNoticeSchema.parse(JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)));
    } catch (e) {
      this.flag(
        "void_notice_mismatch",
        `The void notice of batch ${id} is not a valid notice: ${firstLine(e)}.`,
        evidence,
      );
      return;
    }
    let root = "";
    try {
      root = MerkleTree.fromLeafHashes(packWords(notice.leaves as Hex[])).root;
    } catch (e) {
      root = `none (${firstLine(e)})`; // a leaf listed twice
    }
    const problem =
      notice.batch !== String(id)
        ? `it names batch ${notice.batch}`
        : root !== log.args.root
          ? `its leaves give root ${root}, the chain's is ${log.args.root}`
          : notice.leaves.length !== count
            ? `it lists ${notice.leaves.length} codes, the chain voided ${count}`
            : notice.leaves.some((l) => leaves.batchOf(hexToBytes(l as Hex)) !== id)
              ? `it lists a code that batch ${id} did not release`
              : notice.leaves.some((l) => state.voidedLeaves.has(l))
                ? "it lists a code voided before"
                : "";
    if (problem) {
      this.flag(
        "void_notice_mismatch",
        `The void notice of batch ${id} does not match the chain: ${problem}.`,
        evidence,
      );
      return;
    }
    for (const leaf of notice.leaves) {
      state.voidedLeaves.add(leaf);
      if (state.commissionedLeaves.has(leaf)) {
        batch.commissioned--;
        order.commissioned--;
        order.exceptions++;
        this.flag(
          "voided_code_commissioned",
          `A code of batch ${id} was voided after it had been commissioned: a voided code is in circulation (leaf ${leaf}).`,
          evidence,
        );
      }
    }
  }

  private refused({ at, call }: RefusedCall): void {
    let decoded;
    try {
      decoded = decodeFunctionData({ abi: serialRegistryAbi, data: call.input });
    } catch {
      return; // not a well-formed call: refused for that alone
    }
    if (decoded.functionName !== "releaseBatch") return;
    const [orderId, , count] = decoded.args as unknown as [bigint, Hex, bigint, string];
    const order = this.options.state.orders.get(Number(orderId));
    if (!order) return;
    this.check("order_limits");
    if (order.released + Number(count) > order.planned) {
      order.refused.push({
        block: at.block,
        transaction: at.transaction,
        count: Number(count),
        releasedBefore: order.released,
        planned: order.planned,
      });
    }
  }

  private async commitment(log: LedgerLog & CommitmentEvent, bytes: Uint8Array): Promise<void> {
    const { state, chainId, contracts } = this.options;
    const a = log.args;
    const { relayer, sequence, contentCid: cid } = a;
    const evidence: Evidence = { block: log.at.block, transaction: log.at.transaction, cid, relayer, sequence };
    const r = state.relayers.get(relayer) ?? {
      sequence: 0,
      hash: ZERO_HASH,
      commitments: 0,
      captures: 0,
      events: 0,
      handovers: 0,
    };
    state.relayers.set(relayer, r);
    this.check("commitment_chain");
    const hash = commitmentHash({
      chainId,
      commitmentLog: contracts.log as Address,
      relayer,
      sequence,
      root: a.root,
      eventCount: a.eventCount,
      contentCid: cid,
      previousHash: a.previousHash,
    });
    const broken =
      sequence !== r.sequence + 1
        ? `sequence ${sequence} follows sequence ${r.sequence}`
        : a.previousHash !== r.hash
          ? `it names previous hash ${a.previousHash}, the last commitment's is ${r.hash}`
          : hash !== a.hash
            ? `its fields hash to ${hash}, the log recorded ${a.hash}`
            : "";
    if (broken) {
      this.flag(
        "commitment_chain_broken",
        `Relayer ${this.name(relayer)}'s log is broken at commitment ${sequence}: ${broken}.`,
        evidence,
      );
    }
    r.sequence = sequence;
    r.hash = a.hash;
    r.commitments++;
    state.totals.commitments++;
    this.check("commitment_content");
    const verdict = await verifyCommitmentContent(
      bytes,
      {
        chainId,
        commitmentLog: contracts.log,
        relayer,
        sequence,
        root: a.root,
        eventCount: a.eventCount,
      },
      async (key) => this.keyStanding(key),
    );
    if (!verdict.valid) {
      this.flag(
        "commitment_content_mismatch",
        `The content published for commitment ${sequence} of relayer ${this.name(relayer)} does not match it: ${verdict.detail}. None of its events can be shown to be on the ledger.`,
        evidence,
      );
      return;
    }
    for (const entry of verdict.entries) {
      if (state.entries.has(entry.digest)) continue;
      state.entries.add(entry.digest);
      const at = { ...evidence, entryDigest: entry.digest };
      if (entry.kind === "capture") this.capture(entry, at, r);
      else this.handover(entry, at, r);
    }
  }

  private capture(entry: VerifiedCapture, evidence: Evidence, r: { captures: number; events: number }): void {
    const { state } = this.options;
    this.check("captures");
    state.totals.captures++;
    const submitter = entry.capture?.submitter.toLowerCase() as Address | undefined;
    const at = { ...evidence, ...(submitter && /^0x[0-9a-f]{40}$/.test(submitter) ? { submitter } : {}) };
    if (!entry.valid && entry.failure === "inconsistent") {
      // the signature is the submitter's and the content is what it signed: the relayer is not to blame
      const participant = entry.participant ?? 0;
      this.flag(
        "capture_inconsistent",
        `${this.name(participant)} signed a capture whose disclosed parts its own events contradict: ${entry.detail}. A public proof built on it would show what the events do not say, so its events are not counted.`,
        { ...at, participant, participantName: this.name(participant) },
      );
      return;
    }
    if (!entry.valid) {
      const inactive = entry.failure === "key_inactive" || entry.failure === "key_unregistered";
      this.flag(
        inactive ? "capture_key_not_active" : "capture_forged",
        inactive
          ? `A capture of ${entry.capture?.eventCount ?? "?"} events was signed by ${submitter}, which ${entry.failure === "key_unregistered" ? "was not a registered key" : "had been revoked, or whose participant was deactivated,"} when it was committed: ${entry.detail}. Its events are not counted.`
          : `A capture in the published content does not hold: ${entry.detail}. Its events are not counted.`,
        at,
      );
      return;
    }
    r.captures++;
    const participant = entry.participant ?? 0;
    for (const [index, { event, hash, rejected }] of entry.events.entries()) {
      if (rejected) {
        // the signature covers every event; only the relayer says which failed validation
        this.check("rejections");
        if (validateEpcisEvent(event).length === 0) {
          this.flag(
            "event_withheld",
            `The relayer marked event ${index} of a capture by ${this.name(participant)} as invalid and left it out of the ledger, but it is a valid EPCIS 2.0 event.`,
            { ...at, eventHash: hash, participant, participantName: this.name(participant) },
          );
        }
        continue;
      }
      r.events++;
      state.totals.events++;
      this.fact(eventFact(event, hash, participant), {
        ...at,
        eventHash: hash,
        participant,
        participantName: this.name(participant),
      });
    }
  }

  private handover(entry: VerifiedHandover, evidence: Evidence, r: { handovers: number }): void {
    const { state } = this.options;
    this.check("handovers");
    state.totals.handovers++;
    if (!entry.valid || !entry.handover) {
      const inactive = ["key_inactive", "key_unregistered", "not_custodian"].includes(entry.failure ?? "");
      this.flag(
        inactive ? "handover_key_not_active" : "handover_forged",
        `A custody handover of ${entry.items.length} items does not hold: ${entry.detail}. Custody did not pass.`,
        { ...evidence, ...(senderKeyOf(entry) ? { submitter: senderKeyOf(entry) } : {}) },
      );
      return;
    }
    r.handovers++;
    const sender = entry.sender ?? 0;
    this.fact(
      {
        kind: "handover",
        ref: entry.digest,
        sender,
        receiver: entry.receiver ?? 0,
        time: Number(entry.handover.eventTime) * 1000,
        items: entry.items.map((i) => canonicalValue(i)),
      },
      {
        ...evidence,
        submitter: senderKeyOf(entry),
        participant: sender,
        participantName: this.name(sender),
      },
    );
  }

  /** Applies one event or handover to the lifecycle rules; their anomalies are violations. */
  private fact(fact: LedgerFact, evidence: Evidence): void {
    const { state } = this.options;
    const born = fact.kind === "event" ? bornBy(fact) : [];
    const before = born.map((epc) => state.codes.get(epc)?.commissioned === true);
    if (fact.kind === "event") {
      this.check("after_end");
      this.check("travel");
      this.check("commissioning", born.length);
      this.check("custody");
    } else {
      this.check("custody", fact.items.length);
    }
    const { anomalies, changes } = this.rules.apply(fact);
    if (fact.kind === "event") {
      // only a sale the rules let stand can break a recall
      for (const change of changes) if (change.cause === "sold") this.soldCheck(change.epc, fact, evidence);
    }
    for (const anomaly of anomalies) {
      if (!(anomaly.kind in VIOLATION_KINDS)) continue;
      // the rules name participants by number; people read names
      const detail = anomaly.detail.replace(
        /participant (\d+)/g,
        (_m, id) => `${this.name(Number(id))} (participant ${id})`,
      );
      this.flag(anomaly.kind as ViolationKind, explainAnomaly(anomaly.kind, anomaly.epc, detail, evidence), {
        ...evidence,
        epc: anomaly.epc,
        ...this.orderOf(anomaly.epc),
      });
    }
    born.forEach((epc, i) => {
      if (before[i] || !state.codes.get(epc)?.commissioned) return;
      const unit = unitOf(epc);
      const found = unit ? this.unit(unit) : undefined;
      if (found?.batch === undefined) return;
      const batch = this.batch(found.batch);
      const order = this.order(batch.order);
      if (state.voidedLeaves.has(found.leaf)) {
        order.exceptions++;
        this.flag(
          "voided_code_commissioned",
          `${epc} was commissioned, but batch ${found.batch} had voided it: a destroyed or misprinted code is in circulation.`,
          { ...evidence, epc, order: batch.order, batch: found.batch },
        );
        return;
      }
      state.commissionedLeaves.add(found.leaf);
      batch.commissioned++;
      order.commissioned++;
    });
  }

  private soldCheck(epc: string, fact: EventFact, evidence: Evidence): void {
    const unit = unitOf(epc);
    const found = unit ? this.unit(unit) : undefined;
    if (found?.batch === undefined) return;
    this.check("recalls");
    const batch = this.batch(found.batch);
    const order = this.order(batch.order);
    if (!batch.recalled && !order.recalled) return;
    this.flag(
      "sold_while_recalled",
      `${epc} was ${bizStepName(fact.bizStep) === "dispensing" ? "dispensed" : "sold"} while ${batch.recalled ? `batch ${found.batch}` : `order ${batch.order}`} was recalled.`,
      { ...evidence, epc, order: batch.order, batch: found.batch },
    );
  }

  private orderOf(epc: string): { order?: number; batch?: number } {
    const unit = unitOf(epc);
    const batch = unit ? this.unit(unit).batch : undefined;
    if (batch === undefined) return {};
    return { order: this.batch(batch).order, batch };
  }

  /** A unit's leaf and the batch holding it (the last answer is kept: the rules and the audit ask in turn). */
  private unit(u: { gtin: string; serial: string }): { leaf: Hex; batch: number | undefined } {
    const key = `${u.gtin}/${u.serial}`;
    if (this.lastUnit?.key === key) return this.lastUnit;
    const leaf = codeLeafHash(BigInt(u.gtin), u.serial);
    this.lastUnit = { key, leaf, batch: this.options.leaves.batchOf(hexToBytes(leaf)) };
    return this.lastUnit;
  }

  private keyStanding(key: Address): KeyStandingAt {
    const k = this.options.state.keys.get(key.toLowerCase());
    if (!k) return { participant: 0, kind: 0, active: false };
    const p = this.options.state.participants.get(k.participant);
    return { participant: k.participant, kind: p?.kind ?? 0, active: k.active && (p?.active ?? false) };
  }

  private name(participant: number): string {
    return this.options.state.participants.get(participant)?.name ?? `participant ${participant}`;
  }

  private order(id: number): OrderRecord {
    const order = this.options.state.orders.get(id);
    if (!order) throw new IntegrityError(`the chain logged order ${id} before opening it`);
    return order;
  }

  private batch(id: number): BatchRecord {
    const batch = this.options.state.batches.get(id);
    if (!batch) throw new IntegrityError(`the chain logged batch ${id} before releasing it`);
    return batch;
  }

  private check(id: CheckId, n = 1): void {
    this.options.state.checked[id] += n;
  }

  private flag(kind: ViolationKind, explanation: string, evidence: Evidence): void {
    this.options.state.violations.push(violation(kind, explanation, evidence));
  }
}

/** A violation with its stable id (the same finding gets the same id in every run). */
export function violation(kind: ViolationKind, explanation: string, evidence: Evidence) {
  const { check, title } = VIOLATION_KINDS[kind];
  const id = bytesToHex(sha256(new TextEncoder().encode(`${kind}\n${JSON.stringify(evidence)}\n${explanation}`))).slice(
    0,
    16,
  );
  return { id, kind, check, title, explanation, evidence, new: true };
}

/** Units an event commissions: ADD object events' EPCs, a transformation's outputs. */
function bornBy(fact: EventFact): readonly string[] {
  if (fact.type === "TransformationEvent") return fact.outputs;
  if (ENDING_TYPES.has(fact.type) || fact.action !== "ADD") return [];
  return fact.epcs;
}

function explainAnomaly(kind: string, epc: string, detail: string, e: Evidence): string {
  const who = `${e.participantName ?? `participant ${e.participant}`}${e.submitter ? ` (key ${e.submitter})` : ""}`;
  switch (kind) {
    case "commission_outside_release":
      return `${who} commissioned ${epc}, a code that no released batch holds: evidence of an overrun or a counterfeit.`;
    case "double_commission":
      return `${who} commissioned ${epc} again; a code is commissioned once.`;
    case "handover_by_non_holder":
      return `${epc}: ${detail}. The sender did not hold the goods it handed over; custody did not pass.`;
    case "unauthorised_event":
      return `${epc}: ${detail}. ${who} had no right to record this; it is kept as evidence and changes nothing.`;
    case "event_after_end":
      return `${epc}: ${detail}, reported by ${who}.`;
    default:
      return `${epc}: ${detail}.`;
  }
}

/** Why a leaf file does not give a batch's root and count, or "" when it does. */
function leafFileProblem(bytes: Uint8Array, batch: { root: string; count: number }): string {
  const mismatch = leafFileMismatch(bytes, batch);
  switch (mismatch?.kind) {
    case undefined:
      return "";
    case "malformed":
      return `it is not a leaf file (${mismatch.reason.split("\n")[0]})`;
    case "root":
      return `it gives root ${mismatch.actual}, the chain's is ${mismatch.expected}`;
    case "count":
      return `it holds ${mismatch.actual} codes, the chain's count is ${mismatch.expected}`;
  }
}

function firstLine(e: unknown): string {
  return String((e as Error).message ?? e).split("\n")[0];
}

/** The key that signed (or, for a failed key-addressed handover, was named to sign) the sender's half. */
function senderKeyOf(entry: VerifiedHandover): Address | undefined {
  const key =
    entry.senderKey ?? (entry.handover && !isParticipantHandover(entry.handover) ? entry.handover.from : undefined);
  return key?.toLowerCase() as Address | undefined;
}
