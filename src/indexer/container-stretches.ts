import type { IndexerTables } from "../store/indexer-schema";
import type { Selectable } from "kysely";

/** One versioned state of a code or container, as the lifecycle rules wrote it (ledger order). */
export type HistoryRow = Selectable<IndexerTables["code_history"]>;

/** A point in the ledger: its position (ordinals sort as strings) and the fact's event time (ms). */
export interface LedgerPoint {
  ordinal: string;
  time: number;
}

/**
 * A stretch a code spent inside a container, at any level (its case, the case's pallet...): from
 * the packing that put it (or the container around it) in, to the unpacking that took it out, or
 * open while it is still inside. The container's steps within it are custody the code inherits.
 */
export interface ContainerStretch {
  epc: string;
  /** how many containers lie between the code and this one (0: the code's own container) */
  level: number;
  from: LedgerPoint;
  /** null while the code is still inside */
  to: LedgerPoint | null;
  /** the container's own rows strictly within the stretch */
  rows: HistoryRow[];
  /** who holds the container by its latest row (0: nobody known) */
  holder: number;
}

/** The deepest nesting followed (a pallet in a container in a ship...), and a guard against cycles. */
const MAX_LEVELS = 16;

/**
 * The stretches of `rows` (one code's history) inside each parent, clipped to [lo, hi]: a stretch
 * begins at the row that first names a parent and ends at the first row naming another (or none).
 */
export function parentStretches(
  rows: readonly HistoryRow[],
  lo: LedgerPoint | null = null,
  hi: LedgerPoint | null = null,
): { parent: string; from: LedgerPoint; to: LedgerPoint | null }[] {
  const point = (r: HistoryRow): LedgerPoint => ({ ordinal: r.ordinal, time: Number(r.time) });
  const out: { parent: string; from: LedgerPoint; to: LedgerPoint | null }[] = [];
  for (let i = 0; i < rows.length; i++) {
    const parent = rows[i].parent;
    if (!parent || (i > 0 && rows[i - 1].parent === parent)) continue;
    let j = i + 1;
    while (j < rows.length && rows[j].parent === parent) j++;
    let from = point(rows[i]);
    let to = j < rows.length ? point(rows[j]) : null;
    if (lo && from.ordinal < lo.ordinal) from = lo;
    if (hi && (to === null || hi.ordinal < to.ordinal)) to = hi;
    if (to === null || from.ordinal < to.ordinal) out.push({ parent, from, to });
  }
  return out;
}

/**
 * Every stretch a code spent inside a container, at every level, in ledger order of their start:
 * a unit unpacked from its case keeps the case's steps while it was inside, and the pallet's steps
 * while the case was on it. `historyOf` reads a container's rows (once each).
 */
export async function containerStretches(
  own: readonly HistoryRow[],
  historyOf: (epc: string) => Promise<HistoryRow[]>,
): Promise<ContainerStretch[]> {
  const rowsOf = new Map<string, Promise<HistoryRow[]>>();
  const read = (epc: string) => {
    let rows = rowsOf.get(epc);
    if (!rows) rowsOf.set(epc, (rows = historyOf(epc)));
    return rows;
  };
  const out: ContainerStretch[] = [];
  const walk = async (
    rows: readonly HistoryRow[],
    lo: LedgerPoint | null,
    hi: LedgerPoint | null,
    path: readonly string[],
  ): Promise<void> => {
    if (path.length > MAX_LEVELS) return;
    for (const s of parentStretches(rows, lo, hi)) {
      if (path.includes(s.parent)) continue;
      const parentRows = await read(s.parent);
      out.push({
        epc: s.parent,
        level: path.length - 1,
        from: s.from,
        to: s.to,
        rows: parentRows.filter((r) => r.ordinal > s.from.ordinal && (s.to === null || r.ordinal < s.to.ordinal)),
        holder: parentRows.at(-1)?.holder ?? 0,
      });
      await walk(parentRows, s.from, s.to, [...path, s.parent]);
    }
  };
  await walk(own, null, null, [own[0]?.epc ?? ""]);
  return out.sort((a, b) =>
    a.from.ordinal < b.from.ordinal ? -1 : a.from.ordinal > b.from.ordinal ? 1 : a.level - b.level,
  );
}

/** The containers a code is in now, innermost first: its open stretches. */
export function currentContainers(stretches: readonly ContainerStretch[]): ContainerStretch[] {
  return stretches.filter((s) => s.to === null).sort((a, b) => a.level - b.level);
}
