import { type Cart, type ConfirmationState, type ConfirmationStateEvent, type FinalOrder, type OrderStatusEvent, type RequestEnvelope, ToolFailure } from "@orderline/contracts";
import { confirmationEventOf } from "@orderline/db";
import { DateTime } from "luxon";
import { buildCart } from "../cart.ts";
import type { OrderContext } from "../context.ts";
import { CONFIRMATION_MESSAGES } from "../domain/confirmation-messages.ts";
import { finalOrderOf, linesSignature } from "../domain/final-order.ts";
import { readback } from "../domain/speech.ts";
import { estimateWait, menuFor } from "../menu.ts";
import { upsertCustomerForOrder } from "../repositories/customers.ts";
import { findConfirmationOrder } from "../repositories/confirmations.ts";
import { insertStatusEvent, loadLines, lockDraft, nextOrderNumber } from "../repositories/orders.ts";
import { announceCountedOut, type CountedOut, reserveStock } from "../stock.ts";
import { scopeOf, speechFor } from "./common.ts";

export interface Finished {
  confirmationState: ConfirmationState;
  finalOrder: FinalOrder;
  cart: Cart;
  speech: string;
}

const FINISHED: ReadonlySet<string> = new Set(["confirmed", "updated", "cancelled"]);

/**
 * The customer's answer on a confirmation call, in one transaction on the locked draft: confirm → the order is
 * placed (number, customer, ready time) and CONFIRMED, or UPDATED when its lines changed on the call; cancel →
 * cancelled. Either way the final order JSON is stored and the lock cleared. A repeat by the same call (a retry
 * after a timeout) gets the stored outcome back.
 */
export async function finishConfirmation(ctx: OrderContext, envelope: RequestEnvelope, answer: { kind: "confirm" | "cancel"; notes: string | undefined }): Promise<Finished> {
  const scope = scopeOf(envelope);
  const menu = await menuFor(ctx, envelope.locationId);
  const location = menu.location;
  const { language, say: orderSay } = speechFor(envelope, location);
  const say = CONFIRMATION_MESSAGES[language];
  const now = ctx.clock();
  let status: OrderStatusEvent | undefined;
  let changedEvent: ConfirmationStateEvent | undefined;
  let countedOut: CountedOut = [];
  const result = await ctx.db.transaction().execute(async (tx): Promise<Finished> => {
    const { draft, lines } = await lockDraft(tx, scope, undefined, { withLines: true });
    if (draft?.confirmation_state !== "called") {
      const order = draft ?? (await findConfirmationOrder(tx, scope));
      if (order && order.call_sid === scope.callSid && FINISHED.has(order.confirmation_state ?? "") && order.final_order_json) {
        const stored = order.final_order_json as unknown as FinalOrder;
        const placedLines = await loadLines(tx, order.id);
        const cart = buildCart(order, placedLines, location, ctx.config).cart;
        const speech = order.confirmation_state === "cancelled" ? say.cancelled : say.confirmed(readback(placedLines, cart, language), stored.action === "modify");
        return { confirmationState: order.confirmation_state!, finalOrder: stored, cart, speech };
      }
      throw new ToolFailure("order_not_editable", say.notAwaiting(order?.confirmation_state ?? null), { confirmationState: order?.confirmation_state ?? null });
    }
    const { cart, totals } = buildCart(draft, lines, location, ctx.config);
    const notes = answer.notes ?? draft.confirmation_notes ?? null;
    let confirmationState: ConfirmationState;
    let finalOrder: FinalOrder;
    if (answer.kind === "cancel") {
      confirmationState = "cancelled";
      finalOrder = finalOrderOf("cancel", lines, cart, notes);
      await tx.updateTable("orders").set({ state: "cancelled", cancelled_at: now, updated_at: now }).where("id", "=", draft.id).execute();
      await insertStatusEvent(tx, { orderId: draft.id, from: "draft", to: "cancelled", at: now, actor: "order-service:confirmation", note: answer.notes ?? null });
      status = { orderId: draft.id, locationId: location.id, orderNumber: null, from: "draft", to: "cancelled", at: now.toISOString(), actor: "order-service:confirmation" };
    } else {
      if (lines.length === 0) throw new ToolFailure("empty_cart", say.nothingToConfirm);
      const changed = draft.confirmation_original === null || linesSignature(lines) !== JSON.stringify(draft.confirmation_original);
      confirmationState = changed ? "updated" : "confirmed";
      finalOrder = finalOrderOf(changed ? "modify" : "confirm", lines, cart, notes);
      const businessDate = DateTime.fromJSDate(now, { zone: location.timezone }).toISODate()!;
      const waitMinutes = await estimateWait(tx, menu, draft.order_type, now);
      const customer = draft.customer_phone
        ? await upsertCustomerForOrder(tx, { brandId: location.brandId, phone: draft.customer_phone, name: draft.customer_name ?? "", points: 0, orderId: draft.id, now })
        : null;
      // The same stock rules as submit_order: an item 86'd or an ingredient out since the order was taken in is
      // refused with the spoken reason (the customer can change the order on the call); counted ingredients go down.
      countedOut = await reserveStock(tx, { menu, lines, orderId: draft.id, now, say: orderSay });
      const orderNumber = await nextOrderNumber(tx, location.id, businessDate);
      await tx
        .updateTable("orders")
        .set({
          state: "submitted",
          business_date: businessDate,
          order_number: orderNumber,
          customer_id: customer?.id ?? null,
          subtotal_cents: totals.subtotalCents,
          tax_cents: totals.taxCents,
          delivery_fee_cents: totals.deliveryFeeCents,
          total_cents: totals.totalCents,
          submitted_at: now,
          promised_at: new Date(now.getTime() + waitMinutes * 60_000),
          updated_at: now,
        })
        .where("id", "=", draft.id)
        .execute();
      await insertStatusEvent(tx, { orderId: draft.id, from: "draft", to: "submitted", at: now, actor: "order-service:confirmation", note: null });
      status = { orderId: draft.id, locationId: location.id, orderNumber, from: "draft", to: "submitted", at: now.toISOString(), actor: "order-service:confirmation" };
    }
    const row = await tx
      .updateTable("orders")
      .set({
        confirmation_state: confirmationState,
        confirmation_locked_at: null,
        confirmation_updated_at: now,
        final_order_json: JSON.stringify(finalOrder),
        confirmation_notes: notes,
        confirmation_failure: null,
      })
      .where("id", "=", draft.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    changedEvent = confirmationEventOf(row);
    const speech = answer.kind === "cancel" ? say.cancelled : say.confirmed(readback(lines, cart, language), confirmationState === "updated");
    return { confirmationState, finalOrder, cart, speech };
  });
  if (status) ctx.publishStatus(status);
  if (changedEvent) ctx.publishConfirmation(changedEvent);
  announceCountedOut(ctx, location.id, countedOut);
  return result;
}
