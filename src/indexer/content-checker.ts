import { handoverMessageJson } from "../core/custody/handover-message";
import type { Address, Hex } from "viem";
import type { Kysely, Transaction } from "kysely";
import type { ContentStore } from "../content/content-store";
import { verifyCommitmentContent, type KeyStandingAt, type VerifiedEntry } from "../core/custody/commitment-content";
import { canonicalValue } from "../core/epcis/canonical-value";
import { bytesToHex } from "@noble/hashes/utils";
import { LEAF_FILE_MAGIC, leafFileMismatch } from "../core/merkle/leaf-file";
import type { IndexerTables } from "../store/indexer-schema";
import { decodeCheckSubject } from "./check-subject";
import type { IndexerStore } from "./indexer-store";
import { rowChunks } from "../store/row-chunks";

type Tx = Transaction<IndexerTables>;

export interface ContentCheckerOptions {
  store: IndexerStore;
  content: ContentStore;
  chainId: number;
  commitmentLog: Address;
  log?: (event: string, detail: Record<string, unknown>) => void;
}

const EPC_ROLES: [string, IndexerTables["event_epcs"]["role"]][] = [
  ["epcList", "epc"],
  ["childEPCs", "child"],
  ["inputEPCList", "input"],
  ["outputEPCList", "output"],
];

/**
 * Fetches what releases and commitments point at and checks it: a batch's leaf file must rebuild
 * its root and count; a commitment's content must rebuild its root, and each entry is checked on
 * its own (signatures, keys active at the commitment's block). What passes is projected (captures,
 * their events and identifiers, handovers and their items); what fails is recorded invalid with
 * the reason and projected as nothing. Content that cannot be fetched (or comes back not matching
 * its CID) stays pending and is tried again: never skipped, never taken on trust.
 */
export class ContentChecker {
  constructor(private readonly options: ContentCheckerOptions) {}

  /** Checks up to `limit` pending items, oldest first; returns how many were settled. */
  async runOnce(limit = 100): Promise<number> {
    const { store } = this.options;
    const pending = await store.db
      .selectFrom("content_checks")
      .selectAll()
      .where("status", "=", "pending")
      .orderBy("block_number")
      .orderBy("subject")
      .limit(limit)
      .execute();
    let settled = 0;
    for (const check of pending) {
      let bytes: Uint8Array;
      try {
        bytes = await this.options.content.get(check.cid);
      } catch (e) {
        await store.db
          .updateTable("content_checks")
          .set({ attempts: check.attempts + 1, detail: `${(e as Error).name}: ${(e as Error).message}` })
          .where("subject", "=", check.subject)
          .execute();
        this.options.log?.("content.unavailable", {
          subject: check.subject,
          cid: check.cid,
          error: (e as Error).message,
        });
        continue;
      }
      await store.db.transaction().execute(async (tx) => {
        const subject = decodeCheckSubject(check.subject);
        const [status, detail] =
          subject.kind === "batch"
            ? await this.checkBatch(tx, subject.batch, bytes)
            : await this.checkCommitment(tx, subject, bytes);
        await tx.updateTable("content_checks").set({ status, detail }).where("subject", "=", check.subject).execute();
        this.options.log?.("content.checked", { subject: check.subject, status, detail });
      });
      settled++;
    }
    return settled;
  }

  private async checkBatch(tx: Tx, id: number, bytes: Uint8Array): Promise<["valid" | "invalid", string]> {
    const batch = await tx.selectFrom("batches").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    const mismatch = leafFileMismatch(bytes, batch);
    if (mismatch?.kind === "malformed") return ["invalid", `not a leaf file: ${mismatch.reason}`];
    if (mismatch?.kind === "root")
      return ["invalid", `the leaf file gives root ${mismatch.actual}, the chain's is ${mismatch.expected}`];
    if (mismatch?.kind === "count")
      return ["invalid", `the leaf file holds ${mismatch.actual} leaves, the chain's count is ${mismatch.expected}`];
    // outside the check: a database error is retried, never taken for a bad leaf file
    await indexLeaves(tx, bytes, batch.id, Number(batch.block_number));
    return ["valid", ""];
  }

