import { hoursOn, localTime, openStatus, parseDay } from "@orderline/catalog";
import type { RequestEnvelope, ToolArgs, ToolResult } from "@orderline/contracts";
import { type MenuDeps, menuAndSpeech } from "./deps.ts";

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** get_hours(day?): hours of today / tomorrow / a weekday / a date, open now, closing soon, holidays. */
export async function getHours(deps: MenuDeps, args: ToolArgs<"get_hours">, envelope: RequestEnvelope): Promise<ToolResult<"get_hours">> {
  const { menu, language, say } = await menuAndSpeech(deps, envelope);
  const now = deps.clock();
  const date = parseDay(menu, args.day, now, language);
  const day = hoursOn(menu, date);
  const status = openStatus(menu, now);
  const local = localTime(menu, now);
  const first = day.intervals[0];
  const last = day.intervals[day.intervals.length - 1];
  const isToday = date === local.toISODate();

  const parts = [say.dayHours(date, local, day)];
  if (status.openNow) {
    if (status.closesSoon) parts.push(say.closesSoon(status.minutesUntilClose!, status.closesAt!, local));
    else if (isToday) parts.push(say.openUntil(status.closesAt!, local));
    else parts.push(say.openRightNow);
  } else if (status.nextOpening) {
    parts.push(say.closedUntil(status.nextOpening, local));
  } else {
    parts.push(say.closedNow);
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
