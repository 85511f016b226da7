import { SPOKEN } from "@orderline/catalog";
import { type RequestEnvelope, ToolFailure, type ToolArgs, type ToolResult } from "@orderline/contracts";
import { buildCart } from "../cart.ts";
import type { OrderContext } from "../context.ts";
import { CONFIRMATION_MESSAGES } from "../domain/confirmation-messages.ts";
import { describeLine, readback } from "../domain/speech.ts";
import { attachConfirmingCall, findConfirmationOrder } from "../repositories/confirmations.ts";
import { loadLines } from "../repositories/orders.ts";
import { requireLocation, scopeOf, speechFor } from "./common.ts";

/**
 * The order a confirmation call is about, read back as the menu names its items. The first review of a CALLED
 * order hands it to this call (its cart tools then change this order and nothing else).
 */
export async function reviewOrder(ctx: OrderContext, _args: ToolArgs<"review_order">, envelope: RequestEnvelope): Promise<ToolResult<"review_order">> {
  const scope = scopeOf(envelope);
  const location = await requireLocation(ctx, envelope);
  const { language } = speechFor(envelope, location);
  const say = CONFIRMATION_MESSAGES[language];
  await attachConfirmingCall(ctx.db, scope);
  const order = await findConfirmationOrder(ctx.db, scope);
  if (!order) throw new ToolFailure("no_open_order", say.notAwaiting(null));
  const lines = await loadLines(ctx.db, order.id);
  const built = buildCart(order, lines, location, ctx.config).cart;
  // A placed order keeps the totals it was placed with.
  const cart =
    order.state === "draft"
      ? built
      : { ...built, subtotalCents: order.subtotal_cents, taxCents: order.tax_cents, deliveryFeeCents: order.delivery_fee_cents, totalCents: order.total_cents };
  return {
    cart,
    customerName: order.customer_name,
    confirmationState: order.confirmation_state ?? "new",
    notes: order.notes,
    unmatched: order.confirmation_unmatched,
    itemsSpeech: SPOKEN[language].list(
      lines.map((l) => describeLine(l, language)),
      "and",
    ),
    speech: say.reviewed(readback(lines, cart, language), order.confirmation_unmatched),
  };
}
