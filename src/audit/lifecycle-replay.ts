import { bizStepName } from "../core/lifecycle/biz-steps";
import { unitOf } from "../core/lifecycle/code-state";
import { LedgerRules, type EventFact, type LedgerFact } from "../core/lifecycle/ledger-rules";
import type { AuditContext } from "./audit-context";
import { VIOLATION_KINDS, type ViolationKind } from "./checks";
import type { Evidence } from "./report-schema";
import { explainAnomaly } from "./violation-wording";

/**
 * The lifecycle stage: each valid event and handover through the lifecycle rules the indexer
 * applies too; their anomalies are violations, and the codes they commission count against their
 * batch and order (a voided code commissioned is a violation of its own).
 */
export class LifecycleReplay {
  private readonly rules: LedgerRules;

  constructor(private readonly ctx: AuditContext) {
    const children = new Map<string, Set<string>>();
    for (const s of ctx.state.codes.values()) {
      if (!s.parent) continue;
      const set = children.get(s.parent) ?? new Set<string>();
      set.add(s.epc);
      children.set(s.parent, set);
    }
    this.rules = new LedgerRules({
      states: ctx.state.codes,
      children,
      origin: (u) => {
        const batch = ctx.unit(u).batch;
        if (batch === undefined) return undefined;
        const order = ctx.order(ctx.batch(batch).order);
        return { brand: order.brand, producer: order.producer };
      },
      kindOf: (participant) => ctx.state.participants.get(participant)?.kind,
      sites: ctx.options.sites,
      maxSpeedKmh: ctx.options.maxSpeedKmh,
    });
  }

  /** Applies one event or handover to the lifecycle rules; their anomalies are violations. */
  apply(fact: LedgerFact, evidence: Evidence): void {
    const { state } = this.ctx;
    if (fact.kind === "event") {
      this.ctx.check("after_end");
      this.ctx.check("travel");
      this.ctx.check("commissioning", LedgerRules.commissions(fact).length);
      this.ctx.check("custody");
    } else {
      this.ctx.check("custody", fact.items.length);
    }
    const { anomalies, changes, commissioned } = this.rules.apply(fact);
    if (fact.kind === "event") {
      // only a sale the rules let stand can break a recall
      for (const change of changes) if (change.cause === "sold") this.soldCheck(change.epc, fact, evidence);
    }
    for (const anomaly of anomalies) {
      if (!(anomaly.kind in VIOLATION_KINDS)) continue;
      // the rules name participants by number; people read names
      const detail = anomaly.detail.replace(
        /participant (\d+)/g,
        (_m, id) => `${this.ctx.name(Number(id))} (participant ${id})`,
      );
      this.ctx.flag(anomaly.kind as ViolationKind, explainAnomaly(anomaly.kind, anomaly.epc, detail, evidence), {
        ...evidence,
        epc: anomaly.epc,
        ...this.ctx.orderOf(anomaly.epc),
      });
    }
    for (const epc of commissioned) {
      const unit = unitOf(epc);
      const found = unit ? this.ctx.unit(unit) : undefined;
      if (found?.batch === undefined) continue;
      const batch = this.ctx.batch(found.batch);
      const order = this.ctx.order(batch.order);
      if (state.voidedLeaves.has(found.leaf)) {
        order.exceptions++;
        this.ctx.flag(
          "voided_code_commissioned",
          `${epc} was commissioned, but batch ${found.batch} had voided it: a destroyed or misprinted code is in circulation.`,
          { ...evidence, epc, order: batch.order, batch: found.batch },
        );
        continue;
      }
      state.commissionedLeaves.add(found.leaf);
      batch.commissioned++;
      order.commissioned++;
    }
  }

  private soldCheck(epc: string, fact: EventFact, evidence: Evidence): void {
    const unit = unitOf(epc);
    const found = unit ? this.ctx.unit(unit) : undefined;
    if (found?.batch === undefined) return;
    this.ctx.check("recalls");
    const batch = this.ctx.batch(found.batch);
    const order = this.ctx.order(batch.order);
    if (!batch.recalled && !order.recalled) return;
    this.ctx.flag(
      "sold_while_recalled",
      `${epc} was ${bizStepName(fact.bizStep) === "dispensing" ? "dispensed" : "sold"} while ${batch.recalled ? `batch ${found.batch}` : `order ${batch.order}`} was recalled.`,
      { ...evidence, epc, order: batch.order, batch: found.batch },
    );
  }
}
