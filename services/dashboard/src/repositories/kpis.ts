import type { Database } from "@orderline/db";
import { type Kysely, sql } from "kysely";
import { EMPTY_SUMS, type KpiSums } from "../domain/kpis.ts";
import { COUNTED_CALL, type LocationRange, scopeValues } from "./scope-sql.ts";


const key = (label: string, locationId: string) => `${label}|${locationId}`;
const n = (v: unknown): number => Number(v ?? 0);

/**
 * Sums per (label, location) over each location's own local dates: calls (started in the range) with their
 * outcomes, durations and costs; orders by business date (voice vs every other channel, cancelled and drafts
 * left out); survey replies of the range's calls. After-hours calls and the survey switch are the caller's to add.
 */
export async function readKpiSums(db: Kysely<Database>, ranges: readonly LocationRange[]): Promise<Map<string, KpiSums>> {
  const scope = scopeValues(ranges);
  const calls = await sql<Record<string, unknown>>`
    WITH ${scope}
    SELECT s.label, s.location_id,
           count(c.id) AS calls,
           count(c.id) FILTER (WHERE c.disposition = 'completed') AS completed,
           count(c.id) FILTER (WHERE c.disposition = 'transferred') AS transferred,
           count(c.id) FILTER (WHERE c.disposition = 'abandoned') AS abandoned,
           count(c.id) FILTER (WHERE cardinality(c.order_ids) > 0 OR c.order_id IS NOT NULL) AS with_order,
           coalesce(sum(c.duration_seconds), 0) AS duration_sum,
           count(c.duration_seconds) AS duration_n,
           coalesce(sum(c.total_cost_micros), 0) AS cost_sum,
           count(c.total_cost_micros) AS cost_n
      FROM scope s
      LEFT JOIN voice_calls c ON c.location_id = s.location_id AND c.started_at >= s.starts AND c.started_at < s.ends AND ${COUNTED_CALL}
     GROUP BY s.label, s.location_id`.execute(db);
  const orders = await sql<Record<string, unknown>>`
    WITH ${scope}
    SELECT s.label, s.location_id,
           count(o.id) FILTER (WHERE o.channel = 'voice') AS voice_orders,
           coalesce(sum(o.total_cents) FILTER (WHERE o.channel = 'voice'), 0) AS voice_revenue,
           count(o.id) FILTER (WHERE o.channel <> 'voice') AS other_orders,
           coalesce(sum(o.total_cents) FILTER (WHERE o.channel <> 'voice'), 0) AS other_revenue
      FROM scope s
      LEFT JOIN orders o ON o.location_id = s.location_id AND o.business_date BETWEEN s.from_date AND s.to_date AND o.state NOT IN ('draft', 'cancelled')
     GROUP BY s.label, s.location_id`.execute(db);
  const surveys = await sql<Record<string, unknown>>`
    WITH ${scope}
    SELECT s.label, s.location_id, coalesce(sum(v.score), 0) AS score_sum, count(v.score) AS replies
      FROM scope s
      JOIN voice_calls c ON c.location_id = s.location_id AND c.started_at >= s.starts AND c.started_at < s.ends AND ${COUNTED_CALL}
      JOIN call_surveys v ON v.call_id = c.id AND v.score IS NOT NULL
     GROUP BY s.label, s.location_id`.execute(db);

  const out = new Map<string, KpiSums>();
  for (const r of calls.rows) {
    out.set(key(String(r["label"]), String(r["location_id"])), {
      ...EMPTY_SUMS,
      calls: n(r["calls"]),
      completed: n(r["completed"]),
      transferred: n(r["transferred"]),
      abandoned: n(r["abandoned"]),
      callsWithOrder: n(r["with_order"]),
      durationSeconds: n(r["duration_sum"]),
      durationCalls: n(r["duration_n"]),
      costMicros: n(r["cost_sum"]),
      costedCalls: n(r["cost_n"]),
    });
  }
  for (const r of orders.rows) {
    const s = out.get(key(String(r["label"]), String(r["location_id"])));
    if (!s) continue;
    s.voiceOrders = n(r["voice_orders"]);
    s.voiceRevenueCents = n(r["voice_revenue"]);
    s.otherOrders = n(r["other_orders"]);
    s.otherRevenueCents = n(r["other_revenue"]);
  }
  for (const r of surveys.rows) {
    const s = out.get(key(String(r["label"]), String(r["location_id"])));
    if (!s) continue;
    s.surveyScoreSum = n(r["score_sum"]);
    s.surveyReplies = n(r["replies"]);
  }
  return out;
}

/** Calls per (label, location, minute they started): the after-hours count checks each minute against the hours. */
export async function callStartMinutes(db: Kysely<Database>, ranges: readonly LocationRange[]): Promise<{ label: string; locationId: string; minute: Date; calls: number }[]> {
  const r = await sql<{ label: string; location_id: string; minute: Date; calls: string }>`
    WITH ${scopeValues(ranges)}
    SELECT s.label, s.location_id, date_trunc('minute', c.started_at) AS minute, count(*) AS calls
      FROM scope s
      JOIN voice_calls c ON c.location_id = s.location_id AND c.started_at >= s.starts AND c.started_at < s.ends AND ${COUNTED_CALL}
     GROUP BY 1, 2, 3`.execute(db);
  return r.rows.map((x) => ({ label: x.label, locationId: x.location_id, minute: x.minute, calls: Number(x.calls) }));
}

export async function surveyEnabled(db: Kysely<Database>, locationIds: readonly string[]): Promise<Set<string>> {
  if (locationIds.length === 0) return new Set();
  const rows = await db.selectFrom("locations").select("id").where("id", "in", locationIds).where("sms_survey_enabled", "=", true).execute();
  return new Set(rows.map((r) => r.id));
}

export { key as sumsKey };
