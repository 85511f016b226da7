import { type RequestEnvelope, ToolFailure } from "@orderline/contracts";
import type { Order } from "@orderline/db";
import type { OrderContext } from "../context.ts";
import { type CallScope, type Db, findDraft, findLatestPlacedOrder, findLocation, type LocationRow } from "../repositories/orders.ts";
import { findAppliedReply, storeAppliedReply } from "../repositories/tool-requests.ts";

export function scopeOf(envelope: RequestEnvelope): CallScope {
  return { locationId: envelope.locationId, callSid: envelope.callSid, orderSessionId: envelope.orderSessionId };
}

export async function requireLocation(db: Db, locationId: string): Promise<LocationRow> {
  const location = await findLocation(db, locationId);
  if (!location?.active) {
    throw new ToolFailure("unknown_location", "Sorry, I can't take orders for this restaurant right now.", { locationId });
  }
  return location;
}

/** Why there is no draft to work on: the order was already placed, or none was started. */
export async function noDraftFailure(db: Db, scope: CallScope): Promise<ToolFailure> {
  const placed = await findLatestPlacedOrder(db, scope);
  if (placed) {
    return new ToolFailure(
      "order_not_editable",
      `Your order${placed.order_number ? ` number ${placed.order_number}` : ""} has already been placed, so I can't change it. I can start a new order if you like.`,
      { orderId: placed.id, orderNumber: placed.order_number, state: placed.state },
    );
  }
  return new ToolFailure("no_open_order", "Let's start your order first — is it for pickup or delivery?");
}

/**
 * Runs a change to this call's draft in one transaction with the draft row locked, so the changes of one cart
 * are serialized. With `envelope.requestId` the reply is stored in the same transaction and a retry of that
 * requestId returns it unchanged (at most once). A ToolFailure rolls everything back.
 */
export async function mutateDraft<R>(
  ctx: OrderContext,
  envelope: RequestEnvelope,
  tool: string,
  change: (tx: Db, draft: Order, location: LocationRow) => Promise<R>,
): Promise<R> {
  const scope = scopeOf(envelope);
  const location = await requireLocation(ctx.db, envelope.locationId);
  return ctx.db.transaction().execute(async (tx) => {
    const draft = await findDraft(tx, scope, { forUpdate: true });
    if (envelope.requestId !== undefined) {
      // Checked after the lock: a retry racing its own original waits for it, then sees its reply.
      const prior = await findAppliedReply(tx, envelope.callSid, envelope.requestId, tool);
      if (prior !== undefined) return prior as R;
    }
    if (!draft) throw await noDraftFailure(tx, scope);
    const reply = await change(tx, draft, location);
    if (envelope.requestId !== undefined) {
      await storeAppliedReply(tx, { callSid: envelope.callSid, requestId: envelope.requestId, tool, orderId: draft.id, reply, now: ctx.clock() });
    }
    return reply;
  });
}
