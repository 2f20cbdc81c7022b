/** ParticipantKind as the registry numbers it (contracts/types/Ids.sol). */
export const PARTICIPANT_KINDS = ["brand", "producer", "custodian", "retailer", "relayer", "auditor"] as const;
export type ParticipantKindName = (typeof PARTICIPANT_KINDS)[number];

/** Kinds that hold goods and so may send or receive custody: brand, producer, custodian, retailer. */
export const CUSTODY_KINDS: ReadonlySet<number> = new Set([0, 1, 2, 3]);

/** ParticipantKind.Relayer: only its keys may append commitments. */
export const RELAYER_KIND = 4;
