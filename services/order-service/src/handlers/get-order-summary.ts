import type { RequestEnvelope, ToolArgs, ToolResult } from "@orderline/contracts";
import { buildCart } from "../cart.ts";
import type { OrderContext } from "../context.ts";
import { readback } from "../domain/speech.ts";
import { findCustomerByPhone } from "../repositories/customers.ts";
import { lockDraft } from "../repositories/orders.ts";
import { noDraftFailure, requireLocation, scopeOf } from "./common.ts";

export async function getOrderSummary(
  ctx: OrderContext,
  _args: ToolArgs<"get_order_summary">,
  envelope: RequestEnvelope,
): Promise<ToolResult<"get_order_summary">> {
  const scope = scopeOf(envelope);
  const location = await requireLocation(ctx, envelope.locationId, ctx.clock());
  const { draft, lines } = await lockDraft(ctx.db, scope, undefined, { withLines: true, lock: false });
  if (!draft) throw await noDraftFailure(ctx.db, scope);
  const { cart } = buildCart(draft, lines, location, ctx.config);
  const phone = draft.customer_phone ?? envelope.callerPhone;
  const known = phone ? await findCustomerByPhone(ctx.db, location.brand_id, phone) : undefined;
  const customer = known ? { name: known.name, rewardsPoints: known.rewards_points } : null;
  let speech = lines.length === 0 ? "Your order is empty so far. What would you like?" : `You have ${readback(lines, cart)}.`;
  if (cart.flags.largeOrder) speech += " That's a large order — I can connect you with our staff to help with it if you like.";
  if (customer && customer.rewardsPoints > 0) {
    speech += ` ${customer.name ? `${customer.name}, you` : "You"} have ${customer.rewardsPoints} reward points.`;
  }
  return { cart, customer, speech };
}
