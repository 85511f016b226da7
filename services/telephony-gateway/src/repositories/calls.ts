import type { CallDisposition } from "@orderline/contracts";
import type { Database } from "@orderline/db";
import { type Kysely, sql } from "kysely";
import type { LocationSnapshot, ReturningCustomer } from "../state/session.ts";

export interface RoutedLocation extends LocationSnapshot {
  maxConcurrentCalls: number;
  /** The location's conversation settings row, when it has one. */
  settings: StoredConversationSettings | null;
}

export interface StoredConversationSettings {
  mode: "realtime" | "relay" | "gather";
  textEngine: "openai" | "local";
  realtimeModel: string;
  voice: string;
  language: string | null;
}

/** The active location the dialled number (E.164) routes to, or null. */
export async function findLocationByNumber(db: Kysely<Database>, to: string): Promise<RoutedLocation | null> {
  return routedLocation(db, to, { number: to });
}

/** An active location by id, for a call we place from `dialledNumber` (outbound confirmation calls). */
export async function findLocationById(db: Kysely<Database>, locationId: string, dialledNumber: string): Promise<RoutedLocation | null> {
  return routedLocation(db, dialledNumber, { id: locationId });
}

async function routedLocation(
  db: Kysely<Database>,
  dialledNumber: string,
  which: { number: string } | { id: string },
): Promise<RoutedLocation | null> {
  const row = await db
    .selectFrom("locations as l")
    .leftJoin("location_conversation_settings as cs", "cs.location_id", "l.id")
    .select([
      "cs.mode",
      "cs.text_engine",
      "cs.realtime_model",
      "cs.voice",
      "cs.language as conversation_language",
      "l.id",
      "l.brand_id",
      "l.name",
      "l.timezone",
      "l.language",
      "l.greeting",
      "l.recording_notice",
      "l.staff_transfer_numbers",
      "l.public_phone",
      "l.max_concurrent_calls",
    ])
    .where("l.active", "=", true)
    .where((eb) =>
      "number" in which
        ? eb.exists(eb.selectFrom("phone_numbers as p").select("p.id").whereRef("p.location_id", "=", "l.id").where("p.e164", "=", which.number))
        : eb("l.id", "=", which.id),
    )
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    brandId: row.brand_id,
    name: row.name,
    timezone: row.timezone,
    language: row.language,
    greeting: row.greeting,
    recordingNotice: row.recording_notice,
    staffNumbers: row.staff_transfer_numbers,
    publicPhone: row.public_phone,
    dialledNumber,
    maxConcurrentCalls: row.max_concurrent_calls,
    settings:
      row.mode && row.text_engine && row.realtime_model && row.voice
        ? { mode: row.mode, textEngine: row.text_engine, realtimeModel: row.realtime_model, voice: row.voice, language: row.conversation_language }
        : null,
  };
}

/** Names of the products callers can order at a location (speech-recognition hints). */
export async function orderableNames(db: Kysely<Database>, locationId: string, brandId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("products as pr")
    .leftJoin("location_product_overrides as o", (j) => j.onRef("o.product_id", "=", "pr.id").on("o.location_id", "=", locationId))
    .select("pr.name")
    .where("pr.brand_id", "=", brandId)
    .where("pr.active", "=", true)
    .where((eb) => eb.or([eb("o.hidden", "is", null), eb("o.hidden", "=", false)]))
    .orderBy("pr.sort")
    .limit(200)
    .execute();
  return rows.map((r) => r.name);
}

/** The brand's customer with this phone, with a short summary of their last submitted order. */
export async function findReturningCustomer(db: Kysely<Database>, brandId: string, phone: string): Promise<ReturningCustomer | null> {
  const customer = await db
    .selectFrom("customers")
    .select(["id", "name", "last_order_id"])
    .where("brand_id", "=", brandId)
    .where("phone", "=", phone)
    .executeTakeFirst();
  if (!customer) return null;
  let lastOrderId = customer.last_order_id;
  if (!lastOrderId) {
    const last = await db
      .selectFrom("orders")
      .select("id")
      .where("customer_id", "=", customer.id)
      .where("state", "not in", ["draft", "cancelled"])
      .orderBy("submitted_at", "desc")
      .limit(1)
      .executeTakeFirst();
    lastOrderId = last?.id ?? null;
  }
  let lastOrderSummary: string | null = null;
  if (lastOrderId) {
    const items = await db
      .selectFrom("order_items")
      .select(["product_name", "size_name", "quantity"])
      .where("order_id", "=", lastOrderId)
      .orderBy("position")
      .limit(10)
      .execute();
    if (items.length > 0) lastOrderSummary = items.map((i) => `${i.quantity} ${i.size_name ? `${i.size_name} ` : ""}${i.product_name}`).join(", ");
  }
  if (!customer.name && !lastOrderSummary) return null;
  return { name: customer.name, lastOrderSummary };
}

/** Records the call once (a Twilio retry of the webhook finds the row already there). */
export async function recordCallStart(
  db: Kysely<Database>,
  call: { callSid: string; locationId: string | null; from: string | null; to: string | null; disposition?: CallDisposition; direction?: "inbound" | "outbound" },
): Promise<void> {
  await db
    .insertInto("voice_calls")
    .values({
      call_sid: call.callSid,
      location_id: call.locationId,
      direction: call.direction ?? "inbound",
      phone_from: call.from,
      phone_to: call.to,
      ...(call.disposition ? { disposition: call.disposition, ended_at: sql<Date>`now()` } : {}),
    })
    .onConflict((oc) => oc.column("call_sid").doNothing())
    .execute();
}
