/**
 * Language building blocks every spoken sentence uses: lists, prices, times of day and day names. The message
 * catalogues (catalog's failures, the menu and order services' speech) are written with these, so "and",
 * "noon" or a price is said one way per language.
 */
import { formatCents } from "@orderline/contracts";
import { DateTime } from "luxon";
import { listNames } from "../speech.ts";
import { type MessageCatalogue, SPEECH_LOCALE, type SpeechLanguage } from "./language.ts";

export interface Spoken {
  language: SpeechLanguage;
  /**
   * "A, B and C" / "A, B y C". `serialComma` and `article` ("the " before each name) apply only where the
   * language uses them (Spanish menu names have no known gender, so no article).
   */
  list(names: readonly string[], conjunction: "and" | "or", opts?: { serialComma?: boolean; article?: string }): string;
  /** Integer cents as said: "$18.99"; whole dollars without cents ("$15") with `short`. */
  money(cents: number, opts?: { short?: boolean }): string;
  /** A local time of day: "11 AM", "noon" / "11 de la mañana", "7:30 de la tarde", "mediodía". */
  time(dt: DateTime): string;
  /** "at 11 AM" / "a las 11 de la mañana", "a la 1 de la tarde". */
  atTime(dt: DateTime): string;
  /** A local date relative to `today`: "today", "tomorrow", "Friday, November 27" / "hoy", "mañana", "el viernes 27 de noviembre". */
  day(localDate: string, today: DateTime): string;
  /** "today"/"tomorrow" as is, another day with its preposition: "on Friday, November 27" / "el viernes 27 de noviembre". */
  onDay(localDate: string, today: DateTime): string;
  /** When a moment is, relative to local now: "at 11 AM", "at 11 AM tomorrow", "at noon on Saturday, November 28". */
  when(at: DateTime, now: DateTime): string;
  /** A "HH:MM" wall-clock time: "11 AM", "noon". */
  clock(hhmm: string): string;
  /** An order type as said after "a … order": "pickup", "delivery" / "para recoger", "a domicilio". */
  orderType: Readonly<Record<"pickup" | "delivery", string>>;
}

function money(language: SpeechLanguage) {
  return (cents: number, opts: { short?: boolean } = {}) => {
    const text = formatCents(cents, "USD", SPEECH_LOCALE[language]);
    return opts.short && cents % 100 === 0 ? text.replace(/[.,]00$/, "") : text;
  };
}

function relativeDay(localDate: string, today: DateTime): "today" | "tomorrow" | DateTime {
  const d = today.startOf("day");
  if (localDate === d.toISODate()) return "today";
  if (localDate === d.plus({ days: 1 }).toISODate()) return "tomorrow";
  return DateTime.fromISO(localDate, { zone: today.zone });
}

const clockOf = (spoken: Spoken) => (hhmm: string) => spoken.time(DateTime.fromFormat(hhmm, "HH:mm"));

const en: Spoken = {
  language: "en",
  list: (names, conjunction, opts = {}) => listNames(names, conjunction, opts.article ?? "", opts),
  money: money("en"),
  time(dt) {
    if (dt.hour === 0 && dt.minute === 0) return "midnight";
    if (dt.hour === 12 && dt.minute === 0) return "noon";
    return dt.setLocale("en-US").toFormat(dt.minute === 0 ? "h a" : "h:mm a");
  },
  atTime: (dt) => `at ${en.time(dt)}`,
  day(localDate, today) {
    const d = relativeDay(localDate, today);
    return typeof d === "string" ? d : d.setLocale("en-US").toFormat("cccc, LLLL d");
  },
  onDay(localDate, today) {
    const label = en.day(localDate, today);
    return label === "today" || label === "tomorrow" ? label : `on ${label}`;
  },
  when(at, now) {
    const day = en.day(at.toISODate()!, now);
    if (day === "today") return en.atTime(at);
    if (day === "tomorrow") return `${en.atTime(at)} tomorrow`;
    return `${en.atTime(at)} on ${day}`;
  },
  clock: (hhmm) => clockOf(en)(hhmm),
  orderType: { pickup: "pickup", delivery: "delivery" },
};

/** "y" becomes "e" before an (h)i- sound, "o" becomes "u" before an (h)o- sound. */
function spanishConjunction(conjunction: "and" | "or", next: string): string {
  const w = next.trim().toLowerCase().normalize("NFD").replace(/\p{M}/gu, "");
  if (conjunction === "and") return /^h?i(?![aeou])/.test(w) ? "e" : "y";
  return /^h?o/.test(w) ? "u" : "o";
}

const es: Spoken = {
  language: "es",
  list: (names, conjunction) => listNames(names, spanishConjunction(conjunction, names[names.length - 1] ?? ""), ""),
  money: money("es"),
  time(dt) {
    if (dt.hour === 0 && dt.minute === 0) return "medianoche";
    if (dt.hour === 12 && dt.minute === 0) return "mediodía";
    // Said as people say it ("de la tarde"), which also keeps "p.m." and its period out of sentence ends.
    const part = dt.hour < 6 ? "de la madrugada" : dt.hour < 12 ? "de la mañana" : dt.hour < 20 ? "de la tarde" : "de la noche";
    return `${dt.toFormat(dt.minute === 0 ? "h" : "h:mm")} ${part}`;
  },
  atTime(dt) {
    if ((dt.hour === 0 || dt.hour === 12) && dt.minute === 0) return dt.hour === 0 ? "a medianoche" : "al mediodía";
    return `${dt.hour % 12 === 1 ? "a la" : "a las"} ${es.time(dt)}`;
  },
  day(localDate, today) {
    const d = relativeDay(localDate, today);
    if (d === "today") return "hoy";
    if (d === "tomorrow") return "mañana";
    return d.setLocale("es-US").toFormat("'el' cccc d 'de' LLLL");
  },
  onDay: (localDate, today) => es.day(localDate, today),
  when(at, now) {
    const day = es.day(at.toISODate()!, now);
    if (day === "hoy") return es.atTime(at);
    return `${day} ${es.atTime(at)}`;
  },
  clock: (hhmm) => clockOf(es)(hhmm),
  orderType: { pickup: "para recoger", delivery: "a domicilio" },
};

export const SPOKEN: MessageCatalogue<Spoken> = { en, es };
