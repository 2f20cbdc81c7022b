import type { Address, Hex } from "viem";
import { captureEventsTree, commitmentTree } from "../core/custody/capture-tree";
import { readStoredEntry } from "../core/custody/commitment-document";
import { readEventParts, saltHash } from "../core/custody/event-disclosure";
import { disclosedEventsTree } from "../core/custody/disclosure-trees";
import { handoverItemsTree } from "../core/custody/handover-items";
import { eventHashBytes, eventsOf } from "../core/epcis/event-hash";
import { ForbiddenError, IntegrityError, NotFoundError } from "../core/errors";
import { PARTICIPANT_KINDS } from "../core/custody/participant-kinds";

const AUDITOR_KIND = PARTICIPANT_KINDS.indexOf("auditor");
import type { KeyRegistry } from "./key-checks";
import type { CommitmentRef } from "../core/proof/bundle";
import { COMMITTED_ELSEWHERE, type EntryRow, type RelayerStore } from "./relayer-store";

export interface ReceiptOptions {
  store: RelayerStore;
  /** who a key belongs to: a receipt is the submitter's, or a handover's two parties' */
  registry: KeyRegistry;
  chainId: number;
  commitmentLog: Address;
  relayer: number;
}

/** Where an entry stands: queued (no commitment yet) or committed with its proof to the commitment root. */
type Commitment =
  | { status: "queued"; batch?: { sequence: number; status: string } }
  | { status: "committed"; commitment: CommitmentRef; captureProof: Hex[] };

/**
 * The receipt of an event (by its CBV 2.0 hash) or of a handover (by its EIP-712 digest): its
 * inclusion in what its submitter signed, and that entry's inclusion in the relayer's commitment,
 * with the commitment's reference on chain. An event receipt that is committed has exactly the
 * fields of a ProofBundle "event" step, so the core's verifyBundle checks it as it stands.
 */
export async function receiptOf(
  hash: string,
  reader: Address,
  options: ReceiptOptions,
): Promise<Record<string, unknown>> {
  const { store } = options;
  const at = await store.eventLocation(hash);
  if (at) {
    const entry = (await store.entry(at.digest)) as EntryRow;
    const stored = readStoredEntry(entry);
    if (stored.kind !== "capture") throw new IntegrityError(`event ${hash} is indexed under handover ${entry.digest}`);
    const body = stored.body;
    await mayRead(reader, [body.capture.submitter], options.registry);
    const { events, context, ignore } = eventsOf(body.document);
    const tree =
      body.format === 2 && body.salt
        ? disclosedEventsTree(readEventParts(body.parts), saltHash(body.salt))
        : captureEventsTree(events.map((e) => eventHashBytes(e, context, ignore)));
    const place = await commitmentOf(entry, options);
    return {
      kind: "event",
      captureID: entry.digest,
      status: place.status,
      event: events[at.position],
      ...(context === undefined ? {} : { context }),
      eventHash: hash,
      ...(body.format === 2 && body.salt ? { salt: body.salt, eventIndex: at.position } : {}),
      eventProof: tree.proof(at.position),
      capture: body.capture,
      signature: body.signature,
      ...(place.status === "committed"
        ? { captureProof: place.captureProof, commitment: place.commitment }
        : { batch: place.batch }),
    };
  }
  const entry = await store.entry(hash);
  if (entry?.kind === "handover") {
    const body = readStoredEntry({ kind: entry.kind, body: entry.body }).body;
    await mayRead(reader, partiesOf(body.handover), options.registry);
    const place = await commitmentOf(entry, options);
    const items = handoverItemsTree(body.items, body.salt);
    return {
      kind: "handover",
      status: place.status,
      ...body,
      itemProofs: body.items.map((_, i) => items.proof(i)),
      ...(place.status === "committed"
        ? { proof: place.captureProof, commitment: place.commitment }
        : { batch: place.batch }),
    };
  }
  throw new NotFoundError(`no event or handover ${hash} was captured here`);
}

/**
 * A receipt names what its submission names (every identifier, a shipment reference): only a key of
 * the participant that submitted it, or of either party of a handover, or an auditor, may read it.
 */
export async function mayRead(
  reader: Address,
  parties: readonly (Address | number)[],
  registry: KeyRegistry,
): Promise<void> {
  const who = await registry.keyStanding(reader);
  if (who.participant === 0 || !who.active) throw new ForbiddenError(`${reader} is not an active registered key`);
  if (who.kind === AUDITOR_KIND) return;
  for (const party of parties) {
    if (typeof party === "number") {
      if (party === who.participant) return;
    } else if (party.toLowerCase() === reader.toLowerCase()) return;
    else if ((await registry.keyStanding(party)).participant === who.participant) return;
  }
  throw new ForbiddenError(`a receipt is for its submitter or the parties of its handover, not ${reader}`);
}

/** A stored handover's two sides: participants (format 3) or keys (formats 1 and 2). */
export type HandoverParties = { from: Address; to: Address } | { fromParticipant: number; toParticipant: number };

export function partiesOf(handover: HandoverParties): (Address | number)[] {
  return "fromParticipant" in handover
    ? [handover.fromParticipant, handover.toParticipant]
    : [handover.from, handover.to];
}

async function commitmentOf(entry: EntryRow, options: ReceiptOptions): Promise<Commitment> {
  if (entry.batch_sequence === null) return { status: "queued" };
  if (entry.batch_sequence === COMMITTED_ELSEWHERE) {
    throw new NotFoundError(
      `${entry.digest} was committed by another relayer first (the same entries, the same root): its receipt is that relayer's, its proof the indexer's`,
    );
  }
  const batch = await options.store.batch(entry.batch_sequence);
  if (!batch || batch.status !== "committed") {
    return { status: "queued", batch: { sequence: entry.batch_sequence, status: batch?.status ?? "built" } };
  }
  const entries = await options.store.batchEntries(batch.sequence);
  const tree = commitmentTree(entries.map((e) => ({ kind: e.kind, digest: e.digest as Hex })));
  const index = entries.findIndex((e) => e.digest === entry.digest);
  return {
    status: "committed",
    captureProof: tree.proof(index),
    commitment: {
      chainId: options.chainId,
      contract: options.commitmentLog,
      transaction: batch.transaction as Hex,
      block: Number(batch.block_number),
      relayer: options.relayer,
      sequence: String(batch.sequence),
      root: batch.root as Hex,
    },
  };
}
