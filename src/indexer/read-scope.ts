import { sql, type Kysely, type RawBuilder, type SqlBool } from "kysely";
import { ForbiddenError } from "../core/errors";
import { PARTICIPANT_KINDS } from "../core/custody/participant-kinds";
import type { IndexerTables } from "../store/indexer-schema";

/** ParticipantKind.Auditor: reads everything. */
const AUDITOR_KIND = PARTICIPANT_KINDS.indexOf("auditor");
/** The participant id a governance token is issued to: the consortium's governance reads everything. */
export const GOVERNANCE = 0;

/**
 * What one consortium reader may see (DESIGN.md, who may read what): auditors and governance
 * everything; any other participant the events of its own brand's codes, of codes it held
 * (directly, or packed in a container it held), and what it submitted.
 */
export type ReadScope =
  | { all: true; participant: number }
  | { all: false; participant: number; gtins: readonly string[] };

export async function readScopeOf(db: Kysely<IndexerTables>, participant: number): Promise<ReadScope> {
  if (participant === GOVERNANCE) return { all: true, participant };
  const p = await db.selectFrom("participants").select("kind").where("id", "=", participant).executeTakeFirst();
  if (p?.kind === AUDITOR_KIND) return { all: true, participant };
  const orders = await db.selectFrom("orders").select("gtin").distinct().where("brand", "=", participant).execute();
  return { all: false, participant, gtins: orders.map((o) => o.gtin) };
}

/**
 * A filter on an identifier column: it is a unit of one of the reader's GTINs, or a code it held,
 * or a code packed (up to two levels down: pallet, case, unit) in a container it held.
 */
export function mayReadCode(column: string, scope: ReadScope): RawBuilder<SqlBool> {
  if (scope.all) return sql<SqlBool>`1 = 1`;
  const col = sql.ref(column);
  const held = sql`select epc from code_history where holder = ${scope.participant}`;
  const inHeld = sql`select epc from code_history where parent in (${held})`;
  const inInHeld = sql`select epc from code_history where parent in (${inHeld})`;
  return sql<SqlBool>`(${sql.join(
    [
      ...scope.gtins.map((gtin) => sql`${col} like ${`https://id.gs1.org/01/${gtin}/21/%`}`),
      sql`${col} in (${held})`,
      sql`${col} in (${inHeld})`,
      sql`${col} in (${inInHeld})`,
    ],
    sql` or `,
  )})`;
}

/** Refuses an order (or a batch of it) to anyone but its brand, its producer, auditors and governance. */
export function checkOrderReader(scope: ReadScope, order: { id: number; brand: number; producer: number }): void {
  if (scope.all || scope.participant === order.brand || scope.participant === order.producer) return;
  throw new ForbiddenError(
    `participant ${scope.participant} may not read order ${order.id}: only its brand, its producer, auditors and governance`,
  );
}

/** An anomaly a scoped reader may see: about a code it may read, or about what it submitted or signed. */
export function mayReadAnomaly(scope: ReadScope): RawBuilder<SqlBool> {
  if (scope.all) return sql<SqlBool>`1 = 1`;
  const p = scope.participant;
  return sql<SqlBool>`(${mayReadCode("epc", scope)} or ref in (select e.event_hash from capture_events e inner join captures c on c.digest = e.digest where c.participant = ${p}) or ref in (select digest from handovers where sender_participant = ${p} or receiver_participant = ${p}))`;
}

/** The order behind an order or batch id, refused (403) to a reader who is not its brand or producer. */
export async function checkOrderAccess(db: Kysely<IndexerTables>, scope: ReadScope, orderId: number): Promise<void> {
  if (scope.all) return;
  const order = await db
    .selectFrom("orders")
    .select(["id", "brand", "producer"])
    .where("id", "=", orderId)
    .executeTakeFirst();
  if (order) checkOrderReader(scope, order);
}
