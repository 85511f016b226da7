import type { OrderSoFar } from "@orderline/contracts";
import type { Database } from "@orderline/db";
import type { Kysely } from "kysely";

/**
 * The caller's order so far, read from Postgres (not from the order service: a transfer for a technical
 * failure must work when that service is the one down): the newest order of this call that is not
 * cancelled — the open draft while ordering, else the last one submitted.
 */
export async function orderSoFar(db: Kysely<Database>, scope: { callSid: string; orderSessionId: string; locationId: string }): Promise<OrderSoFar | null> {
  const order = await db
    .selectFrom("orders")
    .select(["id", "order_number", "state", "order_type", "total_cents", "flags"])
    .where("location_id", "=", scope.locationId)
    .where((eb) => eb.or([eb("call_sid", "=", scope.callSid), eb("order_session_id", "=", scope.orderSessionId)]))
    .where("state", "!=", "cancelled")
    .orderBy((eb) => eb.case().when("state", "=", "draft").then(0).else(1).end())
    .orderBy("created_at", "desc")
    .limit(1)
    .executeTakeFirst();
  if (!order) return null;
  const items = await db
    .selectFrom("order_items")
    .select(["id", "product_name", "size_name", "quantity"])
    .where("order_id", "=", order.id)
    .orderBy("position")
    .orderBy("created_at")
    .execute();
  const modifiers =
    items.length === 0
      ? []
      : await db
          .selectFrom("order_item_modifiers")
          .select(["order_item_id", "name", "action"])
          .where(
            "order_item_id",
            "in",
            items.map((i) => i.id),
          )
          .orderBy("created_at")
          .orderBy("name")
          .execute();
  const spoken = (m: { name: string; action: string }) => (m.action === "no" ? `no ${m.name}` : m.action === "extra" ? `extra ${m.name}` : m.name);
  return {
    orderId: order.id,
    orderNumber: order.order_number,
    state: order.state,
    orderType: order.order_type,
    lines: items.map((i) => ({
      quantity: i.quantity,
      name: i.product_name,
      size: i.size_name,
      modifiers: modifiers.filter((m) => m.order_item_id === i.id).map(spoken),
    })),
    itemCount: items.reduce((n, i) => n + i.quantity, 0),
    totalCents: order.total_cents,
    largeOrder: order.flags["largeOrder"] === true,
  };
}
