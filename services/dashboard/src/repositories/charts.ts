import type { Database } from "@orderline/db";
import { type Kysely, sql } from "kysely";
import { CALL_ENGINE, COUNTED_CALL, type LocationRange, scopeValues } from "./scope-sql.ts";

/** The calls of the ranges with their local date, weekday and hour (each in its location's timezone). */
const localCalls = (ranges: readonly LocationRange[]) => sql`
  WITH ${scopeValues(ranges)},
  calls AS (
    SELECT c.*, (c.started_at AT TIME ZONE l.timezone) AS local_start
      FROM scope s
      JOIN voice_calls c ON c.location_id = s.location_id AND c.started_at >= s.starts AND c.started_at < s.ends
      JOIN locations l ON l.id = c.location_id
     WHERE ${COUNTED_CALL})`;

export interface DayPoint {
  date: string;
  calls: number;
  completed: number;
  transferred: number;
  abandoned: number;
  withOrder: number;
}

/** Calls per local date (dates without calls included, as zeros). */
export async function callsPerDay(db: Kysely<Database>, ranges: readonly LocationRange[], span: { from: string; to: string }): Promise<DayPoint[]> {
  const r = await sql<{ date: string; calls: string; completed: string; transferred: string; abandoned: string; with_order: string }>`
    ${localCalls(ranges)},
    days AS (SELECT d::date AS date FROM generate_series(${span.from}::date, ${span.to}::date, interval '1 day') AS d)
    SELECT to_char(days.date, 'YYYY-MM-DD') AS date,
           count(c.id) AS calls,
           count(c.id) FILTER (WHERE c.disposition = 'completed') AS completed,
           count(c.id) FILTER (WHERE c.disposition = 'transferred') AS transferred,
           count(c.id) FILTER (WHERE c.disposition = 'abandoned') AS abandoned,
           count(c.id) FILTER (WHERE cardinality(c.order_ids) > 0 OR c.order_id IS NOT NULL) AS with_order
      FROM days LEFT JOIN calls c ON c.local_start::date = days.date
     GROUP BY days.date ORDER BY days.date`.execute(db);
  return r.rows.map((x) => ({
    date: x.date,
    calls: Number(x.calls),
    completed: Number(x.completed),
    transferred: Number(x.transferred),
    abandoned: Number(x.abandoned),
    withOrder: Number(x.with_order),
  }));
}

/** Calls by local ISO weekday (1 = Monday) × local hour (0–23); only non-empty cells. */
export async function callHeatmap(db: Kysely<Database>, ranges: readonly LocationRange[]): Promise<{ weekday: number; hour: number; calls: number }[]> {
  const r = await sql<{ weekday: number; hour: number; calls: string }>`
    ${localCalls(ranges)}
    SELECT extract(isodow FROM local_start)::int AS weekday, extract(hour FROM local_start)::int AS hour, count(*) AS calls
      FROM calls GROUP BY 1, 2 ORDER BY 1, 2`.execute(db);
  return r.rows.map((x) => ({ weekday: x.weekday, hour: x.hour, calls: Number(x.calls) }));
}

/** Calls handed to staff (or to a callback) by escalation reason, most frequent first. */
export async function transferReasons(db: Kysely<Database>, ranges: readonly LocationRange[]): Promise<{ reason: string; calls: number }[]> {
  const r = await sql<{ reason: string; calls: string }>`
    ${localCalls(ranges)}
    SELECT escalation_reason AS reason, count(*) AS calls FROM calls WHERE escalation_reason IS NOT NULL
     GROUP BY 1 ORDER BY 2 DESC, 1`.execute(db);
  return r.rows.map((x) => ({ reason: x.reason, calls: Number(x.calls) }));
}

/** Calls by outcome: completed, transferred, abandoned, and other (failed, rejected). */
export async function callOutcomes(db: Kysely<Database>, ranges: readonly LocationRange[]): Promise<Record<"completed" | "transferred" | "abandoned" | "other", number>> {
  const r = await sql<{ completed: string; transferred: string; abandoned: string; other: string }>`
    ${localCalls(ranges)}
    SELECT count(*) FILTER (WHERE disposition = 'completed') AS completed,
           count(*) FILTER (WHERE disposition = 'transferred') AS transferred,
           count(*) FILTER (WHERE disposition = 'abandoned') AS abandoned,
           count(*) FILTER (WHERE disposition NOT IN ('completed', 'transferred', 'abandoned')) AS other
      FROM calls`.execute(db);
  const x = r.rows[0]!;
  return { completed: Number(x.completed), transferred: Number(x.transferred), abandoned: Number(x.abandoned), other: Number(x.other) };
}

/** Σ call cost (micro-dollars) per local date and engine (the first engine of each call); calls of unknown cost count as 0 with `unpricedCalls`. */
export async function costPerDay(db: Kysely<Database>, ranges: readonly LocationRange[]): Promise<{ date: string; engine: string; costMicros: number; calls: number; unpricedCalls: number }[]> {
  const r = await sql<{ date: string; engine: string; cost: string; calls: string; unpriced: string }>`
    ${localCalls(ranges)}
    SELECT to_char(local_start::date, 'YYYY-MM-DD') AS date, ${CALL_ENGINE} AS engine,
           coalesce(sum(total_cost_micros), 0) AS cost, count(*) AS calls, count(*) FILTER (WHERE total_cost_micros IS NULL) AS unpriced
      FROM calls c GROUP BY 1, 2 ORDER BY 1, 2`.execute(db);
  return r.rows.map((x) => ({ date: x.date, engine: x.engine, costMicros: Number(x.cost), calls: Number(x.calls), unpricedCalls: Number(x.unpriced) }));
}
