import type { RequestEnvelope, ToolArgs, ToolResult } from "@orderline/contracts";
import { buildCart } from "../cart.ts";
import type { OrderContext } from "../context.ts";
import { readback } from "../domain/speech.ts";
import { findCustomerByPhone } from "../repositories/customers.ts";
import { findLatestPlacedOrder, findOrder, loadLines, lockDraft } from "../repositories/orders.ts";
import { noDraftFailure, requireLocation, scopeOf, speechFor } from "./common.ts";

export async function getOrderSummary(
  ctx: OrderContext,
  _args: ToolArgs<"get_order_summary">,
  envelope: RequestEnvelope,
): Promise<ToolResult<"get_order_summary">> {
  const scope = scopeOf(envelope);
  const location = await requireLocation(ctx, envelope);
  const { language, say } = speechFor(envelope, location);
  let { draft: order, lines } = await lockDraft(ctx.db, scope, undefined, { withLines: true, lock: false });
  if (!order) {
    // After submit_order the caller may still ask "what did I order?": read back the placed order.
    const placed = await findLatestPlacedOrder(ctx.db, scope);
    order = placed ? await findOrder(ctx.db, placed.id) : undefined;
    if (!order) throw await noDraftFailure(ctx.db, scope, say);
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
      ? say.summaryPlaced(order.order_number, readback(lines, cart, language))
      : lines.length === 0
        ? say.summaryEmpty
        : say.summaryDraft(readback(lines, cart, language));
  if (order.state === "draft" && cart.flags.largeOrder) speech += ` ${say.largeOrder}`;
  if (customer && customer.rewardsPoints > 0) speech += ` ${say.rewardPoints(customer.name, customer.rewardsPoints)}`;
  return { cart, customer, speech };
}
