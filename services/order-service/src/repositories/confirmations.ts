import type { Order } from "@orderline/db";
import type { CallScope, Db } from "./orders.ts";

/**
 * The confirming call takes its order: the draft keyed by the call's confirmation session gets the call's SID,
 * so the cart tools (keyed by location, call and session) work on it. Only a CALLED order is taken; a repeat
 * changes nothing.
 */
export async function attachConfirmingCall(db: Db, scope: CallScope): Promise<void> {
  await db
    .updateTable("orders")
    .set({ call_sid: scope.callSid, confirmation_call_sid: scope.callSid })
    .where("order_session_id", "=", scope.orderSessionId)
    .where("location_id", "=", scope.locationId)
    .where("state", "=", "draft")
    .where("confirmation_state", "=", "called")
    .where((eb) => eb.or([eb("call_sid", "is", null), eb("call_sid", "<>", scope.callSid)]))
    .execute();
}

/** The order of a confirmation session at this location, whatever its state. */
export async function findConfirmationOrder(db: Db, scope: CallScope): Promise<Order | undefined> {
  return db
    .selectFrom("orders")
    .selectAll()
    .where("order_session_id", "=", scope.orderSessionId)
    .where("location_id", "=", scope.locationId)
    .executeTakeFirst();
}
