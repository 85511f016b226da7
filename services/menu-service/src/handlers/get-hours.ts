import { hoursOn, localTime, openStatus, parseDay } from "@orderline/catalog";
import type { RequestEnvelope, ToolArgs, ToolResult } from "@orderline/contracts";
import { dayName, intervalsSpoken, whenSpoken } from "../domain/speech.ts";
import { type MenuDeps, menuOf } from "./deps.ts";

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** get_hours(day?): hours of today / tomorrow / a weekday / a date, open now, closing soon, holidays. */
export async function getHours(deps: MenuDeps, args: ToolArgs<"get_hours">, envelope: RequestEnvelope): Promise<ToolResult<"get_hours">> {
  const menu = await menuOf(deps, envelope);
  const now = deps.clock();
  const date = parseDay(menu, args.day, now);
  const day = hoursOn(menu, date);
  const status = openStatus(menu, now);
  const local = localTime(menu, now);
  const first = day.intervals[0];
  const last = day.intervals[day.intervals.length - 1];
  const label = dayName(date, local);
  const isToday = label === "today";

  const parts: string[] = [];
  const note = day.exception ? ` (${day.exception})` : "";
  if (day.closed) parts.push(`We're closed ${label === "today" || label === "tomorrow" ? label : `on ${label}`}${note}.`);
  else parts.push(`${capitalize(label === "today" || label === "tomorrow" ? label : `on ${label}`)}${note} we're open ${intervalsSpoken(day)}.`);
  if (status.openNow) {
    if (status.closesSoon) parts.push(`We close soon, in ${status.minutesUntilClose} minutes, ${whenSpoken(status.closesAt!, local)}.`);
    else if (isToday) parts.push(`We're open now until ${whenSpoken(status.closesAt!, local).replace(/^at /, "")}.`);
    else parts.push("We're open right now.");
  } else if (status.nextOpening) {
    parts.push(`We're closed right now; we open again ${whenSpoken(status.nextOpening, local)}.`);
  } else {
    parts.push("We're closed right now.");
  }
  return {
    date,
    weekday: capitalize(day.weekdayName),
    timezone: menu.location.timezone,
    closed: day.closed,
    opensAt: first?.opensAt ?? null,
    closesAt: last?.closesAt ?? null,
    exception: day.exception,
    openNow: status.openNow,
    closesSoon: status.closesSoon,
    nextOpening: status.openNow ? null : (status.nextOpening?.toISO() ?? null),
    speech: parts.join(" "),
  };
}
