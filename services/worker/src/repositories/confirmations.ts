import { CONFIRMATION_EVENT_COLUMNS, type ConfirmationRow, type Database } from "@orderline/db";
import { type Kysely, sql } from "kysely";

export interface ConfirmationOrder extends ConfirmationRow {
  customer_name: string | null;
  customer_phone: string | null;
  confirmation_attempts: number;
  lines: number;
  location: { name: string; language: string; timezone: string; publicPhone: string; outboundNumber: string | null };
}

/** The order with what its confirmation call needs (location, caller ID, line count), or null when unknown. */
export async function loadConfirmationOrder(db: Kysely<Database>, orderId: string): Promise<ConfirmationOrder | null> {
  const row = await db
    .selectFrom("orders as o")
    .innerJoin("locations as l", "l.id", "o.location_id")
    .select(CONFIRMATION_EVENT_COLUMNS.map((c) => `o.${c}` as const))
    .select([
      "o.customer_name",
      "o.customer_phone",
      "o.confirmation_attempts",
      "l.name as location_name",
      "l.language",
      "l.timezone",
      "l.public_phone",
      sql<number>`(SELECT count(*)::int FROM order_items i WHERE i.order_id = o.id)`.as("lines"),
      sql<string | null>`(SELECT p.e164 FROM phone_numbers p WHERE p.location_id = l.id AND p.purpose = 'outbound' ORDER BY p.e164 LIMIT 1)`.as("outbound_number"),
    ])
    .where("o.id", "=", orderId)
    .executeTakeFirst();
  if (!row) return null;
  const { location_name, language, timezone, public_phone, outbound_number, ...order } = row;
  return { ...order, location: { name: location_name, language, timezone, publicPhone: public_phone, outboundNumber: outbound_number } };
}

/**
 * NEW → CALLED: takes the lock in the statement that checks NEW and no lock (two workers racing: one wins), and
 * writes the dial attempt (`order_notifications`, state dialling) in the same transaction — before Twilio is asked.
 * Null when the order was not NEW or was locked (someone else is calling).
 */
export async function claimForCall(
  db: Kysely<Database>,
  c: { orderId: string; to: string; from: string },
): Promise<{ attemptId: string; attempt: number; row: ConfirmationRow } | null> {
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .updateTable("orders")
      .set({
        confirmation_state: "called",
        confirmation_locked_at: sql<Date>`now()`,
        confirmation_called_at: sql<Date>`now()`,
        confirmation_updated_at: sql<Date>`now()`,
        confirmation_failure: null,
        confirmation_attempts: sql<number>`confirmation_attempts + 1`,
      })
      .where("id", "=", c.orderId)
      .where("confirmation_state", "=", "new")
      .where("confirmation_locked_at", "is", null)
      .returning([...CONFIRMATION_EVENT_COLUMNS, "confirmation_attempts"])
      .executeTakeFirst();
    if (!row) return null;
    const { confirmation_attempts: attempt, ...event } = row;
    const attemptRow = await tx
      .insertInto("order_notifications")
      .values({ order_id: c.orderId, kind: "confirmation_call", attempt, state: "dialling", to_phone: c.to, from_phone: c.from })
      .returning("id")
      .executeTakeFirstOrThrow();
    return { attemptId: attemptRow.id, attempt, row: event };
  });
}

/** The call SID Twilio gave the attempt, on the order too (the sheet and staff see which call it was). */
export async function recordCallSid(db: Kysely<Database>, orderId: string, sid: string): Promise<void> {
  await db.updateTable("orders").set({ confirmation_call_sid: sid }).where("id", "=", orderId).execute();
}

/** CALLED → FAILED with the reason, lock cleared; null when the order was no longer CALLED (the customer answered). */
export async function failCalled(db: Kysely<Database>, orderId: string, reason: string): Promise<ConfirmationRow | null> {
  const row = await db
    .updateTable("orders")
    .set({ confirmation_state: "failed", confirmation_locked_at: null, confirmation_failure: reason, confirmation_updated_at: sql<Date>`now()` })
    .where("id", "=", orderId)
    .where("confirmation_state", "=", "called")
    .returning(CONFIRMATION_EVENT_COLUMNS)
    .executeTakeFirst();
  return row ?? null;
}

/** NEW → FAILED without a call (invalid phone, no items): the reason is on the order. */
export async function failNew(db: Kysely<Database>, orderId: string, reason: string): Promise<ConfirmationRow | null> {
  const row = await db
    .updateTable("orders")
    .set({ confirmation_state: "failed", confirmation_failure: reason, confirmation_updated_at: sql<Date>`now()` })
    .where("id", "=", orderId)
    .where("confirmation_state", "=", "new")
    .where("confirmation_locked_at", "is", null)
    .returning(CONFIRMATION_EVENT_COLUMNS)
    .executeTakeFirst();
  return row ?? null;
}

/** A retry on request: FAILED → NEW (the reason stays in the attempts' history); null when it was not FAILED. */
export async function reopenFailed(db: Kysely<Database>, orderId: string): Promise<ConfirmationRow | null> {
  const row = await db
    .updateTable("orders")
    .set({ confirmation_state: "new", confirmation_failure: null, confirmation_updated_at: sql<Date>`now()` })
    .where("id", "=", orderId)
    .where("confirmation_state", "=", "failed")
    .returning(CONFIRMATION_EVENT_COLUMNS)
    .executeTakeFirst();
  return row ?? null;
}

/** NEW orders of locations that call without a trigger. */
export async function autoCallCandidates(db: Kysely<Database>): Promise<{ id: string; location_id: string; confirmation_attempts: number }[]> {
  return db
    .selectFrom("orders as o")
    .innerJoin("locations as l", "l.id", "o.location_id")
    .select(["o.id", "o.location_id", "o.confirmation_attempts"])
    .where("o.confirmation_state", "=", "new")
    .where("o.confirmation_locked_at", "is", null)
    .where("l.confirmation_auto_call", "=", true)
    .limit(500)
    .execute();
}

/**
 * CALLED orders whose attempt is still "dialling" (the worker stopped between writing it and hearing from Twilio)
 * or "placed" with no final status (its callback was lost) after `staleMs`; the sweep settles them.
 */
export async function staleCalled(db: Kysely<Database>, staleMs: number): Promise<{ id: string; attemptId: string; state: string; sid: string | null }[]> {
  return db
    .selectFrom("orders as o")
    .innerJoin("order_notifications as n", (j) => j.onRef("n.order_id", "=", "o.id").onRef("n.attempt", "=", "o.confirmation_attempts").on("n.kind", "=", "confirmation_call"))
    .select(["o.id", "n.id as attemptId", "n.state", "n.provider_sid as sid"])
    .where("o.confirmation_state", "=", "called")
    .where("n.state", "in", ["dialling", "placed"])
    .where("o.confirmation_locked_at", "<", sql<Date>`now() - make_interval(secs => ${staleMs / 1000})`)
    .limit(500)
    .execute();
}
