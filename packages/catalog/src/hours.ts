import { ToolFailure } from "@orderline/contracts";
import { DateTime } from "luxon";
import { CATALOG_MESSAGES } from "./i18n/catalog-messages.ts";
import type { SpeechLanguage } from "./i18n/language.ts";
import { basicNormalize, speakable } from "./normalize.ts";
import type { LocationMenu } from "./types.ts";

/** "Closes soon" = closing within this many minutes. */
export const CLOSES_SOON_MINUTES = 30;

const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;
const WEEKDAY_ALIASES: Readonly<Record<string, number>> = {
  mon: 1,
  tue: 2,
  tues: 2,
  wed: 3,
  weds: 3,
  thu: 4,
  thur: 4,
  thurs: 4,
  fri: 5,
  sat: 6,
  sun: 7,
};

/** The location's wall clock at `now`. */
export function localTime(menu: LocationMenu, now: Date): DateTime {
  const dt = DateTime.fromJSDate(now, { zone: menu.location.timezone });
  if (!dt.isValid) throw new RangeError(`invalid timezone or instant: ${menu.location.timezone} / ${String(now)}`);
  return dt;
}

/** "HH:MM[:SS]" → minutes after midnight. */
export function minutesOf(time: string): number {
  const m = /^(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$/.exec(time);
  if (!m) throw new RangeError(`not a time of day: ${JSON.stringify(time)}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** "HH:MM:SS" → "HH:MM". */
export function hhmm(time: string): string {
  const minutes = minutesOf(time);
  return `${String(Math.floor(minutes / 60) % 24).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/** "5:30 PM" style, as people say it ("noon", "midnight" for those). */
export function spokenTime(dt: DateTime): string {
  if (dt.hour === 0 && dt.minute === 0) return "midnight";
  if (dt.hour === 12 && dt.minute === 0) return "noon";
  return dt.toFormat(dt.minute === 0 ? "h a" : "h:mm a");
}

export interface OpenInterval {
  /** Local "HH:MM" as configured. */
  opensAt: string;
  closesAt: string;
  /** Concrete instants in the location's zone; `end` is on the next day when the interval passes midnight. */
  start: DateTime;
  end: DateTime;
}

export interface DayHours {
  /** Local date "YYYY-MM-DD". */
  date: string;
  /** ISO weekday 1 = Monday. */
  weekday: number;
  weekdayName: string;
  closed: boolean;
  /** Opening intervals that start on this date, in order. */
  intervals: OpenInterval[];
  /** Set when a dated exception replaces the weekday's hours: its reason, or "special hours". */
  exception: string | null;
}

function at(day: DateTime, time: string): DateTime {
  const minutes = minutesOf(time);
  return DateTime.fromObject(
    { year: day.year, month: day.month, day: day.day, hour: Math.floor(minutes / 60), minute: minutes % 60 },
    { zone: day.zone },
  );
}

function interval(day: DateTime, opens: string, closes: string): OpenInterval {
  const start = at(day, opens);
  // closes <= opens: the interval ends after midnight (or is 24 h when equal).
  const end = minutesOf(closes) <= minutesOf(opens) ? at(day.plus({ days: 1 }), closes) : at(day, closes);
  return { opensAt: hhmm(opens), closesAt: hhmm(closes), start, end };
}

/** Per-snapshot memo (snapshots are immutable): day hours by local date, merged openings by local date. */
const dayMemo = new WeakMap<LocationMenu, Map<string, DayHours>>();
const openingsMemo = new WeakMap<LocationMenu, Map<string, { start: DateTime; end: DateTime }[]>>();
const MEMO_MAX = 64;

function memoized<V>(store: WeakMap<LocationMenu, Map<string, V>>, menu: LocationMenu, key: string, compute: () => V): V {
  let map = store.get(menu);
  if (!map) {
    map = new Map();
    store.set(menu, map);
  }
  let value = map.get(key);
  if (value === undefined) {
    value = compute();
    if (map.size >= MEMO_MAX) map.clear();
    map.set(key, value);
  }
  return value;
}

/** Hours of one local date: a dated exception if there is one, else the weekday's intervals. */
export function hoursOn(menu: LocationMenu, localDate: string | DateTime): DayHours {
  if (typeof localDate === "string" && /^\d{4}-\d{2}-\d{2}$/.test(localDate)) {
    return memoized(dayMemo, menu, localDate, () => computeHoursOn(menu, localDate));
  }
  return computeHoursOn(menu, localDate);
}

function computeHoursOn(menu: LocationMenu, localDate: string | DateTime): DayHours {
  const day =
    typeof localDate === "string"
      ? DateTime.fromISO(localDate, { zone: menu.location.timezone }).startOf("day")
      : localDate.setZone(menu.location.timezone).startOf("day");
  if (!day.isValid) throw new RangeError(`not a date: ${String(localDate)}`);
  const date = day.toISODate()!;
  const base = { date, weekday: day.weekday, weekdayName: WEEKDAYS[day.weekday - 1]! };
  const exception = menu.exceptions.find((e) => e.date === date);
  if (exception) {
    const note = exception.reason ?? "special hours";
    if (exception.isClosed || !exception.opensAt || !exception.closesAt) return { ...base, closed: true, intervals: [], exception: note };
    return { ...base, closed: false, intervals: [interval(day, exception.opensAt, exception.closesAt)], exception: note };
  }
  const rows = menu.weeklyHours.filter((h) => h.weekday === day.weekday && !h.isClosed && h.opensAt && h.closesAt);
  const intervals = rows.map((h) => interval(day, h.opensAt!, h.closesAt!)).sort((a, b) => a.start.toMillis() - b.start.toMillis());
  return { ...base, closed: intervals.length === 0, intervals, exception: null };
}

export interface OpenStatus {
  openNow: boolean;
  /** Open now and closing within CLOSES_SOON_MINUTES. */
  closesSoon: boolean;
  /** When open: start of the current opening; when closed: the next opening. */
  opensAt: DateTime | null;
  /** When open: when it closes (touching intervals merged, e.g. open past midnight into the next day's hours). When closed: end of the next opening. */
  closesAt: DateTime | null;
  /** When closed: the next opening within a week (null when open or none scheduled). */
  nextOpening: DateTime | null;
  /** The location's wall clock at `now`. */
  localNow: DateTime;
  minutesUntilClose: number | null;
}

/** Openings from the day before `today` to 8 days after, touching intervals merged. */
function openingsAround(menu: LocationMenu, today: DateTime): { start: DateTime; end: DateTime }[] {
  const all: { start: DateTime; end: DateTime }[] = [];
  for (let d = -1; d <= 8; d++) {
    for (const i of hoursOn(menu, today.plus({ days: d }).toISODate()!).intervals) all.push({ start: i.start, end: i.end });
  }
  all.sort((a, b) => a.start.toMillis() - b.start.toMillis());
  const merged: { start: DateTime; end: DateTime }[] = [];
  for (const i of all) {
    const last = merged[merged.length - 1];
    if (last && i.start.toMillis() <= last.end.toMillis()) {
      if (i.end.toMillis() > last.end.toMillis()) last.end = i.end;
    } else merged.push({ ...i });
  }
  return merged;
}

/** Whether the location is open at `now`, in its own timezone, with exceptions and after-midnight closing. */
export function openStatus(menu: LocationMenu, now: Date): OpenStatus {
  const local = localTime(menu, now);
  const merged = memoized(openingsMemo, menu, local.toISODate()!, () => openingsAround(menu, local.startOf("day")));
  const t = local.toMillis();
  const current = merged.find((i) => i.start.toMillis() <= t && t < i.end.toMillis());
  if (current) {
    const minutesUntilClose = Math.ceil((current.end.toMillis() - t) / 60_000);
    return {
      openNow: true,
      closesSoon: minutesUntilClose <= CLOSES_SOON_MINUTES,
      opensAt: current.start,
      closesAt: current.end,
      nextOpening: null,
      localNow: local,
      minutesUntilClose,
    };
  }
  const next = merged.find((i) => i.start.toMillis() > t);
  return {
    openNow: false,
    closesSoon: false,
    opensAt: next?.start ?? null,
    closesAt: next?.end ?? null,
    nextOpening: next?.start ?? null,
    localNow: local,
    minutesUntilClose: null,
  };
}

/** How far ahead get_hours answers. */
const MAX_DAYS_AHEAD = 366;

/**
 * The local date a spoken day refers to, relative to `now` in the location's zone: "today", "tonight",
 * "tomorrow", a weekday ("friday", "this fri", "next monday": the next such day, today included for
 * "friday" on a Friday), or a date ("2026-12-24", "12/24", "december 24", "dec 24th", "christmas eve").
 * Anything else, a past date or one over a year ahead ⇒ ToolFailure("invalid_day").
 */
export function parseDay(menu: LocationMenu, spoken: string | undefined, now: Date, language: SpeechLanguage = "en"): string {
  const say = CATALOG_MESSAGES[language];
  const today = localTime(menu, now).startOf("day");
  if (spoken === undefined || spoken.trim() === "") return today.toISODate()!;
  const raw = spoken.trim();
  const s = raw.length <= 60 ? basicNormalize(raw) : "";
  const bad = (why: string) =>
    new ToolFailure("invalid_day", why, {
      heard: speakable(raw),
      accepted: ["today", "tomorrow", "a weekday like friday", "a date like 2026-12-24"],
    });
  if (!s) throw bad(say.dayNotHeard);

  let day: DateTime | undefined;
  const words = s.replace(/^(on|for|this|the|coming|upcoming)\s+/, "").replace(/\s+(night|evening|morning|afternoon)$/, "");
  if (["today", "tonight", "now", "right now", "this evening"].includes(s) || ["today", "tonight"].includes(words)) day = today;
  else if (words === "tomorrow" || words === "tmrw" || words === "tomorrow night") day = today.plus({ days: 1 });
  else if (words === "day after tomorrow") day = today.plus({ days: 2 });
  else if (words === "christmas eve" || words === "christmas" || words === "christmas day" || words === "new years eve" || words === "new years day" || words === "new years") {
    const [month, dom] =
      words === "christmas eve" ? [12, 24] : words.startsWith("christmas") ? [12, 25] : words === "new years eve" ? [12, 31] : [1, 1];
    let d = today.set({ month, day: dom });
    if (d < today) d = d.plus({ years: 1 });
    day = d;
  } else {
    const next = /^next\s+(.*)$/.exec(words);
    const name = (next ? next[1]! : words).replace(/s$/, "");
    const weekday = WEEKDAYS.indexOf(name as (typeof WEEKDAYS)[number]) + 1 || WEEKDAY_ALIASES[name];
    if (weekday) {
      let delta = (weekday - today.weekday + 7) % 7;
      if (next && delta === 0) delta = 7;
      day = today.plus({ days: delta });
    }
  }
  if (!day) {
    const zone = menu.location.timezone;
    const iso = DateTime.fromISO(raw, { zone });
    if (/^\d{4}-\d{2}-\d{2}$/.test(raw) && iso.isValid) day = iso.startOf("day");
    else {
      const cleaned = s.replace(/\b(\d+) (st|nd|rd|th)\b/g, "$1");
      const formats = ["M d", "M d yyyy", "MMMM d", "MMM d", "MMMM d yyyy", "MMM d yyyy", "d MMMM", "d MMM"];
      for (const f of formats) {
        const parsed = DateTime.fromFormat(cleaned, f, { zone, locale: "en-US" });
        if (parsed.isValid) {
          let d = parsed.set({ year: /yyyy/.test(f) ? parsed.year : today.year }).startOf("day");
          if (!/yyyy/.test(f) && d < today) d = d.plus({ years: 1 });
          day = d;
          break;
        }
      }
    }
  }
  if (!day) throw bad(say.dayUnclear(speakable(raw)));
  if (day < today) throw bad(say.dayPassed);
  if (day.diff(today, "days").days > MAX_DAYS_AHEAD) throw bad(say.dayTooFar);
  return day.toISODate()!;
}

/** "Monday, December 24" for speech. */
export function spokenDate(localDate: string, zone: string): string {
  return DateTime.fromISO(localDate, { zone }).setLocale("en-US").toFormat("cccc, LLLL d");
}
