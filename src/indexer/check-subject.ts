import { IntegrityError } from "../core/errors";

/** What a content check is of: a released batch's leaf file, or a relayer's commitment's content. */
export type CheckSubject = { kind: "batch"; batch: number } | { kind: "commitment"; relayer: number; sequence: number };

/** The subject as the content_checks table keys it: "batch:<id>" or "commitment:<relayer>:<sequence>". */
export function encodeCheckSubject(subject: CheckSubject): string {
  return subject.kind === "batch" ? `batch:${subject.batch}` : `commitment:${subject.relayer}:${subject.sequence}`;
}

const BATCH = /^batch:(\d+)$/;
const COMMITMENT = /^commitment:(\d+):(\d+)$/;

/** Reads a stored subject back; one the indexer did not write is a damaged database. */
export function decodeCheckSubject(text: string): CheckSubject {
  const batch = BATCH.exec(text);
  if (batch) return { kind: "batch", batch: Number(batch[1]) };
  const commitment = COMMITMENT.exec(text);
  if (commitment) return { kind: "commitment", relayer: Number(commitment[1]), sequence: Number(commitment[2]) };
  throw new IntegrityError(`content check subject ${JSON.stringify(text)} is neither a batch nor a commitment`);
}
