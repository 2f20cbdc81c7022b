import { ValidationError } from "../errors";

/**
 * An EPCIS query schedule (EPCIS 2.0 section 8.2.5.3, cron-like): each field a list of values and
 * ranges ("0,30", "1-5", "9-17,20"); a field left out matches any value. Times are UTC.
 */
export interface QuerySchedule {
  second?: string;
  minute?: string;
  hour?: string;
  dayOfMonth?: string;
  month?: string;
  dayOfWeek?: string;
}

const FIELDS: Record<keyof QuerySchedule, [number, number]> = {
  second: [0, 59],
  minute: [0, 59],
  hour: [0, 23],
  dayOfMonth: [1, 31],
  month: [1, 12],
  dayOfWeek: [1, 7],
};

function valuesOf(field: keyof QuerySchedule, text: string): Set<number> {
  const [min, max] = FIELDS[field];
  const out = new Set<number>();
  for (const part of text.split(",")) {
    const m = /^\s*(\d{1,2})(?:\s*-\s*(\d{1,2}))?\s*$/.exec(part);
    const from = m ? Number(m[1]) : NaN;
    const to = m?.[2] !== undefined ? Number(m[2]) : from;
    if (!m || from < min || to > max || from > to)
      throw new ValidationError(
        `schedule.${field}`,
        text,
        `must be values or ranges from ${min} to ${max}, like "0,30" or "1-5"`,
      );
    for (let v = from; v <= to; v++) out.add(v);
  }
  return out;
}

/** Checks a schedule; every field named must be the standard's, every value in range. */
export function readQuerySchedule(value: unknown): QuerySchedule {
  if (!value || typeof value !== "object" || Array.isArray(value))
    throw new ValidationError(
      "schedule",
      value,
      "must be an object of second, minute, hour, dayOfMonth, month, dayOfWeek",
    );
  const out: QuerySchedule = {};
  for (const [k, v] of Object.entries(value)) {
    if (!(k in FIELDS)) throw new ValidationError(`schedule.${k}`, v, "is not a schedule field");
    if (typeof v !== "string" && typeof v !== "number")
      throw new ValidationError(`schedule.${k}`, v, "must be a string");
    valuesOf(k as keyof QuerySchedule, String(v));
    out[k as keyof QuerySchedule] = String(v);
  }
  return out;
}

/** The schedule as a test of one second (UTC; Monday is 1, Sunday 7). */
export function scheduleTest(schedule: QuerySchedule): (second: number) => boolean {
  const named = Object.keys(schedule).length > 0;
  const sets = (Object.keys(FIELDS) as (keyof QuerySchedule)[]).map((f) => {
    const text = schedule[f];
    // a field left out matches any value, except that a schedule of coarser fields fires at second 0
    const set = text === undefined ? (f === "second" && named ? new Set([0]) : undefined) : valuesOf(f, text);
    return [f, set] as const;
  });
  return (second) => {
    const at = new Date(second * 1000);
    const now: Record<keyof QuerySchedule, number> = {
      second: at.getUTCSeconds(),
      minute: at.getUTCMinutes(),
      hour: at.getUTCHours(),
      dayOfMonth: at.getUTCDate(),
      month: at.getUTCMonth() + 1,
      dayOfWeek: at.getUTCDay() === 0 ? 7 : at.getUTCDay(),
    };
    return sets.every(([f, set]) => !set || set.has(now[f]));
  };
}

/** Whether the schedule fired in any second after `after` up to `upTo` (unix seconds; a day back at most). */
export function scheduleFiredBetween(schedule: QuerySchedule, after: number, upTo: number): boolean {
  const fires = scheduleTest(schedule);
  for (let t = Math.max(after + 1, upTo - 86_400); t <= upTo; t++) if (fires(t)) return true;
  return false;
}
