import { type OrderStatusEvent, type SetOrderStateRequest, type SetOrderStateResult, ToolFailure } from "@orderline/contracts";
import type { OrderContext } from "../context.ts";
import { canTransition, stateTimestampColumn } from "../domain/order-state.ts";
import { findOrder, insertStatusEvent } from "../repositories/orders.ts";

/**
 * Staff-side state change (kitchen screen, dashboard, outbound-call worker). Enforces ORDER_TRANSITIONS and
 * location ownership, records an order_status_events row and publishes the event after commit. Asking for the
 * state the order is already in is a no-op (`changed: false`), so retries are safe.
 */
export async function setOrderState(ctx: OrderContext, req: SetOrderStateRequest): Promise<SetOrderStateResult> {
  const now = ctx.clock();
  let event: OrderStatusEvent | undefined;
  const result = await ctx.db.transaction().execute(async (tx): Promise<SetOrderStateResult> => {
    const order = await findOrder(tx, req.orderId, { forUpdate: true });
    // Same answer whether the order is another location's or does not exist: nothing leaks across locations.
    if (!order || order.location_id !== req.locationId) {
      throw new ToolFailure("wrong_location", "That order isn't one of this location's orders.", { orderId: req.orderId });
    }
    if (order.state === req.to) return { orderId: order.id, from: order.state, to: req.to, changed: false };
    if (order.state === "draft" || !canTransition(order.state, req.to)) {
      throw new ToolFailure("order_not_editable", `An order that is ${order.state.replace("_", " ")} can't be moved to ${req.to.replace("_", " ")}.`, {
        from: order.state,
        to: req.to,
      });
    }
    const column = stateTimestampColumn(req.to);
    await tx
      .updateTable("orders")
      .set({ state: req.to, updated_at: now, ...(column ? { [column]: now } : {}) })
      .where("id", "=", order.id)
      .execute();
    await insertStatusEvent(tx, { orderId: order.id, from: order.state, to: req.to, at: now, actor: req.actor, note: req.note ?? null });
    event = { orderId: order.id, locationId: order.location_id, orderNumber: order.order_number, from: order.state, to: req.to, at: now.toISOString(), actor: req.actor };
    return { orderId: order.id, from: order.state, to: req.to, changed: true };
  });
  if (event) ctx.publishStatus(event);
  return result;
}
