import {
  type OrderStatusEvent,
  type RequestEnvelope,
  ToolFailure,
  type ToolArgs,
  type ToolResult,
} from "@orderline/contracts";
import { speechLanguageOf } from "@orderline/catalog";
import { DateTime } from "luxon";
import { buildCart } from "../cart.ts";
import type { OrderContext } from "../context.ts";
import { rewardPoints } from "../domain/money.ts";
import { parsePhone } from "../domain/phone.ts";
import { assertOpen, estimateWait, menuFor } from "../menu.ts";
import { upsertCustomerForOrder } from "../repositories/customers.ts";
import { announceCountedOut, type CountedOut, reserveStock } from "../stock.ts";
import { type Db, findSubmitReply, lockDraft, nextOrderNumber } from "../repositories/orders.ts";
import { noDraftFailure, scopeOf, speechFor } from "./common.ts";

type SubmitResult = ToolResult<"submit_order">;

export const submitIdempotencyKey = (envelope: RequestEnvelope): string => `${envelope.callSid}:${envelope.attempt}`;
const submitRequestId = (envelope: RequestEnvelope): string => `submit:${envelope.attempt}`;

/**
 * Places the call's draft. Idempotent per (call, attempt): the key is UNIQUE on orders, concurrent submits are
 * serialized on the draft row, and every repeat gets the reply stored with the order — one order, one number.
 */
