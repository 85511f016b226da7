import type { Database, NotificationKind, NotificationState, OrderNotification, ReadyCallOutcome } from "@orderline/db";
import { type Kysely, sql } from "kysely";

export interface NotifiableOrder {
  id: string;
  locationId: string;
  state: string;
  channel: string;
  orderType: "pickup" | "delivery";
  orderNumber: number | null;
  customerName: string | null;
  customerPhone: string | null;
  totalCents: number;
  promisedAt: Date | null;
  readyCallOutcome: ReadyCallOutcome | null;
  location: { name: string; timezone: string; language: string; brandId: string; publicPhone: string; payOnlineUrlTemplate: string | null; outboundNumber: string | null };
  /** The customer replied STOP (no SMS, no order-ready call). */
  optedOut: boolean;
}

/** The outbound caller ID of location `l` (its first 'outbound' number), null when it has none. */
export const OUTBOUND_NUMBER = sql<string | null>`(SELECT p.e164 FROM phone_numbers p WHERE p.location_id = l.id AND p.purpose = 'outbound' ORDER BY p.e164 LIMIT 1)`;

/** The order with what a notification needs (location, caller ID, opt-out), or null when unknown. */
export async function loadNotifiableOrder(db: Kysely<Database>, orderId: string): Promise<NotifiableOrder | null> {
  const row = await db
    .selectFrom("orders as o")
    .innerJoin("locations as l", "l.id", "o.location_id")
    .leftJoin("customers as c", (j) => j.onRef("c.brand_id", "=", "l.brand_id").onRef("c.phone", "=", "o.customer_phone"))
    .select([
      "o.id",
      "o.location_id",
      "o.state",
      "o.channel",
      "o.order_type",
      "o.order_number",
      "o.customer_name",
      "o.customer_phone",
      "o.total_cents",
      "o.promised_at",
      "o.ready_call_outcome",
      "l.name as location_name",
      "l.timezone",
      "l.language",
      "l.brand_id",
      "l.public_phone",
      "l.pay_online_url_template",
      "c.sms_opt_out",
      OUTBOUND_NUMBER.as("outbound_number"),
    ])
    .where("o.id", "=", orderId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    locationId: row.location_id,
    state: row.state,
    channel: row.channel,
    orderType: row.order_type,
    orderNumber: row.order_number,
    customerName: row.customer_name,
    customerPhone: row.customer_phone,
    totalCents: row.total_cents,
    promisedAt: row.promised_at,
    readyCallOutcome: row.ready_call_outcome,
    location: {
      name: row.location_name,
      timezone: row.timezone,
      language: row.language,
      brandId: row.brand_id,
      publicPhone: row.public_phone,
      payOnlineUrlTemplate: row.pay_online_url_template,
      outboundNumber: row.outbound_number,
    },
    optedOut: row.sms_opt_out === true,
  };
}

export async function orderLines(db: Kysely<Database>, orderId: string): Promise<{ quantity: number; name: string; lineTotalCents: number }[]> {
  const rows = await db.selectFrom("order_items").select(["quantity", "product_name", "size_name", "line_total_cents"]).where("order_id", "=", orderId).orderBy("position").execute();
  return rows.map((r) => ({ quantity: r.quantity, name: r.size_name ? `${r.size_name} ${r.product_name}` : r.product_name, lineTotalCents: r.line_total_cents }));
}

/** Records how the order-ready call ended, on the order (a person or voicemail reached also sets ready_notified_at). */
export async function setReadyCallOutcome(db: Kysely<Database>, orderId: string, outcome: ReadyCallOutcome, detail: string | null): Promise<void> {
  await db
    .updateTable("orders")
    .set({
      ready_call_outcome: outcome,
      ready_call_detail: detail,
      ...(outcome === "answered" || outcome === "voicemail" ? { ready_notified_at: sql<Date>`coalesce(ready_notified_at, now())` } : {}),
    })
    .where("id", "=", orderId)
    .execute();
}

export async function latestNotification(db: Kysely<Database>, orderId: string, kind: NotificationKind): Promise<OrderNotification | null> {
  return (await db.selectFrom("order_notifications").selectAll().where("order_id", "=", orderId).where("kind", "=", kind).orderBy("attempt", "desc").limit(1).executeTakeFirst()) ?? null;
}

export async function getNotification(db: Kysely<Database>, id: string): Promise<OrderNotification | null> {
  return (await db.selectFrom("order_notifications").selectAll().where("id", "=", id).executeTakeFirst()) ?? null;
}

/**
 * Writes the attempt *before* Twilio is asked (state dialling / sending). Null when this attempt number is
 * already taken: another run got there first and must not be doubled.
 */
export async function beginNotification(
  db: Kysely<Database>,
  n: { orderId: string; kind: NotificationKind; attempt: number; state: "dialling" | "sending"; to: string; from: string },
): Promise<string | null> {
  const row = await db
    .insertInto("order_notifications")
    .values({ order_id: n.orderId, kind: n.kind, attempt: n.attempt, state: n.state, to_phone: n.to, from_phone: n.from })
    .onConflict((oc) => oc.constraint("order_notifications_attempt_key").doNothing())
    .returning("id")
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Twilio accepted the request: keep its SID (placed / sent), unless a status callback already finished it. */
export async function markAccepted(db: Kysely<Database>, id: string, sid: string, state: "placed" | "sent"): Promise<void> {
  await db
    .updateTable("order_notifications")
    .set({ provider_sid: sid, state: sql<NotificationState>`CASE WHEN state IN ('dialling', 'sending') THEN ${state} ELSE state END` })
    .where("id", "=", id)
    .execute();
}

/** Sets the attempt's final state; false when it already had one (a repeated status callback changes nothing). */
export async function finishNotification(
  db: Kysely<Database>,
  id: string,
  f: { state: NotificationState; sid?: string | null; answeredBy?: string | null; durationSeconds?: number | null; costMicros?: number | null; detail?: string | null },
): Promise<boolean> {
  const r = await db
    .updateTable("order_notifications")
    .set({
      state: f.state,
      ...(f.sid ? { provider_sid: sql<string>`coalesce(provider_sid, ${f.sid})` } : {}),
      ...(f.answeredBy !== undefined ? { answered_by: f.answeredBy } : {}),
      ...(f.durationSeconds !== undefined ? { duration_seconds: f.durationSeconds } : {}),
      ...(f.costMicros !== undefined ? { cost_micros: f.costMicros } : {}),
      ...(f.detail !== undefined ? { detail: f.detail } : {}),
      finished_at: sql<Date>`coalesce(finished_at, now())`,
    })
    .where("id", "=", id)
    // "unconfirmed" still takes the real outcome when Twilio's status callback brings it.
    .where("state", "in", ["dialling", "placed", "sending", "sent", "unconfirmed"])
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Ready orders of the last `withinMinutes` that have no ready-call outcome yet (their event may have been missed). */
export async function readyOrdersWithoutCall(db: Kysely<Database>, withinMinutes: number): Promise<{ id: string; location_id: string }[]> {
  return db
    .selectFrom("orders")
    .select(["id", "location_id"])
    .where("state", "=", "ready")
    .where("ready_call_outcome", "is", null)
    .where("ready_at", ">", sql<Date>`now() - make_interval(mins => ${withinMinutes})`)
    .limit(500)
    .execute();
}
