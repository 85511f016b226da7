import { type RawBuilder, sql } from "kysely";
import type { DateRange } from "../domain/periods.ts";

/** One location and the local dates asked for there (each location's own calendar). */
export interface LocationRange extends DateRange {
  locationId: string;
  /** Groups rows when several periods are read at once ("today", "week", …). */
  label?: string;
}

/**
 * `scope(label, location_id, starts, ends)`: a VALUES list turning each location's local dates into UTC instants in
 * its own timezone (`date::timestamp AT TIME ZONE zone` = local midnight), for `started_at >= starts AND < ends`.
 */
export function scopeValues(ranges: readonly LocationRange[]): RawBuilder<unknown> {
  if (ranges.length === 0) throw new Error("scopeValues: no locations");
  const rows = ranges.map(
    (r) => sql`(${r.label ?? ""}::text, ${r.locationId}::uuid, ${r.from}::date, ${r.to}::date)`,
  );
  return sql`scope_in (label, location_id, from_date, to_date) AS (VALUES ${sql.join(rows)}),
    scope (label, location_id, from_date, to_date, starts, ends) AS (
      SELECT s.label, s.location_id, s.from_date, s.to_date,
             s.from_date::timestamp AT TIME ZONE l.timezone, (s.to_date + 1)::timestamp AT TIME ZONE l.timezone
        FROM scope_in s JOIN locations l ON l.id = s.location_id)`;
}

/** Calls the dashboard counts: inbound, ended (a live call is not yet a call record). */
export const COUNTED_CALL = sql`c.direction = 'inbound' AND c.disposition <> 'in_progress'`;

/** The engine a call is counted under: the first one it used (later ones are fallbacks), else "unknown". */
export const CALL_ENGINE = sql<string>`coalesce(c.usage -> 'engines' ->> 0, 'unknown')`;
