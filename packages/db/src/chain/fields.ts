import { parsePhoneNumberFromString } from "libphonenumber-js";
import { IANAZone } from "luxon";
import { z } from "zod";
import type { IsoWeekday } from "../schema.ts";

/**
 * The value types of a chain file, each turning what a person writes into what the database stores, with an
 * error that quotes the bad value and says what a good one looks like.
 */

const q = (v: unknown) => JSON.stringify(v);

/** A custom zod field: `parse` returns the converted value or the problem. */
const field = <T>(input: z.ZodType<unknown>, parse: (raw: never) => { value: T } | { problem: string }) =>
  input.transform((raw, ctx): T => {
    const r = parse(raw as never);
    if ("value" in r) return r.value;
    ctx.addIssue({ code: "custom", message: r.problem });
    return z.NEVER;
  });

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** A stable key: lowercase letters, digits and single dashes. */
export const Slug = z.string().refine((s) => SLUG.test(s), { error: (i) => `${q(i.input)} is not a slug (lowercase letters, digits and single dashes, e.g. "large-pepperoni")` });

/** "Jalapeño Poppers!" → "jalapeno-poppers" (the key an item gets when the file gives it no slug). */
export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** A non-blank name. */
export const Name = z.string().trim().min(1, "must not be empty").max(200, "is too long (200 characters at most)");

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const timeProblem = (s: string) => `${q(s)} is not a time (HH:MM from 00:00 to 23:59; "00:00" closes at midnight)`;

/** "HH:MM" (24-hour clock). */
export const Time = field<string>(z.string(), (s: string) => (TIME.test(s.trim()) ? { value: s.trim() } : { problem: timeProblem(s.trim()) }));

export type Interval = { opens: string; closes: string };

/** "11:00-22:00"; a close at or before the opening means after midnight ("17:00-02:00"). */
function parseInterval(raw: string): { value: Interval } | { problem: string } {
  const parts = raw.split("-").map((p) => p.trim());
  if (parts.length !== 2) return { problem: `${q(raw)} is not an opening interval (write "11:00-22:00", or "closed")` };
  const [opens, closes] = parts as [string, string];
  for (const t of [opens, closes]) if (!TIME.test(t)) return { problem: timeProblem(t) };
  if (opens === closes) return { problem: `${q(raw)} opens and closes at the same time` };
  return { value: { opens, closes } };
}

export const IntervalText = field<Interval>(z.string(), parseInterval);

/** One day: "closed", "11:00-22:00", or several intervals ["11:00-14:30", "17:00-22:00"]. */
const DayHours = z.unknown().transform((raw, ctx): "closed" | Interval[] => {
  const fail = (message: string, path: number[] = []) => ctx.addIssue({ code: "custom", message, path });
  if (raw === undefined) fail('is not set (write "closed" for a closed day)');
  else if (raw === "closed") return "closed";
  else if (typeof raw === "string") {
    const r = parseInterval(raw);
    if ("value" in r) return [r.value];
    fail(r.problem);
  } else if (Array.isArray(raw) && raw.length > 0) {
    const out: Interval[] = [];
    raw.forEach((item, k) => {
      const r = typeof item === "string" ? parseInterval(item) : { problem: `${q(item)} is not an interval like "11:00-22:00"` };
      if ("value" in r) out.push(r.value);
      else fail(r.problem, [k]);
    });
    return out;
  } else fail(`${q(raw)} is not "closed", an interval like "11:00-22:00" or a list of them`);
  return z.NEVER;
});

export const WEEKDAYS = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 } as const satisfies Record<string, IsoWeekday>;
export type WeekdayName = keyof typeof WEEKDAYS;
const dayShape = <T extends z.ZodType>(t: T) => ({ mon: t, tue: t, wed: t, thu: t, fri: t, sat: t, sun: t });

export type DayIntervals = "closed" | Interval[];

/** A location's week: every day named, so a forgotten day is an error rather than a closed day. */
export const WeekHours = z.strictObject(dayShape(DayHours));

/** A staff line's hours: only the days it answers (a missing day = it does not answer that day). */
export const PartialWeekHours = z.strictObject(dayShape(DayHours.optional()));

export const Weekday = z.enum(Object.keys(WEEKDAYS) as [WeekdayName, ...WeekdayName[]], { error: (i) => `${q(i.input)} is not a day (mon, tue, wed, thu, fri, sat, sun)` });

const DOLLARS = /^\$?(\d{1,7})(?:\.(\d{1,2}))?$/;

/**
 * Money: a string of dollars ("12.99", "$12.99", "12") or an integer number of cents (1299), converted to
 * integer cents exactly — never through a binary float.
 */
export const Price = field<number>(z.union([z.string(), z.number()], { error: (i) => `${q(i.input)} is not a price (write "12.99" or whole cents like 1299)` }), (raw: string | number) => {
  if (typeof raw === "number") {
    if (Number.isSafeInteger(raw) && raw >= 0 && raw <= 1_000_000_000) return { value: raw };
    return { problem: `${raw} is not whole cents (a number means cents: write 1299 or the string "12.99")` };
  }
  const m = DOLLARS.exec(raw.trim());
  if (!m) return { problem: `${q(raw)} is not a price (write "12.99" or whole cents like 1299)` };
  return { value: Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0")) };
});

const PERCENT = /^(\d{1,3})(?:\.(\d{1,4}))?\s*%$/;

/** A tax rate as a percentage string ("8.875%"), stored exactly as parts per million (88 750). */
export const TaxRate = field<number>(z.string({ error: (i) => `${q(i.input)} is not a tax rate (write it as a percentage string like "8.875%")` }), (raw: string) => {
  const m = PERCENT.exec(raw.trim());
  if (!m) return { problem: `${q(raw)} is not a tax rate (a percentage with at most 4 decimals, like "8.875%")` };
  const ppm = Number(m[1]) * 10_000 + Number((m[2] ?? "").padEnd(4, "0"));
  return ppm > 1_000_000 ? { problem: `${q(raw)} is more than 100%` } : { value: ppm };
});

/** A phone number in international form ("+12125550100", "+1 212-555-0100"), stored as E.164. */
export const Phone = field<string>(z.string({ error: (i) => `${q(i.input)} is not a phone number (write it in E.164, e.g. "+12125550100")` }), (raw: string) => {
  const s = raw.trim();
  const parsed = s.startsWith("+") ? parsePhoneNumberFromString(s) : undefined;
  if (!parsed?.isValid()) return { problem: `${q(raw)} is not a valid phone number in E.164 (e.g. "+12125550100", country code first)` };
  return { value: parsed.number as string };
});

/** An IANA timezone ("America/New_York"). */
export const Timezone = z.string().refine((s) => IANAZone.isValidZone(s), { error: (i) => `${q(i.input)} is not an IANA timezone (e.g. "America/New_York")` });

/** A calendar date "YYYY-MM-DD". */
export const DateText = z.string().refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), {
  error: (i) => `${q(i.input)} is not a date (YYYY-MM-DD)`,
});
