import { type RequestEnvelope, ToolFailure, type ToolArgs, type ToolResult } from "@orderline/contracts";
import { buildCart } from "../cart.ts";
import type { OrderContext } from "../context.ts";
import { readback } from "../domain/speech.ts";
import { insertDraftIfAbsent, lockDraft, updateDraftTotals } from "../repositories/orders.ts";
import { requireLocation, scopeOf } from "./common.ts";

/** Creates the call's draft at once (so the cart survives a gateway pod dying), or returns it, switching its type. */
export async function startOrder(ctx: OrderContext, args: ToolArgs<"start_order">, envelope: RequestEnvelope): Promise<ToolResult<"start_order">> {
  const scope = scopeOf(envelope);
  const now = ctx.clock();
  const location = await requireLocation(ctx, envelope.locationId);
  const empty = buildCart({ id: "", order_type: args.order_type, state: "draft" }, [], location, ctx.config);
  return ctx.db.transaction().execute(async (tx) => {
    const inserted = await insertDraftIfAbsent(tx, {
      ...scope,
      orderType: args.order_type,
      customerPhone: envelope.callerPhone ?? null,
      deliveryFeeCents: empty.totals.deliveryFeeCents,
      flags: empty.cart.flags,
      now,
    });
    const created = inserted !== undefined;
    const locked = created ? undefined : await lockDraft(tx, scope, undefined, { withLines: true });
    const draft = inserted ?? locked?.draft;
    if (!draft) {
      // The session id is taken by a draft of another call or location: never touch it, never reveal it.
      throw new ToolFailure("forbidden", "Sorry, I couldn't open an order on this call.", { orderSessionId: envelope.orderSessionId });
    }
    const switched = draft.order_type !== args.order_type;
    const order = { ...draft, order_type: args.order_type };
    const lines = locked?.lines ?? [];
    const { cart, totals } = buildCart(order, lines, location, ctx.config);
    if (switched) {
      await updateDraftTotals(tx, draft.id, { orderType: args.order_type, ...totals, flags: cart.flags }, now);
    }
    let speech: string;
    if (created) speech = `Okay, a ${args.order_type} order. What would you like?`;
    else if (lines.length === 0) speech = switched ? `Okay, it's a ${args.order_type} order now. What would you like?` : `Okay, a ${args.order_type} order. What would you like?`;
    else speech = `${switched ? `Okay, I've changed it to ${args.order_type}. ` : ""}So far I have ${readback(lines, cart)}.`;
    return { cart, resumed: !created, speech };
  });
}
