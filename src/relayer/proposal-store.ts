import type { Kysely, Selectable } from "kysely";
import type { RelayerTables } from "../store/schema";
import { isUniqueViolation } from "../store/unique-violation";

export type ProposalRow = Selectable<RelayerTables["handover_proposals"]>;
export type ProposalStatus = ProposalRow["status"];

/** Which proposals a party lists: those addressed to it, or those it sent. */
export interface ProposalQuery {
  participant: number;
  side: "to" | "from";
  /** only these (default: all); "expired" is a proposed one past its deadline */
  status?: ProposalStatus | "expired";
  /** unix seconds, to tell expired from proposed */
  now: number;
  limit: number;
}

/**
 * The relayer's handover mailbox: proposals signed by a sender and addressed to a participant, and
 * what became of each. A state change is a conditional update (from "proposed" only), so two
 * devices that act at once cannot both win.
 */
export class ProposalStore {
  constructor(private readonly db: Kysely<RelayerTables>) {}

  /** Stores a new proposal; false when one with its id is already there (the same signed proposal). */
  async insert(row: ProposalRow): Promise<boolean> {
    try {
      const inserted = await this.db
        .insertInto("handover_proposals")
        .values(row)
        .onConflict((oc) => oc.column("id").doNothing())
        .returning("id")
        .executeTakeFirst();
      return !!inserted;
    } catch (e) {
      // a copy racing the first past the id check trips another unique index on PostgreSQL
      if (isUniqueViolation(e) && (await this.get(row.id))) return false;
      throw e;
    }
  }

  get(id: string): Promise<ProposalRow | undefined> {
    return this.db.selectFrom("handover_proposals").selectAll().where("id", "=", id).executeTakeFirst();
  }

  list(q: ProposalQuery): Promise<ProposalRow[]> {
    let query = this.db
      .selectFrom("handover_proposals")
      .selectAll()
      .where(q.side === "to" ? "to_participant" : "from_participant", "=", q.participant);
    if (q.status === "expired") query = query.where("status", "=", "proposed").where("deadline", "<=", q.now);
    else if (q.status === "proposed") query = query.where("status", "=", "proposed").where("deadline", ">", q.now);
    else if (q.status) query = query.where("status", "=", q.status);
    return query.orderBy("proposed_at", "desc").orderBy("id").limit(q.limit).execute();
  }

  /** Moves a proposal on from "proposed"; false when it had already moved (another device was first). */
  async settle(
    id: string,
    patch: Pick<ProposalRow, "status" | "acted_by" | "acted_at" | "reason" | "act_signature">,
  ): Promise<boolean> {
    const updated = await this.db
      .updateTable("handover_proposals")
      .set(patch)
      .where("id", "=", id)
      .where("status", "=", "proposed")
      .executeTakeFirst();
    return Number(updated.numUpdatedRows) === 1;
  }
}
