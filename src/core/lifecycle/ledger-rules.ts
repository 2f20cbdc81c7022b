import { bizStepName, DESTROYED_STEPS, SOLD_STEPS } from "./biz-steps";
import { effectiveHolder, emptyState, unitOf, type CodeState } from "./code-state";
import { coordinatesOf, distanceKm, type Coordinates } from "./geo";
import { CUSTODY_STEPS, kindName, mayCommission, mayRecord, type CodeOrigin } from "./record-rights";

/** A valid EPCIS event as the rules read it (identifiers canonical). */
export interface EventFact {
  kind: "event";
  /** its CBV 2.0 event hash */
  ref: string;
  /** the participant whose key signed the capture */
  participant: number;
  /** eventTime, ms since the epoch */
  time: number;
  type: string;
  action: string;
  bizStep: string;
  readPoint: string;
  epcs: readonly string[];
  parent: string;
  children: readonly string[];
  inputs: readonly string[];
  outputs: readonly string[];
}

/** A co-signed custody handover of units or containers. */
export interface HandoverFact {
  kind: "handover";
  /** its EIP-712 digest */
  ref: string;
  sender: number;
  receiver: number;
  time: number;
  items: readonly string[];
}

export type LedgerFact = EventFact | HandoverFact;

export const ANOMALY_KINDS = [
  "commission_outside_release",
  "double_commission",
  "event_after_end",
  "handover_by_non_holder",
  "unauthorised_event",
  "impossible_travel",
  "cloned_code",
] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

export interface Anomaly {
  kind: AnomalyKind;
  epc: string;
  /** the event hash or handover digest that showed it */
  ref: string;
  detail: string;
}

export type ChangeCause =
  | "commissioned"
  | "observed"
  | "packed"
  | "unpacked"
  | "handed_over"
  | "sold"
  | "decommissioned"
  /** a fact its submitter had no right to record: kept as evidence, the state is unchanged */
  | "refused";

/** One step of a code's history: why its state changed, by which fact, and the state after. */
export interface StateChange {
  epc: string;
  cause: ChangeCause;
  ref: string;
  participant: number;
  time: number;
  place: string;
  state: CodeState;
}

export interface LedgerRulesOptions {
  /** the states the facts touch, and their containers' (filled by the caller, updated in place) */
  states: Map<string, CodeState>;
  /** each container's packed codes as far as the caller knows them (updated in place) */
  children: Map<string, Set<string>>;
  /** the brand and producer of the order whose released batch holds a unit's code; undefined: none does */
  origin: (unit: { gtin: string; serial: string }) => CodeOrigin | undefined;
  /** a participant's kind (ParticipantKind); undefined for a participant the registry does not know */
  kindOf: (participant: number) => number | undefined;
  /** known sites' coordinates, by location id */
  sites: Readonly<Record<string, Coordinates>>;
  /** faster than this between two sightings is impossible (km/h) */
  maxSpeedKmh: number;
}

/**
 * The lifecycle rules: each code's state (commissioned, packed, held, ended) and the anomalies the
 * facts reveal, applied in ledger order. Who may record what is part of them: relayer and auditor
 * keys record nothing; a released unit is commissioned by its order's producer or brand; a code's
 * state and custody change only by the participant holding it (directly or through a container).
 * Anyone else's fact is kept as a "refused" step that changes nothing, and is an anomaly naming
 * the submitter. Pure: the caller loads the states a fact touches and stores what comes back, so
 * the indexer and the audit derive the same history.
 */
export class LedgerRules {
  private changes: StateChange[] = [];
  private anomalies: Anomaly[] = [];
  private commissioned: string[] = [];

  constructor(private readonly options: LedgerRulesOptions) {}

  /** Every identifier whose state (or whose containers' state) applying `fact` reads. */
  static identifiers(fact: LedgerFact): string[] {
    if (fact.kind === "handover") return [...fact.items];
    return [...fact.epcs, ...(fact.parent ? [fact.parent] : []), ...fact.children, ...fact.inputs, ...fact.outputs];
  }

