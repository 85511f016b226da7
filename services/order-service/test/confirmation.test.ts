import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  CONFIRMATION_SUBJECTS,
  ConfirmationStateEvent,
  type CreateConfirmationOrderInput,
  type CreateConfirmationOrderResult,
  confirmationSessionId,
  type ToolReply,
} from "@orderline/contracts";
import { seedUuid } from "@orderline/db";
import { errorOf, type Harness, NY, startHarness } from "./harness.ts";

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

let row = 0;
async function intake(overrides: Partial<CreateConfirmationOrderInput> = {}): Promise<ToolReply<CreateConfirmationOrderResult>> {
  const body: CreateConfirmationOrderInput = {
    locationId: NY.id,
    customerName: "John",
    phone: "(415) 555-0134",
    lines: [{ name: "pepperoni pizza", variation: "large", quantity: 2 }],
    externalRef: { source: "sheet", sheetId: "sheet-1", rowId: `r${++row}` },
    ...overrides,
  };
  const msg = await h.nc.request(CONFIRMATION_SUBJECTS.createOrder(h.prefix), JSON.stringify(body), { timeout: 10_000 });
  return msg.json();
}

/** What the worker does before dialling: NEW → CALLED with the lock, in one statement. */
async function claim(orderId: string): Promise<void> {
  const r = await h.db
    .updateTable("orders")
    .set({ confirmation_state: "called", confirmation_locked_at: new Date() })
    .where("id", "=", orderId)
    .where("confirmation_state", "=", "new")
    .executeTakeFirst();
  assert.equal(r.numUpdatedRows, 1n);
}

const callOf = (orderId: string) => h.envelope({ orderSessionId: confirmationSessionId(orderId) });

