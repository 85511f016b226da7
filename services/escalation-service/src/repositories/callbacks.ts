import type { CallbackCause, CallbackState, EscalationReason, OrderSoFar } from "@orderline/contracts";
import type { CallbackRequest, Database } from "@orderline/db";
import type { Kysely } from "kysely";

export interface NewCallbackRequest {
  locationId: string;
  callSid: string;
  callId: string | null;
  callerPhone: string | null;
  reason: EscalationReason;
  summary: string;
  order: OrderSoFar | null;
  cause: CallbackCause;
  expectedBy: Date | null;
}

/** Stores the call's callback request (one per call: a repeat returns the stored one, `created: false`). */
export async function storeCallbackRequest(db: Kysely<Database>, c: NewCallbackRequest): Promise<{ row: CallbackRequest; created: boolean }> {
  const inserted = await db
    .insertInto("callback_requests")
    .values({
      location_id: c.locationId,
      call_sid: c.callSid,
      call_id: c.callId,
      caller_phone: c.callerPhone,
      reason: c.reason,
      summary: c.summary,
      order_id: c.order?.orderId ?? null,
      order_so_far: c.order ? JSON.stringify(c.order) : null,
      cause: c.cause,
      expected_by: c.expectedBy,
    })
    .onConflict((oc) => oc.column("call_sid").doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { row: inserted, created: true };
  const row = await db.selectFrom("callback_requests").selectAll().where("call_sid", "=", c.callSid).executeTakeFirstOrThrow();
  return { row, created: false };
}

export async function recordNotification(db: Kysely<Database>, id: string, n: { notifiedTo: string | null; smsSid: string | null; error: string | null }): Promise<void> {
  await db.updateTable("callback_requests").set({ notified_to: n.notifiedTo, sms_sid: n.smsSid, notify_error: n.error }).where("id", "=", id).execute();
}

/** Moves a callback request to open or done; null when it is not this location's. */
export async function setCallbackState(
  db: Kysely<Database>,
  req: { id: string; locationId: string; to: CallbackState; actor: string; note: string | undefined; now: Date },
): Promise<{ from: CallbackState; changed: boolean } | null> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom("callback_requests")
      .select(["state"])
      .where("id", "=", req.id)
      .where("location_id", "=", req.locationId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) return null;
    if (row.state === req.to) return { from: row.state, changed: false };
    await trx
      .updateTable("callback_requests")
      .set(
        req.to === "done"
          ? { state: "done", done_at: req.now, done_by: req.actor, ...(req.note !== undefined ? { note: req.note } : {}) }
          : { state: "open", done_at: null, done_by: null, ...(req.note !== undefined ? { note: req.note } : {}) },
      )
      .where("id", "=", req.id)
      .execute();
    return { from: row.state, changed: true };
  });
}
