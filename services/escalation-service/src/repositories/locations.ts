import type { Database } from "@orderline/db";
import type { Kysely } from "kysely";
import type { LocationHours, StaffLine } from "../domain/dial-plan.ts";

/** What the escalation policy needs to know about a location. */
export interface EscalationLocation {
  id: string;
  name: string;
  timezone: string;
  language: string;
  /** The number callers dial (main routed number, else the public phone): caller ID of transfers and SMS sender. */
  mainNumber: string;
  hours: LocationHours;
  /** Active staff lines, priority order, with their own hours. */
  lines: StaffLine[];
}

/** The location with its opening hours and active staff lines, or null when there is no such (active) location. */
export async function loadEscalationLocation(db: Kysely<Database>, locationId: string): Promise<EscalationLocation | null> {
  const loc = await db
    .selectFrom("locations")
    .select(["id", "name", "timezone", "language", "public_phone"])
    .where("id", "=", locationId)
    .where("active", "=", true)
    .executeTakeFirst();
  if (!loc) return null;
  const [main, weekly, exceptions, lines, lineHours] = await Promise.all([
    db
      .selectFrom("phone_numbers")
      .select("e164")
      .where("location_id", "=", locationId)
      .where("purpose", "=", "main")
      .orderBy("created_at")
      .orderBy("e164")
      .executeTakeFirst(),
    db.selectFrom("location_hours").select(["weekday", "is_closed", "opens_at", "closes_at"]).where("location_id", "=", locationId).execute(),
    db.selectFrom("location_hour_exceptions").select(["on_date", "is_closed", "opens_at", "closes_at", "reason"]).where("location_id", "=", locationId).execute(),
    db
      .selectFrom("location_staff_lines")
      .select(["id", "e164", "label", "priority", "receives_sms"])
      .where("location_id", "=", locationId)
      .where("active", "=", true)
      .orderBy("priority")
      .execute(),
    db
      .selectFrom("staff_line_hours as h")
      .innerJoin("location_staff_lines as l", "l.id", "h.staff_line_id")
      .select(["h.staff_line_id", "h.weekday", "h.opens_at", "h.closes_at"])
      .where("l.location_id", "=", locationId)
      .execute(),
  ]);
  return {
    id: loc.id,
    name: loc.name,
    timezone: loc.timezone,
    language: loc.language,
    mainNumber: main?.e164 ?? loc.public_phone,
    hours: {
      location: { timezone: loc.timezone },
      weeklyHours: weekly.map((h) => ({ weekday: h.weekday, isClosed: h.is_closed, opensAt: h.opens_at, closesAt: h.closes_at })),
      exceptions: exceptions.map((e) => ({ date: e.on_date, isClosed: e.is_closed, opensAt: e.opens_at, closesAt: e.closes_at, reason: e.reason })),
    },
    lines: lines.map((l) => ({
      id: l.id,
      number: l.e164,
      label: l.label,
      priority: l.priority,
      receivesSms: l.receives_sms,
      hours: lineHours.filter((h) => h.staff_line_id === l.id).map((h) => ({ weekday: h.weekday, opensAt: h.opens_at, closesAt: h.closes_at })),
    })),
  };
}
