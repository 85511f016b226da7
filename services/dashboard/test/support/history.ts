import type { Database } from "@orderline/db";
import { DEMO_LOCATION_LIST, DEMO_LOCATIONS } from "@orderline/db";
import type { Insertable, Kysely } from "kysely";
import { DateTime } from "luxon";

/**
 * A generated call history, deterministic and countable by hand.
 *
 * "Now" is Wednesday 2026-06-17 20:00 UTC: 16:00 in New York, 15:00 in Chicago, 14:00 in Denver — the same
 * local date everywhere. Every location is open 11:00–22:00 local every day (set by `useSimpleHours`).
 *
 * Every location gets, on every local date from 2026-05-25 to 2026-06-16, the ten calls of `SLOTS` (local
 * times), and on 2026-06-17 ("today") slots 0–4 only. That is 3 × (23 × 10 + 5) = 705 calls across three
 * timezones. Slot 9 at 23:10 local is already the next day in UTC (03:10–05:10Z): a day boundary taken in UTC
 * instead of the location's timezone moves it into the wrong day, week or month.
 *
 * Per full day and location (slots 0–9):
 *   calls 10; completed 7 (slots 1 2 3 5 6 7 9), transferred 2 (4 complaint, 8 large_order), abandoned 1 (0);
 *   calls with an order 7 (1 2 3 5 6 8 9); after hours 2 (0 at 09:30, 9 at 23:10);
 *   Σ duration = 60+180+240+120+300+200+150+90+360+60 = 1 760 s;
 *   Σ cost = 5 000+150 000+200 000+20 000+250 000+170 000+10 000+8 000+300 000+15 000 = 1 128 000 µ$;
 *   voice orders 7, revenue 2 500+3 000+1 800+4 200+2 000+30 000+1 500 = 45 000 ¢;
 *   plus one web order of 2 000 ¢ and one cancelled voice order of 9 999 ¢ (not linked to a call) per day;
 *   New York only (the survey is on there): replies 5 (slot 1), 4 (slot 2), 3 (slot 5).
 * Today (slots 0–4): calls 5; completed 3, transferred 1, abandoned 1; with order 3; after hours 1 (slot 0);
 *   Σ duration = 60+180+240+120+300 = 900 s; Σ cost = 5 000+150 000+200 000+20 000+250 000 = 625 000 µ$;
 *   voice orders 3, revenue 2 500+3 000+1 800 = 7 300 ¢; one web order 2 000 ¢ (submitted, on the board);
 *   New York replies 5 (slot 1), 4 (slot 2).
 */
export const NOW = new Date("2026-06-17T20:00:00Z");
export const FIRST_DAY = "2026-05-25";
export const TODAY = "2026-06-17";

interface Slot {
  time: string;
  seconds: number;
  disposition: "completed" | "transferred" | "abandoned";
  orderCents: number | null;
  reason: "complaint" | "large_order" | null;
  engine: "realtime" | "openai_text" | "local";
  costMicros: number;
  /** New York's survey reply. */
  score: number | null;
}

export const SLOTS: readonly Slot[] = [
  { time: "09:30", seconds: 60, disposition: "abandoned", orderCents: null, reason: null, engine: "local", costMicros: 5_000, score: null },
  { time: "11:15", seconds: 180, disposition: "completed", orderCents: 2_500, reason: null, engine: "realtime", costMicros: 150_000, score: 5 },
  { time: "12:05", seconds: 240, disposition: "completed", orderCents: 3_000, reason: null, engine: "realtime", costMicros: 200_000, score: 4 },
  { time: "12:40", seconds: 120, disposition: "completed", orderCents: 1_800, reason: null, engine: "openai_text", costMicros: 20_000, score: null },
  { time: "13:20", seconds: 300, disposition: "transferred", orderCents: null, reason: "complaint", engine: "realtime", costMicros: 250_000, score: null },
  { time: "17:00", seconds: 200, disposition: "completed", orderCents: 4_200, reason: null, engine: "realtime", costMicros: 170_000, score: 3 },
  { time: "18:10", seconds: 150, disposition: "completed", orderCents: 2_000, reason: null, engine: "local", costMicros: 10_000, score: null },
  { time: "19:00", seconds: 90, disposition: "completed", orderCents: null, reason: null, engine: "local", costMicros: 8_000, score: null },
  { time: "20:30", seconds: 360, disposition: "transferred", orderCents: 30_000, reason: "large_order", engine: "realtime", costMicros: 300_000, score: null },
  { time: "23:10", seconds: 60, disposition: "completed", orderCents: 1_500, reason: null, engine: "openai_text", costMicros: 15_000, score: null },
];

const callerPhone = (locIndex: number, day: number, slot: number) => `+1917555${String(locIndex * 3000 + day * 10 + slot).padStart(4, "0")}`;