describe("orders to confirm by phone (createConfirmationOrder, review_order, confirm_order, cancel_order)", () => {
  it("takes an order in as NEW, priced from the menu, with what matched no item kept as unmatched; the same external reference again creates nothing", async () => {
    const events: ConfirmationStateEvent[] = [];
    const sub = h.nc.subscribe(CONFIRMATION_SUBJECTS.stateChangedAll(h.prefix), { callback: (_e, m) => void events.push(ConfirmationStateEvent.parse(m.json())) });
    await h.nc.flush();
    const ref = { source: "sheet", sheetId: "sheet-1", rowId: "intake-1" };
    const first = await intake({ externalRef: ref, lines: [{ name: "pepperoni pizza", variation: "large", quantity: 2 }, { name: "sushi platter", quantity: 1 }] });
    assert.ok(first.ok, JSON.stringify(first));
    assert.equal(first.result.created, true);
    assert.equal(first.result.state, "new");
    // Two large pepperoni in New York: 2 × $22.99 = $45.98; tax 8.875 % = $4.0807… → $4.08; total $50.06.
    assert.deepEqual([first.result.cart.subtotalCents, first.result.cart.taxCents, first.result.cart.totalCents], [4598, 408, 5006]);
    assert.equal(first.result.unmatched.length, 1);
    assert.match(first.result.unmatched[0]!, /^1x sushi platter/);
    const again = await intake({ externalRef: ref, customerName: "Someone Else" });
    assert.ok(again.ok);
    assert.deepEqual([again.result.orderId, again.result.created], [first.result.orderId, false]);
    const order = await h.db.selectFrom("orders").selectAll().where("id", "=", first.result.orderId).executeTakeFirstOrThrow();
    assert.deepEqual([order.state, order.channel, order.customer_phone, order.customer_name], ["draft", "sheet", "+14155550134", "John"]);
    await h.nc.flush();
    sub.unsubscribe();
    assert.deepEqual(
      events.map((e) => [e.orderId, e.state, e.externalRef?.rowId]),
      [[first.result.orderId, "new", "intake-1"]],
    );
  });

  it("refuses an invalid phone, an order with nothing the menu has, and an unknown location — nothing stored", async () => {
    const before = await h.db.selectFrom("orders").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
    assert.equal(errorOf(await intake({ phone: "12" })).code, "invalid_phone");
    const empty = errorOf(await intake({ lines: [{ name: "sushi platter", quantity: 1 }] }));
    assert.equal(empty.code, "empty_order");
    assert.match(empty.message, /sushi platter/);
    assert.equal(errorOf(await intake({ lines: [] })).code, "empty_order");
    assert.equal(errorOf(await intake({ locationId: "00000000-0000-4000-8000-000000000000" })).code, "unknown_location");
    const invalid = errorOf(await intake({ lines: [{ quantity: 0 } as never] }));
    assert.equal(invalid.code, "invalid_arguments");
    const afterCount = await h.db.selectFrom("orders").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
    assert.equal(afterCount.n, before.n);
  });

  it("'make it 3 instead' on the call → UPDATED, placed with a number, final JSON in the seed's shape with the new total", async () => {
    const created = await intake();
    assert.ok(created.ok);
    const id = created.result.orderId;
    await claim(id);
    const env = callOf(id);
    const review = await h.ok("review_order", {}, env);
    assert.equal(review.customerName, "John");
    assert.match(review.speech, /two large pepperoni pizzas, \$50\.06 with tax/);
    await h.ok("update_item", { item: "pepperoni pizza", quantity: 3 }, env);
    const done = await h.ok("confirm_order", { notes: "extra napkins" }, env);
    assert.equal(done.confirmationState, "updated");
    // 3 × $22.99 = $68.97; tax 8.875 % = $6.1210… → $6.12; total $75.09.
    assert.deepEqual(done.finalOrder, {
      action: "modify",
      items: [{ name: "Pepperoni Pizza", qty: 3, size: "Large", modifiers: [], notes: null, unitPriceCents: 2299, lineTotalCents: 6897 }],
      notes: "extra napkins",
      confirmed: true,
      subtotalCents: 6897,
      taxCents: 612,
      deliveryFeeCents: 0,
      totalCents: 7509,
      currency: "USD",
    });
    const order = await h.db.selectFrom("orders").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    assert.deepEqual([order.state, order.confirmation_state, order.confirmation_locked_at, order.total_cents], ["submitted", "updated", null, 7509]);
    assert.ok(order.order_number !== null && order.confirmation_updated_at !== null);
    assert.deepEqual(order.final_order_json, done.finalOrder);
    // A retry of the same call gets the same outcome; nothing changes twice.
    const retry = await h.ok("confirm_order", { notes: "extra napkins" }, env);
    assert.deepEqual(retry.finalOrder, done.finalOrder);
  });

  it("a plain yes → CONFIRMED (action confirm); cancel → cancelled; another call's session cannot touch a finished order", async () => {
    const a = await intake();
    assert.ok(a.ok);
    await claim(a.result.orderId);
    const envA = callOf(a.result.orderId);
    await h.ok("review_order", {}, envA);
    const confirmed = await h.ok("confirm_order", {}, envA);
    assert.deepEqual([confirmed.confirmationState, confirmed.finalOrder.action, confirmed.finalOrder.confirmed], ["confirmed", "confirm", true]);
    const other = callOf(a.result.orderId);
    assert.equal(errorOf(await h.call("confirm_order", {}, other)).code, "order_not_editable");
    assert.equal(errorOf(await h.call("add_item", { item: "coke" }, other)).code, "no_open_order");

    const b = await intake();
    assert.ok(b.ok);
    // Not called yet: the call cannot take it.
    assert.equal(errorOf(await h.call("confirm_order", {}, callOf(b.result.orderId))).code, "order_not_editable");
    await claim(b.result.orderId);
    const envB = callOf(b.result.orderId);
    await h.ok("review_order", {}, envB);
    const cancelled = await h.ok("cancel_order", { reason: "plans changed" }, envB);
    assert.equal(cancelled.confirmationState, "cancelled");
    assert.deepEqual([cancelled.finalOrder.action, cancelled.finalOrder.confirmed, cancelled.finalOrder.items], ["cancel", false, []]);
    const order = await h.db.selectFrom("orders").select(["state", "confirmation_state", "confirmation_locked_at"]).where("id", "=", b.result.orderId).executeTakeFirstOrThrow();
    assert.deepEqual(order, { state: "cancelled", confirmation_state: "cancelled", confirmation_locked_at: null });
  });

  it("confirm_order of an order whose item was 86'd after it was taken in is refused with the spoken reason; nothing placed, the call can still change it", async () => {
    const created = await intake({
      lines: [
        { name: "pepperoni pizza", variation: "large", quantity: 1 },
        { name: "garlic knots", variation: "6 piece", quantity: 1 },
      ],
    });
    assert.ok(created.ok, JSON.stringify(created));
    const id = created.result.orderId;
    await claim(id);
    const env = callOf(id);
    await h.ok("review_order", {}, env);
    const knots = seedUuid("product:garlic-knots");
    // Committed directly and no catalog event: the cached snapshot still has the knots on sale.
    await h.db.insertInto("location_product_overrides").values({ location_id: NY.id, product_id: knots, sold_out: true }).execute();
    try {
      const err = errorOf(await h.call("confirm_order", {}, env));
      assert.equal(err.code, "unavailable");
      assert.equal(err.message, "Sorry, the Garlic Knots is no longer available. Would you like something else instead?");
      assert.deepEqual((err.details?.["lines"] as { reason: string }[] | undefined)?.map((l) => l.reason), ["sold_out"]);
      const order = await h.db.selectFrom("orders").select(["state", "confirmation_state", "order_number", "final_order_json"]).where("id", "=", id).executeTakeFirstOrThrow();
      assert.deepEqual(order, { state: "draft", confirmation_state: "called", order_number: null, final_order_json: null });
      // The customer drops the knots on the call and confirms the rest: UPDATED.
      await h.ok("remove_item", { item: "garlic knots" }, env);
      const done = await h.ok("confirm_order", {}, env);
      assert.equal(done.confirmationState, "updated");
      assert.deepEqual(done.finalOrder.items.map((i) => i.name), ["Pepperoni Pizza"]);
    } finally {
      await h.db.deleteFrom("location_product_overrides").where("location_id", "=", NY.id).where("product_id", "=", knots).execute();
      await h.menuChanged();
    }
  });

  it("a confirmed order counts its ingredients down like a submitted one", async () => {
    const mushrooms = seedUuid("ingredient:mushrooms");
    const count = async () =>
      (await h.db.selectFrom("ingredient_stock").select("quantity").where("location_id", "=", NY.id).where("ingredient_id", "=", mushrooms).executeTakeFirstOrThrow()).quantity;
    await h.db.updateTable("ingredient_stock").set({ quantity: 10, in_stock: true }).where("location_id", "=", NY.id).where("ingredient_id", "=", mushrooms).execute();
    await h.menuChanged();
    const created = await intake({ lines: [{ name: "mushroom pizza", variation: "large", quantity: 3 }] });
    assert.ok(created.ok, JSON.stringify(created));
    await claim(created.result.orderId);
    const env = callOf(created.result.orderId);
    await h.ok("review_order", {}, env);
    assert.equal((await h.ok("confirm_order", {}, env)).confirmationState, "confirmed");
    // Three large mushroom pizzas use one unit of mushrooms each: 10 − 3 = 7.
    assert.equal(await count(), 7);
  });
});
