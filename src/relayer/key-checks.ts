import type { Address } from "viem";
import { PARTICIPANT_KINDS } from "../core/custody/participant-kinds";
import { UnauthorizedError } from "../core/errors";

/** What the relayer asks the participant registry about a key. */
export interface KeyRegistry {
  /** participant 0 when the key is unknown */
  keyStanding(key: Address): Promise<{ participant: number; kind: number; active: boolean }>;
}

/**
 * The participant behind an active key, or an UnauthorizedError naming the field: the key unknown,
 * revoked, its participant deactivated, or (with `kinds`) of a kind that may not do this.
 */
export async function activeParticipant(
  registry: KeyRegistry,
  key: Address,
  field: string,
  kinds?: ReadonlySet<number>,
): Promise<{ participant: number; kind: number }> {
  const standing = await registry.keyStanding(key);
  if (standing.participant === 0) throw new UnauthorizedError(`${field}: ${key} is not a registered key`);
  if (!standing.active) throw new UnauthorizedError(`${field}: ${key} is revoked or its participant deactivated`);
  if (kinds && !kinds.has(standing.kind)) {
    throw new UnauthorizedError(
      `${field}: ${key} belongs to participant ${standing.participant} (${PARTICIPANT_KINDS[standing.kind] ?? standing.kind}), which holds no custody`,
    );
  }
  return { participant: standing.participant, kind: standing.kind };
}
