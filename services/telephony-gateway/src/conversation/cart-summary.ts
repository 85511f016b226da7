import { type Cart, formatCents, TOOLS, type ToolReply } from "@orderline/contracts";

/** "1 large Pepperoni Pizza, 2 Coke (total $25.10)" — for staff whispers and a resumed session's context. */
export function cartSummary(cart: Cart): string | null {
  if (cart.lines.length === 0) return null;
  const items = cart.lines.map((l) => `${l.quantity} ${l.size ? `${l.size} ` : ""}${l.name}`).join(", ");
  return `${items} (total ${formatCents(cart.totalCents)})`;
}

/** The cart of a get_order_summary reply, checked against the registry's result schema; null otherwise. */
export function cartOfSummaryReply(reply: ToolReply<unknown>): Cart | null {
  if (!reply.ok) return null;
  const parsed = TOOLS.get_order_summary.result.safeParse(reply.result);
  return parsed.success ? parsed.data.cart : null;
}