  /** The codes an event sets out to commission: an ADD's EPCs (object and transaction events), a transformation's outputs. */
  static commissions(fact: EventFact): readonly string[] {
    if (fact.type === "TransformationEvent") return fact.outputs;
    if (fact.type === "AggregationEvent" || fact.type === "AssociationEvent" || fact.action !== "ADD") return [];
    return fact.epcs;
  }

  /**
   * Applies one fact: the state changes it made, the anomalies it revealed, and the codes it
   * commissioned for the first time (of those it set out to commission; a container made by
   * packing into it is not one).
   */
  apply(fact: LedgerFact): { changes: StateChange[]; anomalies: Anomaly[]; commissioned: string[] } {
    this.changes = [];
    this.anomalies = [];
    this.commissioned = [];
    if (fact.kind === "handover") this.handover(fact);
    else this.event(fact);
    return { changes: this.changes, anomalies: this.anomalies, commissioned: this.commissioned };
  }

  private event(f: EventFact): void {
    const kind = this.options.kindOf(f.participant);
    if (!mayRecord(kind)) {
      const why = `${this.who(f.participant)} may record nothing: relayer and auditor keys submit no events`;
      for (const epc of new Set(LedgerRules.identifiers(f))) this.refuse(epc, f, why);
      return;
    }
    const step = bizStepName(f.bizStep);
    const type = f.type;
    if (type === "AggregationEvent" || type === "AssociationEvent") {
      this.aggregation(f);
      return;
    }
    if (type === "TransformationEvent") {
      this.transformation(f);
      return;
    }
    for (const epc of f.epcs) {
      if (f.action === "ADD") {
        this.commission(epc, f);
        continue;
      }
      const ends =
        f.action === "DELETE" || DESTROYED_STEPS.has(step) ? "decommissioned" : SOLD_STEPS.has(step) ? "sold" : "";
      if (ends || CUSTODY_STEPS.has(step)) {
        if (!this.mayChange(epc, f, ends ? `marked it ${ends}` : `recorded ${step} of it`)) continue;
        const state = this.touch(epc, f);
        if (ends) this.end(state, f, ends);
        else this.record(state, f, "observed");
      } else {
        this.observe(epc, f);
      }
    }
  }

  /** Packing (ADD) and unpacking (DELETE) by the holder of the container and of what is packed. */
  private aggregation(f: EventFact): void {
    if (f.action !== "ADD" && f.action !== "DELETE") {
      if (f.parent) this.observe(f.parent, f);
      for (const epc of f.children) this.observe(epc, f);
      return;
    }
    const packing = f.action === "ADD";
    const children =
      !packing && f.children.length === 0 && f.parent ? [...(this.options.children.get(f.parent) ?? [])] : f.children;
    if (f.parent) {
      const before = this.options.states.get(f.parent);
      const verb = packing ? "packed into it" : "unpacked it";
      if (before?.commissioned && !this.mayChange(f.parent, f, verb)) {
        const why = `${this.who(f.participant)} ${packing ? "packed it into" : "unpacked it from"} ${f.parent}, a container it does not hold`;
        for (const epc of children) this.refuse(epc, f, why);
        return;
      }
    } else {
      for (const epc of children) this.observe(epc, f);
      return;
    }
    // only what the submitter holds is packed or unpacked; a container is made only by packing something
    const allowed = children.filter((epc) => this.mayChange(epc, f, packing ? "packed it" : "unpacked it"));
    if (allowed.length === 0 && children.length > 0) return;
    const parent = this.touch(f.parent, f);
    // packing into a container nobody commissioned creates it, held by whoever packed it
    const created = packing && !parent.commissioned;
    if (created) {
      parent.commissioned = true;
      parent.holder ||= f.participant;
    }
    this.record(parent, f, created ? "commissioned" : "observed");
    for (const epc of allowed) {
      const child = this.touch(epc, f);
      if (packing) {
        child.holder = effectiveHolder(epc, (e) => this.options.states.get(e));
        this.unlink(child);
        child.parent = f.parent;
        this.link(child);
        this.record(child, f, "packed");
      } else if (child.parent) {
        child.holder = effectiveHolder(epc, (e) => this.options.states.get(e));
        this.unlink(child);
        child.parent = "";
        this.record(child, f, "unpacked");
      } else {
        this.record(child, f, "observed");
      }
    }
  }

