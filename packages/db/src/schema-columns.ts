import type { ColumnType } from "kysely";

/**
 * Column conventions (see README-like notes in index.ts):
 * - ids are uuid strings (`gen_random_uuid()`), except event tables which use bigint identities;
 * - money is integer cents (`*_cents`), call costs integer micro-dollars (`*_micros`);
 * - `timestamptz` comes back as `Date`; `date` as `'YYYY-MM-DD'`; `time` as `'HH:MM:SS'` (local time of the location);
 * - `bigint`/`int8` comes back as `number` (the pool refuses values beyond Number.MAX_SAFE_INTEGER);
 * - `jsonb` is read as parsed JSON but must be written as a JSON string (`JSON.stringify(...)`): node-postgres
 *   would turn a JS array into a Postgres array literal, so the write type is `string` on purpose;
 * - weekdays are ISO numbers 1 = Monday … 7 = Sunday (luxon's `DateTime#weekday`).
 */

/** `timestamptz`: read as Date, written as Date or ISO string, defaulted by the database. */
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** Nullable `timestamptz`. */
export type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** `jsonb`: parsed on read, JSON text on write. */
export type Json<T> = ColumnType<T, string, string>;
/** `jsonb` with a database default. */
export type JsonWithDefault<T> = ColumnType<T, string | undefined, string>;
/** Nullable `jsonb`. */
export type NullableJson<T> = ColumnType<T | null, string | null | undefined, string | null>;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** ISO weekday, 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export const PHONE_NUMBER_PURPOSES = ["main", "outbound"] as const;
export type PhoneNumberPurpose = (typeof PHONE_NUMBER_PURPOSES)[number];

/** One turn of a (redacted) call transcript as stored in `voice_calls.transcript`. */
export interface TranscriptTurn {
  role: "caller" | "assistant" | "system" | "staff";
  text: string;
  /** ISO timestamp of the turn, when known. */
  at?: string;
  /** Caller turns: sentiment score of the words (escalation service `assess_turn`, AFINN-165; < 0 negative). */
  sentiment?: number;
}
