/** SQLite binds at most 32,766 parameters per statement (PostgreSQL 65,535). */
const MAX_PARAMETERS = 32_766;

/**
 * `rows` in slices small enough for one multi-row INSERT each: as many rows as their columns
 * leave room for under the parameter limit, at most `max`.
 */
export function rowChunks<T extends object>(rows: readonly T[], max = 5_000): T[][] {
  if (rows.length === 0) return [];
  const columns = Math.max(1, Object.keys(rows[0]).length);
  const size = Math.max(1, Math.min(max, Math.floor(MAX_PARAMETERS / columns)));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