  /** A transformation stands only when its submitter holds every input; else nothing of it does. */
  private transformation(f: EventFact): void {
    const missing = f.inputs.find((epc) => this.holderOf(epc) !== f.participant || this.holderOf(epc) === 0);
    if (missing !== undefined) {
      const holder = this.holderOf(missing);
      const why = `${this.who(f.participant)} transformed ${missing}${holder ? `, which participant ${holder} held` : ", which nobody holds on the ledger"}`;
      for (const epc of new Set([...f.inputs, ...f.outputs])) this.refuse(epc, f, why);
      return;
    }
    for (const epc of f.inputs) this.end(this.touch(epc, f), f, "decommissioned");
    for (const epc of f.outputs) this.commission(epc, f);
  }

  private holderOf(epc: string): number {
    return effectiveHolder(epc, (e) => this.options.states.get(e));
  }

  private commission(epc: string, f: EventFact): void {
    const before = this.options.states.get(epc);
    const unit = unitOf(epc);
    const origin = unit ? this.options.origin(unit) : undefined;
    if (unit && !origin) {
      this.flag("commission_outside_release", epc, f, "commissioned, but no released batch holds this code");
    }
    if (origin && !mayCommission(f.participant, origin)) {
      this.refuse(
        epc,
        f,
        `${this.who(f.participant)} commissioned it; only its order's producer (participant ${origin.producer}) or brand (participant ${origin.brand}) may`,
      );
      return;
    }
    if (before?.commissioned) {
      this.flag("double_commission", epc, f, `commissioned again by participant ${f.participant}`);
    }
    const state = this.touch(epc, f);
    state.commissioned = true;
    if (!before?.commissioned) {
      state.holder = f.participant;
      this.commissioned.push(epc);
    }
    this.record(state, f, "commissioned");
  }

  private handover(f: HandoverFact): void {
    const kinds = [this.options.kindOf(f.sender), this.options.kindOf(f.receiver)];
    for (const epc of f.items) {
      const known = this.options.states.get(epc);
      const holder = effectiveHolder(epc, (e) => this.options.states.get(e));
      if (!kinds.every(mayRecord)) {
        this.refuse(
          epc,
          f,
          `${this.who(f.sender)} handed it to ${this.who(f.receiver)}: relayers and auditors hold no custody`,
          "unauthorised_event",
        );
        continue;
      }
      if (!known?.commissioned) {
        this.refuse(epc, f, `participant ${f.sender} handed over a code nobody holds on the ledger`);
        continue;
      }
      if (holder !== f.sender) {
        this.refuse(epc, f, `participant ${f.sender} handed it over; participant ${holder} held it`);
        continue;
      }
      if (known.ended) this.flag("event_after_end", epc, f, `handed over after it was ${known.ended}`);
      // a code handed over on its own has left its container
      this.unlink(known);
      known.parent = "";
      known.holder = f.receiver;
      this.push(known, f, "handed_over");
    }
  }

  /**
   * Whether the event's submitter holds `epc` (directly or through its containers) and so may
   * change its state; if not, the event is refused for this code, naming who did what.
   */
  private mayChange(epc: string, f: EventFact, what: string): boolean {
    const holder = this.holderOf(epc);
    if (holder === f.participant && holder !== 0) return true;
    this.refuse(
      epc,
      f,
      holder === 0
        ? `${this.who(f.participant)} ${what}, but nobody holds it on the ledger`
        : `${this.who(f.participant)} ${what}; participant ${holder} held it`,
    );
    return false;
  }

