import { DateTime } from "luxon";

export const PERIODS = ["today", "week", "month"] as const;
export type Period = (typeof PERIODS)[number];

/** Inclusive range of local calendar dates "YYYY-MM-DD". */
export interface DateRange {
  from: string;
  to: string;
}

/** The longest date range a list or chart answers (a clear 400 beyond it). */
export const MAX_RANGE_DAYS = 366;

/** Today, this ISO week (Monday first) or this month so far, as local dates of `zone` at `now`. */
export function periodRange(period: Period, zone: string, now: Date): DateRange {
  const today = DateTime.fromJSDate(now, { zone }).startOf("day");
  const start = period === "today" ? today : period === "week" ? today.startOf("week") : today.startOf("month");
  return { from: start.toISODate()!, to: today.toISODate()! };
}

/** The last `days` local dates of `zone` ending today. */
export function lastDays(days: number, zone: string, now: Date): DateRange {
  const today = DateTime.fromJSDate(now, { zone }).startOf("day");
  return { from: today.minus({ days: days - 1 }).toISODate()!, to: today.toISODate()! };
}

export class RangeProblem extends Error {
  override readonly name = "RangeProblem";
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Number of days from `from` to `to`, both included. */
export const rangeDays = (r: DateRange): number => DateTime.fromISO(r.to).diff(DateTime.fromISO(r.from), "days").days + 1;

/** A requested date range checked: real dates, from ≤ to, at most MAX_RANGE_DAYS days (RangeProblem says what is wrong). */
export function checkRange(r: DateRange): DateRange {
  for (const [name, v] of Object.entries(r)) {
    if (!ISO_DATE.test(v) || !DateTime.fromISO(v).isValid) throw new RangeProblem(`${name} must be a date YYYY-MM-DD, got "${v.slice(0, 40)}"`);
  }
  if (r.from > r.to) throw new RangeProblem(`from (${r.from}) is after to (${r.to})`);
  const days = rangeDays(r);
  if (days > MAX_RANGE_DAYS) throw new RangeProblem(`the range ${r.from}..${r.to} spans ${days} days; at most ${MAX_RANGE_DAYS} are allowed`);
  return r;
}
