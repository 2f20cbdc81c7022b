import type { RegistryEvent } from "../chain/ledger-event";
import type { AuditState } from "./audit-state";
import type { LedgerEventAt } from "./ledger-log";

/** The registry stage: participants, their keys and prefixes, as the chain logged them (nothing to check). */
export function replayRegistry(state: AuditState, log: LedgerEventAt & RegistryEvent): void {
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