  private async checkCommitment(
    tx: Tx,
    { relayer, sequence }: { relayer: number; sequence: number },
    bytes: Uint8Array,
  ): Promise<["valid" | "invalid", string]> {
    const c = await tx
      .selectFrom("commitments")
      .selectAll()
      .where("relayer", "=", relayer)
      .where("sequence", "=", sequence)
      .executeTakeFirstOrThrow();
    const verdict = await verifyCommitmentContent(
      bytes,
      {
        chainId: this.options.chainId,
        commitmentLog: this.options.commitmentLog,
        relayer,
        sequence,
        root: c.root as Hex,
        eventCount: c.event_count,
      },
      (key) => keyStandingAt(tx, key, Number(c.block_number)),
    );
    if (!verdict.valid) return ["invalid", verdict.detail];
    const block = Number(c.block_number);
    const listed = verdict.entries.map((e, position) => ({
      relayer,
      sequence,
      position,
      kind: e.kind,
      digest: e.digest,
      block_number: block,
    }));
    for (const chunk of rowChunks(listed)) await tx.insertInto("commitment_entries").values(chunk).execute();
    for (const entry of verdict.entries) await projectEntry(tx, entry, relayer, sequence, block);
    const bad = verdict.entries.filter((e) => !e.valid).length;
    return ["valid", bad ? `${bad} of ${verdict.entries.length} entries invalid` : ""];
  }
}

/** Records each leaf of a checked leaf file (they follow its magic line, ascending) with its rank. */
async function indexLeaves(tx: Tx, leafFile: Uint8Array, batch: number, block: number): Promise<void> {
  const body = leafFile.subarray(LEAF_FILE_MAGIC.length);
  const n = body.length / 32;
  for (let from = 0; from < n; from += 5000) {
    const rows = [];
    for (let rank = from; rank < Math.min(n, from + 5000); rank++) {
      rows.push({
        leaf: `0x${bytesToHex(body.subarray(32 * rank, 32 * rank + 32))}`,
        batch_id: batch,
        rank,
        block_number: block,
      });
    }
    // a leaf released twice (only a forged release could) keeps its first batch
    await tx
      .insertInto("code_leaves")
      .values(rows)
      .onConflict((oc) => oc.column("leaf").doNothing())
      .execute();
  }
}

/** A key's standing as of a block, from the registry's events up to and including it. */
export async function keyStandingAt(tx: Kysely<IndexerTables>, key: Address, block: number): Promise<KeyStandingAt> {
  const last = await tx
    .selectFrom("registry_events")
    .select(["kind", "participant"])
    .where("subject", "=", key.toLowerCase())
    .where("kind", "in", ["key_added", "key_revoked"])
    .where("block_number", "<=", block)
    .orderBy("block_number", "desc")
    .orderBy("log_index", "desc")
    .limit(1)
    .executeTakeFirst();
  if (!last) return { participant: 0, kind: 0, active: false };
  const participant = await tx
    .selectFrom("participants")
    .select("kind")
    .where("id", "=", last.participant)
    .executeTakeFirst();
  const status = await tx
    .selectFrom("registry_events")
    .select("kind")
    .where("participant", "=", last.participant)
    .where("kind", "in", ["deactivated", "reactivated"])
    .where("block_number", "<=", block)
    .orderBy("block_number", "desc")
    .orderBy("log_index", "desc")
    .limit(1)
    .executeTakeFirst();
  return {
    participant: last.participant,
    kind: participant?.kind ?? 0,
    active: last.kind === "key_added" && status?.kind !== "deactivated",
  };
}

