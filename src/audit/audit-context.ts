import { hexToBytes, type Address, type Hex } from "viem";
import type { ContractAddresses } from "../chain/deployment";
import type { KeyStandingAt } from "../core/custody/commitment-content";
import { IntegrityError } from "../core/errors";
import { unitOf } from "../core/lifecycle/code-state";
import type { Coordinates } from "../core/lifecycle/geo";
import { codeLeafHash } from "../core/merkle/leaves";
import type { AuditState, BatchRecord, OrderRecord } from "./audit-state";
import type { CheckId, ViolationKind } from "./checks";
import type { LeafIndex } from "./leaf-index";
import type { Evidence } from "./report-schema";
import { violation } from "./violation-wording";

export interface LedgerAuditOptions {
  state: AuditState;
  leaves: LeafIndex;
  chainId: number;
  contracts: ContractAddresses;
  /** known sites' coordinates by location id, for travel checks */
  sites: Readonly<Record<string, Coordinates>>;
  maxSpeedKmh: number;
}

/**
 * What every stage of the replay shares: the audit state, the look-ups into it (a missing order or
 * batch is a chain that contradicts itself), and the two ways a stage reports (a check made, a
 * violation found).
 */
export class AuditContext {
  private lastUnit: { key: string; leaf: Hex; batch: number | undefined } | undefined;

  constructor(readonly options: LedgerAuditOptions) {}

  get state(): AuditState {
    return this.options.state;
  }

  orderOf(epc: string): { order?: number; batch?: number } {
    const unit = unitOf(epc);
    const batch = unit ? this.unit(unit).batch : undefined;
    if (batch === undefined) return {};
    return { order: this.batch(batch).order, batch };
  }

  /** A unit's leaf and the batch holding it (the last answer is kept: the rules and the audit ask in turn). */
  unit(u: { gtin: string; serial: string }): { leaf: Hex; batch: number | undefined } {
    const key = `${u.gtin}/${u.serial}`;
    if (this.lastUnit?.key === key) return this.lastUnit;
    const leaf = codeLeafHash(BigInt(u.gtin), u.serial);
    this.lastUnit = { key, leaf, batch: this.options.leaves.batchOf(hexToBytes(leaf)) };
    return this.lastUnit;
  }

  keyStanding(key: Address): KeyStandingAt {
    const k = this.options.state.keys.get(key.toLowerCase());
    if (!k) return { participant: 0, kind: 0, active: false };
    const p = this.options.state.participants.get(k.participant);
    return { participant: k.participant, kind: p?.kind ?? 0, active: k.active && (p?.active ?? false) };
  }

  name(participant: number): string {
    return this.options.state.participants.get(participant)?.name ?? `participant ${participant}`;
  }

  order(id: number): OrderRecord {
    const order = this.options.state.orders.get(id);
    if (!order) throw new IntegrityError(`the chain logged order ${id} before opening it`);
    return order;
  }

  batch(id: number): BatchRecord {
    const batch = this.options.state.batches.get(id);
    if (!batch) throw new IntegrityError(`the chain logged batch ${id} before releasing it`);
    return batch;
  }

  check(id: CheckId, n = 1): void {
    this.options.state.checked[id] += n;
  }

  flag(kind: ViolationKind, explanation: string, evidence: Evidence): void {
    this.options.state.violations.push(violation(kind, explanation, evidence));
  }
}
