import { type RequestEnvelope, ToolFailure, type ToolArgs, type ToolResult } from "@orderline/contracts";
import { buildCart } from "../cart.ts";
import type { OrderContext } from "../context.ts";
import { readback } from "../domain/speech.ts";
import { insertDraftIfAbsent, lockDraft, updateDraftTotals } from "../repositories/orders.ts";
import { requireLocation, scopeOf, speechFor } from "./common.ts";

/** Creates the call's draft at once (so the cart survives a gateway pod dying), or returns it, switching its type. */
export async function startOrder(ctx: OrderContext, args: ToolArgs<"start_order">, envelope: RequestEnvelope): Promise<ToolResult<"start_order">> {
  const scope = scopeOf(envelope);
  const now = ctx.clock();
  const location = await requireLocation(ctx, envelope);
  const { language, say } = speechFor(envelope, location);
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
      throw new ToolFailure("forbidden", say.cannotOpenOrder, { orderSessionId: envelope.orderSessionId });
    }
    const switched = draft.order_type !== args.order_type;
    const order = { ...draft, order_type: args.order_type };
    const lines = locked?.lines ?? [];
    const { cart, totals } = buildCart(order, lines, location, ctx.config);
    if (switched) {
      await updateDraftTotals(tx, draft.id, { orderType: args.order_type, ...totals, flags: cart.flags }, now);
    }
    let speech: string;
    if (created) speech = say.startOrder(args.order_type);
    else if (lines.length === 0) speech = switched ? say.switchedEmpty(args.order_type) : say.startOrder(args.order_type);
    else speech = say.resumed(switched ? args.order_type : null, readback(lines, cart, language));
    return { cart, resumed: !created, speech };
  });
}
