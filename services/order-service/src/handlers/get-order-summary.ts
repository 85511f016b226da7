import type { RequestEnvelope, ToolArgs, ToolResult } from "@orderline/contracts";
import { buildCart } from "../cart.ts";
import type { OrderContext } from "../context.ts";
import { readback } from "../domain/speech.ts";
import { findCustomerByPhone } from "../repositories/customers.ts";
import { findLatestPlacedOrder, findOrder, loadLines, lockDraft } from "../repositories/orders.ts";
import { noDraftFailure, requireLocation, scopeOf } from "./common.ts";

export async function getOrderSummary(
  ctx: OrderContext,
  _args: ToolArgs<"get_order_summary">,
  envelope: RequestEnvelope,
): Promise<ToolResult<"get_order_summary">> {
  const scope = scopeOf(envelope);
  const location = await requireLocation(ctx, envelope.locationId);
  let { draft: order, lines } = await lockDraft(ctx.db, scope, undefined, { withLines: true, lock: false });
  if (!order) {
    // After submit_order the caller may still ask "what did I order?": read back the placed order.
    const placed = await findLatestPlacedOrder(ctx.db, scope);
    order = placed ? await findOrder(ctx.db, placed.id) : undefined;
    if (!order) throw await noDraftFailure(ctx.db, scope);
    lines = await loadLines(ctx.db, order.id);
  }
  const built = buildCart(order, lines, location, ctx.config).cart;
  // A placed order keeps the totals it was placed with, even if the menu or tax rate changed since.
  const cart =
    order.state === "draft"
      ? built
      : { ...built, subtotalCents: order.subtotal_cents, taxCents: order.tax_cents, deliveryFeeCents: order.delivery_fee_cents, totalCents: order.total_cents };
  const phone = order.customer_phone ?? envelope.callerPhone;
  const known = phone ? await findCustomerByPhone(ctx.db, location.brandId, phone) : undefined;
  const customer = known ? { name: known.name, rewardsPoints: known.rewards_points } : null;
  let speech =
    order.state !== "draft"
      ? `Your order${order.order_number ? ` number ${order.order_number}` : ""} is placed: ${readback(lines, cart)}.`
      : lines.length === 0
        ? "Your order is empty so far. What would you like?"
        : `You have ${readback(lines, cart)}.`;
  if (order.state === "draft" && cart.flags.largeOrder) speech += " That's a large order — I can connect you with our staff to help with it if you like.";
  if (customer && customer.rewardsPoints > 0) {
    speech += ` ${customer.name ? `${customer.name}, you` : "You"} have ${customer.rewardsPoints} reward points.`;
  }
  return { cart, customer, speech };
}
