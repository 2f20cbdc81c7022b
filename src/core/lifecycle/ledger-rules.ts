import { bizStepName, DESTROYED_STEPS, SOLD_STEPS } from "./biz-steps";
import { effectiveHolder, emptyState, unitOf, type CodeState } from "./code-state";
import { coordinatesOf, distanceKm, type Coordinates } from "./geo";

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
  | "decommissioned";

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
  /** whether a unit's code is in a released batch */
  released: (unit: { gtin: string; serial: string }) => boolean;
  /** known sites' coordinates, by location id */
  sites: Readonly<Record<string, Coordinates>>;
  /** faster than this between two sightings is impossible (km/h) */
  maxSpeedKmh: number;
}

/**
 * The lifecycle rules: each code's state (commissioned, packed, held, ended) and the anomalies the
 * facts reveal, applied in ledger order. Pure: the caller loads the states a fact touches and
 * stores what comes back, so the indexer and the audit derive the same history.
 */
export class LedgerRules {
  private changes: StateChange[] = [];
  private anomalies: Anomaly[] = [];

  constructor(private readonly options: LedgerRulesOptions) {}

  /** Every identifier whose state (or whose containers' state) applying `fact` reads. */
  static identifiers(fact: LedgerFact): string[] {
    if (fact.kind === "handover") return [...fact.items];
    return [...fact.epcs, ...(fact.parent ? [fact.parent] : []), ...fact.children, ...fact.inputs, ...fact.outputs];
  }

  apply(fact: LedgerFact): { changes: StateChange[]; anomalies: Anomaly[] } {
    this.changes = [];
    this.anomalies = [];
    if (fact.kind === "handover") this.handover(fact);
    else this.event(fact);
    return { changes: this.changes, anomalies: this.anomalies };
  }

  private event(f: EventFact): void {
    const step = bizStepName(f.bizStep);
    const type = f.type;
    if (type === "AggregationEvent" || type === "AssociationEvent") {
      if (f.parent) {
        const parent = this.touch(f.parent, f);
        // packing into a container nobody commissioned creates it, held by whoever packed it
        const created = f.action === "ADD" && !parent.commissioned;
        if (created) {
          parent.commissioned = true;
          parent.holder ||= f.participant;
        }
        this.record(parent, f, created ? "commissioned" : "observed");
      }
      const children =
        f.action === "DELETE" && f.children.length === 0 && f.parent
          ? [...(this.options.children.get(f.parent) ?? [])]
          : f.children;
      for (const epc of children) {
        const child = this.touch(epc, f);
        if (f.action === "ADD" && f.parent) {
          this.unlink(child);
          child.parent = f.parent;
          this.link(child);
          this.record(child, f, "packed");
        } else if (f.action === "DELETE" && child.parent) {
          child.holder = effectiveHolder(epc, (e) => this.options.states.get(e));
          this.unlink(child);
          child.parent = "";
          this.record(child, f, "unpacked");
        } else {
          this.record(child, f, "observed");
        }
      }
      return;
    }
    if (type === "TransformationEvent") {
      for (const epc of f.inputs) this.end(this.touch(epc, f), f, "decommissioned");
      for (const epc of f.outputs) this.commission(epc, f);
      return;
    }
    for (const epc of f.epcs) {
      if (f.action === "ADD") {
        this.commission(epc, f);
        continue;
      }
      const state = this.touch(epc, f);
      if (f.action === "DELETE" || DESTROYED_STEPS.has(step)) this.end(state, f, "decommissioned");
      else if (SOLD_STEPS.has(step)) this.end(state, f, "sold");
      else this.record(state, f, "observed");
    }
  }

  private commission(epc: string, f: EventFact): void {
    const before = this.options.states.get(epc);
    const unit = unitOf(epc);
    if (unit && !this.options.released(unit)) {
      this.flag("commission_outside_release", epc, f, "commissioned, but no released batch holds this code");
    }
    if (before?.commissioned) {
      this.flag("double_commission", epc, f, `commissioned again by participant ${f.participant}`);
    }
    const state = this.touch(epc, f);
    state.commissioned = true;
    if (!before?.commissioned) state.holder = f.participant;
    this.record(state, f, "commissioned");
  }

  private handover(f: HandoverFact): void {
    for (const epc of f.items) {
      const known = this.options.states.get(epc);
      const holder = effectiveHolder(epc, (e) => this.options.states.get(e));
      if (!known?.commissioned) {
        this.flag(
          "handover_by_non_holder",
          epc,
          f,
          `participant ${f.sender} handed over a code nobody holds on the ledger`,
        );
      } else if (holder !== f.sender) {
        this.flag(
          "handover_by_non_holder",
          epc,
          f,
          `participant ${f.sender} handed it over; participant ${holder} held it`,
        );
      }
      if (known?.ended) this.flag("event_after_end", epc, f, `handed over after it was ${known.ended}`);
      const state = known ?? this.fresh(epc);
      // a code handed over on its own has left its container
      this.unlink(state);
      state.parent = "";
      state.holder = f.receiver;
      this.changes.push({
        epc,
        cause: "handed_over",
        ref: f.ref,
        participant: f.sender,
        time: f.time,
        place: "",
        state: { ...state },
      });
    }
  }

  /** The state of `epc` for an event naming it: flags an event after its end, and impossible travel. */
  private touch(epc: string, f: EventFact): CodeState {
    const state = this.options.states.get(epc) ?? this.fresh(epc);
    if (state.ended) this.flag("event_after_end", epc, f, `an event after it was ${state.ended}`);
    const here = coordinatesOf(f.readPoint, this.options.sites);
    if (here && state.lastPlace) {
      const there = coordinatesOf(state.lastPlace, this.options.sites);
      if (there) {
        const km = distanceKm(there, here);
        const hours = Math.abs(f.time - state.lastTime) / 3_600_000;
        if (km > 1 && (hours === 0 || km / hours > this.options.maxSpeedKmh)) {
          this.flag(
            "impossible_travel",
            epc,
            f,
            `seen at ${state.lastPlace} and ${f.readPoint}, ${Math.round(km)} km apart, ${(hours * 60).toFixed(0)} min apart`,
          );
        }
      }
    }
    if (here && f.time >= state.lastTime) {
      state.lastTime = f.time;
      state.lastPlace = f.readPoint;
    }
    return state;
  }

  private end(state: CodeState, f: EventFact, how: "sold" | "decommissioned"): void {
    state.ended = how;
    this.record(state, f, how);
  }

  private record(state: CodeState, f: EventFact, cause: ChangeCause): void {
    this.changes.push({
      epc: state.epc,
      cause,
      ref: f.ref,
      participant: f.participant,
      time: f.time,
      place: f.readPoint,
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
