import { type HoursException, type LocationMenu, openStatus, type WeeklyHours } from "@orderline/catalog";
import type { CallbackCause, StaffTarget } from "@orderline/contracts";
import type { DateTime } from "luxon";

/** One of a location's staff lines as configured (never a number from the caller or the model). */
export interface StaffLine {
  id: string;
  number: string;
  label: string;
  priority: number;
  receivesSms: boolean;
  /** The line's own weekly hours (local times); empty = the location's opening hours. */
  hours: { weekday: number; opensAt: string; closesAt: string }[];
}

/** The location's hours as the catalog reads them (weekly + dated exceptions, in its timezone). */
export interface LocationHours {
  location: { timezone: string };
  weeklyHours: WeeklyHours[];
  exceptions: HoursException[];
}

/** The catalog's hours logic reads only the timezone, weekly hours and exceptions of a menu snapshot. */
const asMenu = (hours: LocationHours): LocationMenu => hours as unknown as LocationMenu;

export interface LineStatus {
  availableNow: boolean;
  /** When not available now: the next time it is (within a week), else null. */
  nextAvailable: DateTime | null;
}

/**
 * Whether a staff line answers at `now`: its own hours when it has some (dated exceptions do not apply to
 * them — a manager's phone is not closed for Christmas by the store's hours), else the location's opening hours.
 */
export function lineStatus(line: StaffLine, hours: LocationHours, now: Date): LineStatus {
  const own: WeeklyHours[] = line.hours.map((h) => ({ weekday: h.weekday, isClosed: false, opensAt: h.opensAt, closesAt: h.closesAt }));
  const status = openStatus(asMenu(own.length > 0 ? { ...hours, weeklyHours: own, exceptions: [] } : hours), now);
  return { availableNow: status.openNow, nextAvailable: status.openNow ? null : status.nextOpening };
}

export type DialPlan =
  | { kind: "dial"; targets: StaffTarget[] }
  | {
      kind: "callback";
      cause: Extract<CallbackCause, "no_staff_number" | "outside_hours">;
      /** Earliest time a line (or, with no line, the location) is reachable again; null = not within a week. */
      nextAvailable: DateTime | null;
    };

/** The staff numbers to try now, in priority order; none reachable → why, and when someone will be. */
export function planDial(lines: readonly StaffLine[], hours: LocationHours, now: Date): DialPlan {
  const ordered = [...lines].sort((a, b) => a.priority - b.priority);
  if (ordered.length === 0) {
    const store = openStatus(asMenu(hours), now);
    return { kind: "callback", cause: "no_staff_number", nextAvailable: store.openNow ? null : store.nextOpening };
  }
  const statuses = ordered.map((line) => ({ line, status: lineStatus(line, hours, now) }));
  const open = statuses.filter((s) => s.status.availableNow).map((s) => ({ number: s.line.number, label: s.line.label }));
  if (open.length > 0) return { kind: "dial", targets: open };
  const next = statuses
    .map((s) => s.status.nextAvailable)
    .filter((d): d is DateTime => d !== null)
    .sort((a, b) => a.toMillis() - b.toMillis())[0];
  return { kind: "callback", cause: "outside_hours", nextAvailable: next ?? null };
}

/** The line callback requests are texted to: the first active line that takes SMS, whatever its hours. */
export function smsLine(lines: readonly StaffLine[]): StaffLine | undefined {
  return [...lines].sort((a, b) => a.priority - b.priority).find((l) => l.receivesSms);
}

/**
 * When the caller can expect the call back: within `withinMinutes` when someone is reachable now (they just
 * did not pick up), else `withinMinutes` after the next time someone is; null when nobody is within a week.
 */
export function expectedCallback(cause: CallbackCause, nextAvailable: DateTime | null, now: Date, withinMinutes: number): { at: Date | null; soon: boolean } {
  if (cause === "no_answer" || (cause === "no_staff_number" && nextAvailable === null)) {
    return { at: new Date(now.getTime() + withinMinutes * 60_000), soon: true };
  }
  if (!nextAvailable) return { at: null, soon: false };
  return { at: nextAvailable.plus({ minutes: withinMinutes }).toJSDate(), soon: false };
}