export async function submitOrder(ctx: OrderContext, args: ToolArgs<"submit_order">, envelope: RequestEnvelope): Promise<SubmitResult> {
  const key = submitIdempotencyKey(envelope);
  const menu = await menuFor(ctx, envelope.locationId, speechLanguageOf(envelope.language));
  const { language, say } = speechFor(envelope, menu.location);
  const scope = scopeOf(envelope);

  /** The reply stored with the order this call + attempt already placed, if any. */
  const replay = async (db: Db): Promise<SubmitResult | undefined> => {
    const stored = await findSubmitReply(db, envelope.callSid, submitRequestId(envelope));
    if (!stored) return undefined;
    if (stored.locationId !== envelope.locationId) {
      throw new ToolFailure("wrong_location", say.orderElsewhere);
    }
    return stored.reply as SubmitResult;
  };

  // Fast path for a retry after a lost reply: the order already exists.
  const existing = await replay(ctx.db);
  if (existing) return existing;

  const now = ctx.clock();
  const location = menu.location;
  let event: OrderStatusEvent | undefined;
  let countedOut: CountedOut = [];
  const result = await ctx.db.transaction().execute(async (tx): Promise<SubmitResult> => {
    const { draft, lines } = await lockDraft(tx, scope, undefined, { withLines: true });
    if (!draft) {
      // A concurrent submit of the same attempt may have placed it while we waited for the row lock.
      const placed = await replay(tx);
      if (placed) return placed;
      throw await noDraftFailure(tx, scope, say);
    }
    if (lines.length === 0) throw new ToolFailure("empty_cart", say.emptyCart);
    assertOpen(menu, now, say);

    const phoneSource = args.phone ?? envelope.callerPhone;
    if (phoneSource === undefined) {
      throw new ToolFailure("invalid_phone", say.phoneNeeded, { reason: "missing" });
    }
    const phone = args.phone !== undefined ? parsePhone(args.phone, "US", language) : phoneSource;

    const { cart, totals } = buildCart(draft, lines, location, ctx.config);
    const address = args.address;
    if (draft.order_type === "delivery") {
      if (!address) throw new ToolFailure("address_required", say.addressNeeded);
      const zip = address.postal_code.slice(0, 5);
      if (!location.deliveryPostalCodes.includes(zip)) {
        throw new ToolFailure("outside_delivery_zone", location.deliveryPostalCodes.length === 0 ? say.noDelivery : say.outsideZone(zip), { postalCode: zip });
      }
      if (totals.subtotalCents < location.deliveryMinimumCents) {
        throw new ToolFailure(
          "below_delivery_minimum",
          say.belowMinimum(location.deliveryMinimumCents, totals.subtotalCents),
          { minimumCents: location.deliveryMinimumCents, subtotalCents: totals.subtotalCents },
        );
      }
    }

    const businessDate = DateTime.fromJSDate(now, { zone: location.timezone }).toISODate();
    if (!businessDate) throw new Error(`cannot compute the local date in ${location.timezone}`);
    const waitMinutes = await estimateWait(tx, menu, draft.order_type, now);
    const readyAt = new Date(now.getTime() + waitMinutes * 60_000);
    const pointsEarned = rewardPoints(totals.subtotalCents, ctx.config.rewardPointsPerDollar);
    const customer = await upsertCustomerForOrder(tx, {
      brandId: location.brandId,
      phone,
      name: args.customer_name,
      points: pointsEarned,
      orderId: draft.id,
      now,
    });
    // Items off the menu or 86'd since the snapshot, ingredients out or short: refused; counted ingredients counted down (locked).
    countedOut = await reserveStock(tx, { menu, lines, orderId: draft.id, now, say });
    // Last before the final write: the counter row stays locked until commit, serializing the location's submits.
    const orderNumber = await nextOrderNumber(tx, location.id, businessDate);
    const reply: SubmitResult = {
      orderId: draft.id,
      orderNumber,
      state: "submitted",
      orderType: draft.order_type,
      totalCents: totals.totalCents,
      waitMinutes,
      readyAt: readyAt.toISOString(),
      pointsEarned,
      pointsBalance: customer.rewards_points,
      flags: cart.flags,
      speech: say.placed({
        customerName: args.customer_name,
        orderNumber,
        totalCents: totals.totalCents,
        orderType: draft.order_type,
        waitMinutes,
        readyAt: DateTime.fromJSDate(readyAt, { zone: location.timezone }),
        pointsEarned,
        pointsBalance: customer.rewards_points,
      }),
    };
    const delivery = draft.order_type === "delivery" && address;
    // Order, its status event and the stored reply in one statement.
    await tx
      .with("placed", (q) =>
        q
          .updateTable("orders")
          .set({
            state: "submitted",
            idempotency_key: key,
            business_date: businessDate,
            order_number: orderNumber,
            customer_id: customer.id,
            customer_name: args.customer_name,
            customer_phone: phone,
            delivery_address_line1: delivery ? address.street : null,
            delivery_address_line2: delivery ? (address.unit ?? null) : null,
            delivery_city: delivery ? (address.city ?? null) : null,
            delivery_postal_code: delivery ? address.postal_code : null,
            delivery_instructions: delivery ? (address.instructions ?? null) : null,
            subtotal_cents: totals.subtotalCents,
            tax_cents: totals.taxCents,
            delivery_fee_cents: totals.deliveryFeeCents,
            total_cents: totals.totalCents,
            points_earned: pointsEarned,
            flags: JSON.stringify(cart.flags),
            submitted_at: now,
            promised_at: readyAt,
            updated_at: now,
          })
          .where("id", "=", draft.id)
          .where("state", "=", "draft")
          .returning("id"),
      )
      .with("status", (q) =>
        q
          .insertInto("order_status_events")
          .values({ order_id: draft.id, from_state: "draft", to_state: "submitted", at: now, actor: "order-service", note: null })
          .returning("id"),
      )
      .insertInto("tool_requests")
      .values({
        call_sid: envelope.callSid,
        request_id: submitRequestId(envelope),
        tool: "submit_order",
        order_id: draft.id,
        reply: JSON.stringify(reply),
        created_at: now,
      })
      .execute();
    event = { orderId: draft.id, locationId: location.id, orderNumber, from: "draft", to: "submitted", at: now.toISOString(), actor: "order-service" };
    return reply;
  });
  if (event) ctx.publishStatus(event);
  announceCountedOut(ctx, location.id, countedOut);
  return result;
}