/** Every location open 11:00–22:00 local every day, no dated exceptions; the survey on in New York only; the seed's own calls and orders removed. */
export async function useSimpleHours(db: Kysely<Database>): Promise<void> {
  await db.updateTable("customers").set({ last_order_id: null }).execute();
  await db.deleteFrom("voice_calls").execute();
  await db.deleteFrom("orders").execute();
  await db.deleteFrom("location_hour_exceptions").execute();
  await db.deleteFrom("location_hours").execute();
  const rows = DEMO_LOCATION_LIST.flatMap((l) => ([1, 2, 3, 4, 5, 6, 7] as const).map((weekday) => ({ location_id: l.id, weekday, is_closed: false, opens_at: "11:00", closes_at: "22:00" })));
  await db.insertInto("location_hours").values(rows).execute();
  await db.updateTable("locations").set({ sms_survey_enabled: true }).where("id", "=", DEMO_LOCATIONS.newYork.id).execute();
}

/** Writes the history described above; returns the New York call of `TODAY` slot 1 (a call with an order and a reply). */
export async function writeHistory(db: Kysely<Database>): Promise<{ sampleCallId: string; callCount: number }> {
  const days: string[] = [];
  for (let d = DateTime.fromISO(FIRST_DAY); d.toISODate()! <= TODAY; d = d.plus({ days: 1 })) days.push(d.toISODate()!);
  const calls: Insertable<Database["voice_calls"]>[] = [];
  const orders: Insertable<Database["orders"]>[] = [];
  const surveys: { callSid: string; locationId: string; phone: string; score: number; at: Date }[] = [];
  let number = 0;
  for (const [li, loc] of DEMO_LOCATION_LIST.entries()) {
    for (const [di, day] of days.entries()) {
      const slots = day === TODAY ? SLOTS.slice(0, 5) : SLOTS;
      const state = day === TODAY ? "submitted" : "completed";
      for (const [si, s] of slots.entries()) {
        const started = DateTime.fromISO(`${day}T${s.time}`, { zone: loc.timezone });
        const sid = `CA${loc.key.padEnd(8, "x")}${day.replaceAll("-", "")}${String(si).padStart(2, "0")}`.padEnd(34, "0");
        const phone = callerPhone(li, di, si);
        const orderId = s.orderCents === null ? null : crypto.randomUUID();
        if (orderId) {
          orders.push({
            id: orderId,
            location_id: loc.id,
            channel: "voice",
            call_sid: sid,
            order_session_id: `session-${sid}`,
            order_type: "pickup",
            state,
            business_date: day,
            order_number: ++number,
            customer_name: `Caller ${si}`,
            customer_phone: phone,
            subtotal_cents: s.orderCents!,
            total_cents: s.orderCents!,
            submitted_at: started.plus({ minutes: 2 }).toJSDate(),
          });
        }
        calls.push({
          call_sid: sid,
          location_id: loc.id,
          direction: "inbound",
          phone_from: phone,
          phone_to: loc.phone,
          started_at: started.toJSDate(),
          ended_at: started.plus({ seconds: s.seconds }).toJSDate(),
          duration_seconds: s.seconds,
          disposition: s.disposition,
          escalation_reason: s.reason,
          order_id: orderId,
          order_ids: orderId ? [orderId] : [],
          transcript: JSON.stringify([
            { role: "assistant", text: "Thanks for calling!", at: started.toUTC().toISO() },
            { role: "caller", text: "A large pepperoni please", at: started.plus({ seconds: 5 }).toUTC().toISO(), sentiment: 1 },
          ]),
          telephony_cost_micros: 1_000,
          ai_cost_micros: s.costMicros - 1_000,
          total_cost_micros: s.costMicros,
          usage: JSON.stringify({ engines: [s.engine] }),
          finalized_at: started.plus({ seconds: s.seconds }).toJSDate(),
        });
        if (loc.key === "newYork" && s.score !== null) surveys.push({ callSid: sid, locationId: loc.id, phone, score: s.score, at: started.plus({ minutes: 10 }).toJSDate() });
      }
      const noon = DateTime.fromISO(`${day}T12:00`, { zone: loc.timezone }).toJSDate();
      orders.push(
        { location_id: loc.id, channel: "web", order_type: "pickup", state, business_date: day, order_number: ++number, subtotal_cents: 2_000, total_cents: 2_000, submitted_at: noon },
        { location_id: loc.id, channel: "voice", call_sid: `CAcancelled${li}${di}`, order_session_id: `cancelled-${li}-${di}`, order_type: "pickup", state: "cancelled", business_date: day, order_number: ++number, subtotal_cents: 9_999, total_cents: 9_999, submitted_at: noon },
      );
    }
  }
  for (let i = 0; i < orders.length; i += 500) await db.insertInto("orders").values(orders.slice(i, i + 500)).execute();
  for (let i = 0; i < calls.length; i += 500) await db.insertInto("voice_calls").values(calls.slice(i, i + 500)).execute();
  const ids = new Map((await db.selectFrom("voice_calls").select(["id", "call_sid"]).execute()).map((c) => [c.call_sid, c.id]));
  await db
    .insertInto("call_surveys")
    .values(surveys.map((s) => ({ call_id: ids.get(s.callSid)!, location_id: s.locationId, to_phone: s.phone, from_phone: DEMO_LOCATIONS.newYork.phone, state: "sent", score: s.score, replied_at: s.at })))
    .execute();
  const sample = `CA${"newYork".padEnd(8, "x")}${TODAY.replaceAll("-", "")}01`.padEnd(34, "0");
  return { sampleCallId: ids.get(sample)!, callCount: calls.length };
}
