import type { Address } from "viem";
import { ForbiddenError, UnauthorizedError } from "../core/errors";
import { kindName, RECORDING_KINDS } from "../core/lifecycle/record-rights";

/** What the relayer asks the participant registry about a key. */
export interface KeyRegistry {
  /** participant 0 when the key is unknown */
  keyStanding(key: Address): Promise<{ participant: number; kind: number; active: boolean }>;
}

/**
 * The participant behind an active key, or an UnauthorizedError naming the field: the key unknown,
 * revoked, or its participant deactivated; a ForbiddenError when the participant is of a kind that
 * records nothing (relayer and auditor keys submit no captures and take part in no handovers).
 */
export async function activeParticipant(
  registry: KeyRegistry,
  key: Address,
  field: string,
): Promise<{ participant: number; kind: number }> {
  const standing = await registry.keyStanding(key);
  if (standing.participant === 0) throw new UnauthorizedError(`${field}: ${key} is not a registered key`);
  if (!standing.active) throw new UnauthorizedError(`${field}: ${key} is revoked or its participant deactivated`);
  if (!RECORDING_KINDS.has(standing.kind)) {
    throw new ForbiddenError(
      `${field}: ${key} belongs to participant ${standing.participant} (${kindName(standing.kind)}); relayer and auditor keys record nothing`,
    );
  }
  return { participant: standing.participant, kind: standing.kind };
}
