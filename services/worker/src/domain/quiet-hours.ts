import { DateTime } from "luxon";

export interface QuietHours {
  /** Minutes after local midnight; start > end wraps midnight (21:00–09:00). start = end: no quiet hours. */
  startMinute: number;
  endMinute: number;
}

/** When quiet hours end if `now` is inside them in the location's timezone, else null (calling is fine now). */
export function quietUntil(now: Date, timezone: string, q: QuietHours): Date | null {
  if (q.startMinute === q.endMinute) return null;
  const local = DateTime.fromJSDate(now, { zone: timezone });
  const minute = local.hour * 60 + local.minute;
  const wraps = q.startMinute > q.endMinute;
  const inside = wraps ? minute >= q.startMinute || minute < q.endMinute : minute >= q.startMinute && minute < q.endMinute;
  if (!inside) return null;
  let end = local.startOf("day").plus({ minutes: q.endMinute });
  if (end <= local) end = end.plus({ days: 1 });
  return end.toJSDate();
}
