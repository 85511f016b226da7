import { type DayHours, listNames, spokenTime } from "@orderline/catalog";
import { formatCents } from "@orderline/contracts";
import type { DateTime } from "luxon";

/** "$14.49"; whole dollars without cents ("$15"). */
export function price(cents: number): string {
  return cents % 100 === 0 ? formatCents(cents).replace(/\.00$/, "") : formatCents(cents);
}

/** "11 AM to 11 PM", several intervals joined ("11 AM to 3 PM and 5 PM to 10 PM"). */
export function intervalsSpoken(day: DayHours): string {
  return listNames(
    day.intervals.map((i) => `${spokenTime(i.start)} to ${spokenTime(i.end)}`),
    "and",
    "",
  );
}

/** "today", "tomorrow", or "Friday, November 27". */
export function dayName(localDate: string, today: DateTime): string {
  const d = today.startOf("day");
  if (localDate === d.toISODate()) return "today";
  if (localDate === d.plus({ days: 1 }).toISODate()) return "tomorrow";
  return d.set({ year: Number(localDate.slice(0, 4)), month: Number(localDate.slice(5, 7)), day: Number(localDate.slice(8, 10)) }).setLocale("en-US").toFormat("cccc, LLLL d");
}

/** When a moment is, relative to a local "now": "at 11 AM", "at 11 AM tomorrow", "at noon on Saturday, November 28". */
export function whenSpoken(at: DateTime, now: DateTime): string {
  const day = dayName(at.toISODate()!, now);
  const time = spokenTime(at);
  if (day === "today") return `at ${time}`;
  if (day === "tomorrow") return `at ${time} tomorrow`;
  return `at ${time} on ${day}`;
}
