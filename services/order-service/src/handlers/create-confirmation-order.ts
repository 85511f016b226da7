import { randomUUID } from "node:crypto";
import {
  type ConfirmationStateEvent,
  type CreateConfirmationOrderRequest,
  type CreateConfirmationOrderResult,
  confirmationSessionId,
  type ModifierRequest,
  type OrderChannel,
  ToolFailure,
} from "@orderline/contracts";
import { confirmationEventOf, type Order } from "@orderline/db";
import type { CountryCode } from "libphonenumber-js";
import { buildCart } from "../cart.ts";
import type { OrderContext } from "../context.ts";
import { linesSignature } from "../domain/final-order.ts";
import { parsePhone } from "../domain/phone.ts";
import { menuFor, priceSelection } from "../menu.ts";
import { type Db, insertLine, loadLines, type NewLine } from "../repositories/orders.ts";
import { pricedLine } from "./add-item.ts";

/** Codes that mean "this line is not something the menu can price": the line is kept as unmatched text instead. */
const UNMATCHED_CODES = new Set(["not_on_menu", "ambiguous_item", "needs_size", "invalid_size", "invalid_modifier", "out_of_stock", "unavailable"]);

const channelOf = (source: string | undefined): OrderChannel => (source === "sheet" ? "sheet" : source === "staff" ? "staff" : "web");

/**
 * `createConfirmationOrder`: an order from outside (a sheet row, a form, staff) that the customer is to confirm by
 * phone. Lines are resolved and priced against the location's menu like a caller's words; a line the menu cannot
 * price is kept as unmatched text (asked about on the call). Stored as a draft in confirmation state NEW, keyed by
 * its confirmation session. With an external reference the request is idempotent: the same reference returns the
 * order created the first time (UNIQUE in Postgres, so racing requests converge too).
 * Refused with a clear reason: unknown location, a phone that is not a phone number, nothing the menu can price.
 */
export async function createConfirmationOrder(ctx: OrderContext, req: CreateConfirmationOrderRequest): Promise<CreateConfirmationOrderResult> {
  const menu = await menuFor(ctx, req.locationId);
  const location = menu.location;
  const phone = parsePhone(req.phone, location.country as CountryCode);
  const ref = req.externalRef;
  if (ref) {
    const existing = await findByRef(ctx.db, ref);
    if (existing) return resultOf(ctx, existing, false, req.locationId);
  }
  const now = ctx.clock();
  const priced: NewLine[] = [];
  const unmatched = [...req.unmatched];
  for (const line of req.lines) {
    try {
      const selection = await priceSelection(ctx, req.locationId, now, {
        productId: line.productId ?? null,
        item: line.name ?? "",
        size: line.variation,
        modifiers: (line.modifiers ?? []) as ModifierRequest[],
      });
      priced.push(pricedLine(selection, line.quantity, line.notes ?? null));
    } catch (err) {
      if (!(err instanceof ToolFailure) || !UNMATCHED_CODES.has(err.code)) throw err;
      unmatched.push(`${line.quantity}x ${[line.variation, line.name ?? line.productId].filter(Boolean).join(" ")} (${err.message})`);
    }
  }
  if (priced.length === 0) {
    throw new ToolFailure(
      "empty_order",
      unmatched.length > 0 ? `Nothing in the order matches the menu: ${unmatched.join("; ")}.` : "The order has no items.",
      { unmatched },
    );
  }
  const id = randomUUID();
  const order = { id, order_type: req.orderType, state: "draft" as const };
  const stored = priced.map((l, i) => ({ ...l, lineId: `new-${i}`, position: i + 1 }));
  const { totals, cart } = buildCart(order, stored, location, ctx.config);
  const created = await ctx.db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto("orders")
      .values({
        id,
        location_id: req.locationId,
        channel: channelOf(ref?.source),
        order_session_id: confirmationSessionId(id),
        order_type: req.orderType,
        customer_name: req.customerName,
        customer_phone: phone,
        notes: req.notes,
        subtotal_cents: totals.subtotalCents,
        tax_cents: totals.taxCents,
        delivery_fee_cents: totals.deliveryFeeCents,
        total_cents: totals.totalCents,
        flags: JSON.stringify(cart.flags),
        confirmation_state: "new",
        confirmation_updated_at: now,
        confirmation_notes: req.notes,
        confirmation_unmatched: unmatched,
        confirmation_original: JSON.stringify(JSON.parse(linesSignature(priced))),
        external_source: ref?.source ?? null,
        external_sheet_id: ref ? ref.sheetId : null,
        external_row_id: ref?.rowId ?? null,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.constraint("orders_external_ref_key").doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) return undefined;
    for (const [i, line] of priced.entries()) await insertLine(tx, id, line, i + 1, now);
    return row;
  });
  if (!created) {
    // A concurrent intake of the same reference won the insert: answer with its order.
    const winner = ref ? await findByRef(ctx.db, ref) : undefined;
    if (!winner) throw new Error("external reference conflict without an order");
    return resultOf(ctx, winner, false, req.locationId);
  }
  ctx.publishConfirmation(confirmationEventOf(created) satisfies ConfirmationStateEvent);
  return resultOf(ctx, created, true, req.locationId);
}

function findByRef(db: Db, ref: NonNullable<CreateConfirmationOrderRequest["externalRef"]>): Promise<Order | undefined> {
  return db
    .selectFrom("orders")
    .selectAll()
    .where("external_source", "=", ref.source)
    .where("external_sheet_id", "=", ref.sheetId)
    .where("external_row_id", "=", ref.rowId)
    .executeTakeFirst();
}

async function resultOf(ctx: OrderContext, order: Order, created: boolean, locationId: string): Promise<CreateConfirmationOrderResult> {
  // Another location's reference is answered like an unknown one would be refused: nothing about it leaks.
  if (order.location_id !== locationId) throw new ToolFailure("wrong_location", "That external reference belongs to an order of another location.");
  const location = (await menuFor(ctx, order.location_id)).location;
  const lines = await loadLines(ctx.db, order.id);
  const { cart } = buildCart(order, lines, location, ctx.config);
  return { orderId: order.id, created, state: order.confirmation_state ?? "new", cart, unmatched: order.confirmation_unmatched };
}