async function projectEntry(tx: Tx, entry: VerifiedEntry, relayer: number, sequence: number, block: number) {
  if (entry.kind === "capture") {
    const inserted = await tx
      .insertInto("captures")
      .values({
        digest: entry.digest,
        relayer,
        sequence,
        submitter: (entry.capture?.submitter ?? "").toLowerCase(),
        participant: entry.participant ?? 0,
        valid: entry.valid ? 1 : 0,
        detail: entry.detail,
        event_count: entry.capture?.eventCount ?? 0,
        issued_at: entry.capture?.issuedAt.toString() ?? "",
        proof_data: entry.valid
          ? JSON.stringify({
              capture: { ...entry.capture, issuedAt: entry.capture?.issuedAt.toString() },
              signature: entry.signature,
              eventHashes: entry.events.map((e) => e.hash),
              ...(entry.context === undefined ? {} : { context: entry.context }),
              ...(entry.disclosure ? { disclosure: entry.disclosure } : {}),
            })
          : "",
        block_number: block,
      })
      .onConflict((oc) => oc.column("digest").doNothing())
      .returning("digest")
      .executeTakeFirst();
    // the same capture committed again (by another relayer) adds nothing
    if (!inserted || !entry.valid) return;
    for (const [position, { event, hash, rejected }] of entry.events.entries()) {
      if (rejected) continue;
      const text = (v: unknown) => (typeof v === "string" ? v : v === undefined ? "" : JSON.stringify(v));
      await tx
        .insertInto("capture_events")
        .values({
          digest: entry.digest,
          position,
          event_hash: hash,
          event_type: text(event.type),
          event_time: text(event.eventTime),
          time_ms: Date.parse(text(event.eventTime)) || 0,
          biz_step: text(event.bizStep),
          disposition: text(event.disposition),
          read_point: text((event.readPoint as { id?: unknown } | undefined)?.id),
          action: text(event.action),
          event: JSON.stringify(event),
          block_number: block,
        })
        .execute();
      const epcs = new Map<string, IndexerTables["event_epcs"]>();
      const add = (value: unknown, role: IndexerTables["event_epcs"]["role"]) => {
        if (typeof value !== "string") return;
        const epc = canonicalValue(value.trim());
        epcs.set(`${epc} ${role}`, { digest: entry.digest, position, epc, role, block_number: block });
      };
      for (const [field, role] of EPC_ROLES) for (const v of (event[field] as unknown[]) ?? []) add(v, role);
      add(event.parentID, "parent");
      if (epcs.size)
        await tx
          .insertInto("event_epcs")
          .values([...epcs.values()])
          .execute();
    }
    return;
  }
  const inserted = await tx
    .insertInto("handovers")
    .values({
      digest: entry.digest,
      relayer,
      sequence,
      handover_id: entry.handover?.handoverId ?? "",
      sender: (entry.senderKey ?? "").toLowerCase(),
      receiver: (entry.receiverKey ?? "").toLowerCase(),
      sender_participant: entry.sender ?? 0,
      receiver_participant: entry.receiver ?? 0,
      event_time: entry.handover?.eventTime.toString() ?? "",
      valid: entry.valid ? 1 : 0,
      detail: entry.detail,
      proof_data: entry.valid
        ? JSON.stringify({
            handover: entry.handover && handoverMessageJson(entry.handover),
            senderSignature: entry.senderSignature,
            receiverSignature: entry.receiverSignature,
            items: entry.items,
            ...(entry.salt ? { salt: entry.salt } : {}),
          })
        : "",
      block_number: block,
    })
    .onConflict((oc) => oc.column("digest").doNothing())
    .returning("digest")
    .executeTakeFirst();
  if (!inserted || !entry.valid) return;
  const items = entry.items.map((item, position) => ({
    digest: entry.digest,
    position,
    item: canonicalValue(item),
    block_number: block,
  }));
  for (const chunk of rowChunks(items)) await tx.insertInto("handover_items").values(chunk).execute();
}