  /**
   * An observation: by the holder it moves the code's last known place; by anyone else it is
   * recorded and changes nothing (it still counts against impossible travel).
   */
  private observe(epc: string, f: EventFact): void {
    if (this.holderOf(epc) === f.participant) {
      this.record(this.touch(epc, f), f, "observed");
      return;
    }
    const state = this.options.states.get(epc) ?? emptyState(epc);
    this.travel(state, f);
    this.record(state, f, "observed");
  }

  /** A fact its submitter had no right to record: kept as a step, the state unchanged, flagged. */
  private refuse(
    epc: string,
    f: LedgerFact,
    why: string,
    kind: AnomalyKind = f.kind === "handover" ? "handover_by_non_holder" : "unauthorised_event",
  ): void {
    const state = this.options.states.get(epc) ?? emptyState(epc);
    this.flag(kind, epc, f, why);
    this.push(state, f, "refused");
  }

  private who(participant: number): string {
    return `participant ${participant} (${kindName(this.options.kindOf(participant))})`;
  }

  /** The state of `epc` for an event naming it: flags an event after its end, and impossible travel. */
  private touch(epc: string, f: EventFact): CodeState {
    const state = this.options.states.get(epc) ?? this.fresh(epc);
    if (state.ended) this.flag("event_after_end", epc, f, `an event after it was ${state.ended}`);
    if (this.travel(state, f) && f.time >= state.lastTime) {
      state.lastTime = f.time;
      state.lastPlace = f.readPoint;
    }
    return state;
  }

  /** Flags impossible travel from the code's last known place; whether the event's place is known. */
  private travel(state: CodeState, f: EventFact): boolean {
    const here = coordinatesOf(f.readPoint, this.options.sites);
    if (here && state.lastPlace) {
      const there = coordinatesOf(state.lastPlace, this.options.sites);
      if (there) {
        const km = distanceKm(there, here);
        const hours = Math.abs(f.time - state.lastTime) / 3_600_000;
        if (km > 1 && (hours === 0 || km / hours > this.options.maxSpeedKmh)) {
          this.flag(
            "impossible_travel",
            state.epc,
            f,
            `seen at ${state.lastPlace} and ${f.readPoint}, ${Math.round(km)} km apart, ${(hours * 60).toFixed(0)} min apart`,
          );
        }
      }
    }
    return here !== undefined;
  }

  private end(state: CodeState, f: EventFact, how: "sold" | "decommissioned"): void {
    state.ended = how;
    this.record(state, f, how);
  }

  private record(state: CodeState, f: EventFact, cause: ChangeCause): void {
    this.push(state, f, cause);
  }

  private push(state: CodeState, f: LedgerFact, cause: ChangeCause): void {
    this.changes.push({
      epc: state.epc,
      cause,
      ref: f.ref,
      participant: f.kind === "event" ? f.participant : f.sender,
      time: f.time,
      place: f.kind === "event" ? f.readPoint : "",
      state: { ...state },
    });
  }

  private fresh(epc: string): CodeState {
    const state = emptyState(epc);
    this.options.states.set(epc, state);
    return state;
  }

  private link(state: CodeState): void {
    if (!state.parent) return;
    const set = this.options.children.get(state.parent) ?? new Set<string>();
    set.add(state.epc);
    this.options.children.set(state.parent, set);
  }

  private unlink(state: CodeState): void {
    if (state.parent) this.options.children.get(state.parent)?.delete(state.epc);
  }

  private flag(kind: AnomalyKind, epc: string, f: LedgerFact, detail: string): void {
    this.anomalies.push({ kind, epc, ref: f.ref, detail });
  }
}
