import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { DEMO_CUSTOMERS, DEMO_LOCATIONS, DEMO_MENU } from "@orderline/db";
import { pruneToolRequests } from "../src/repositories/orders.ts";
import { errorOf, type Harness, NY, startHarness } from "./harness.ts";

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

describe("start_order", () => {
  it("creates the call's draft in Postgres at once, returns the same draft again, and switches its type", async () => {
    const env = h.envelope();
    const first = await h.ok("start_order", { order_type: "pickup" }, env);
    assert.equal(first.resumed, false);
    assert.equal(first.cart.state, "draft");
    const row = await h.db.selectFrom("orders").selectAll().where("id", "=", first.cart.orderId).executeTakeFirstOrThrow();
    assert.equal(row.call_sid, env.callSid);
    assert.equal(row.order_session_id, env.orderSessionId);
    assert.equal(row.location_id, NY.id);
    assert.equal(row.order_type, "pickup");

    await h.ok("add_item", { item: "large pepperoni pizza" }, env);
    const again = await h.ok("start_order", { order_type: "delivery" }, env);
    assert.equal(again.resumed, true);
    assert.equal(again.cart.orderId, first.cart.orderId);
    assert.equal(again.cart.orderType, "delivery");
    assert.equal(again.cart.deliveryFeeCents, 399, "New York's $3.99 delivery fee");
    assert.match(again.speech, /changed it to delivery/);
    const drafts = await h.db.selectFrom("orders").select(["order_type", "delivery_fee_cents"]).where("order_session_id", "=", env.orderSessionId).execute();
    assert.deepEqual(drafts, [{ order_type: "delivery", delivery_fee_cents: 399 }]);
  });

  it("converges on one draft when started concurrently", async () => {
    const env = h.envelope();
    const replies = await Promise.all(Array.from({ length: 10 }, () => h.ok("start_order", { order_type: "pickup" }, env)));
    assert.equal(new Set(replies.map((r) => r.cart.orderId)).size, 1);
    assert.equal(replies.filter((r) => !r.resumed).length, 1);
  });

  it("never hands out another call's draft", async () => {
    const env = h.envelope();
    await h.ok("start_order", { order_type: "pickup" }, env);
    // Same session id from another call, and the same call with another session id.
    for (const other of [{ ...env, callSid: h.envelope().callSid }, { ...env, orderSessionId: randomUUID() }]) {
      assert.equal(errorOf(await h.call("start_order", { order_type: "pickup" }, other)).code, "forbidden");
    }
    const drafts = await h.db.selectFrom("orders").select("id").where("call_sid", "=", env.callSid).execute();
    assert.equal(drafts.length, 1);
  });

  it("refuses an unknown location", async () => {
    const err = errorOf(await h.call("start_order", { order_type: "pickup" }, h.envelope({ locationId: randomUUID() })));
    assert.equal(err.code, "unknown_location");
  });
});

describe("add_item", () => {
  it("prices a line from the location's menu (with its override) and snapshots names and prices", async () => {
    const env = h.envelope();
    await h.ok("start_order", { order_type: "pickup" }, env);
    const r = await h.ok("add_item", { item: "pepperoni pizza", size: "large", quantity: 2, modifiers: [{ name: "mushrooms", action: "add" }, { name: "cheese", action: "no" }] }, env);
    assert.equal(r.line.name, "Pepperoni Pizza");
    assert.equal(r.line.size, "Large");
    assert.equal(r.line.variationId, DEMO_MENU.largePepperoni.variationId);
    const mushrooms = r.line.modifiers.find((m) => m.name === "Mushrooms");
    assert.ok(mushrooms, "mushrooms added");
    // Large pepperoni in New York $22.99 + mushrooms $1.75 + no cheese $0 = $24.74; two = $49.48;
    // tax 8.875 % = $4.39135 → $4.39; total $53.87.
    assert.equal(r.line.unitPriceCents, 2474);
    assert.equal(r.line.lineTotalCents, 4948);
    assert.equal(r.cart.subtotalCents, 4948);
    assert.equal(r.cart.taxCents, 439);
    assert.equal(r.cart.totalCents, 5387);

    const item = await h.db.selectFrom("order_items").selectAll().where("id", "=", r.line.lineId).executeTakeFirstOrThrow();
    assert.equal(item.product_name, "Pepperoni Pizza");
    assert.equal(item.size_name, "Large");
    assert.equal(item.unit_price_cents, r.line.unitPriceCents);
    assert.equal(item.quantity, 2);
    const mods = await h.db.selectFrom("order_item_modifiers").select(["name", "action", "price_cents"]).where("order_item_id", "=", r.line.lineId).execute();
    assert.ok(mods.some((m) => m.name === "Mushrooms" && m.action === "add" && m.price_cents === mushrooms.priceCents));
    const order = await h.db.selectFrom("orders").select(["subtotal_cents", "tax_cents", "total_cents"]).where("id", "=", r.cart.orderId).executeTakeFirstOrThrow();
    assert.deepEqual(order, { subtotal_cents: r.cart.subtotalCents, tax_cents: r.cart.taxCents, total_cents: r.cart.totalCents });
  });

  it("prices the same item by the other location's menu there", async () => {
    const env = h.envelope({ locationId: DEMO_LOCATIONS.chicago.id });
    await h.ok("start_order", { order_type: "pickup" }, env);
    const r = await h.ok("add_item", { item: "large pepperoni pizza" }, env);
    assert.equal(r.line.unitPriceCents, 2099, "the chain's $20.99, no New York override");
  });

  it("uses a running special's price (Wing Wednesday, 4–9 pm in New York)", async () => {
    const env = h.envelope();
    await h.ok("start_order", { order_type: "pickup" }, env);
    const r = await h.ok("add_item", { item: "buffalo wings", size: "12 piece" }, env);
    // $11.99 instead of $16.99 (the 12 piece's New York price); the default Buffalo Medium sauce is free.
    assert.equal(r.line.unitPriceCents, 1199);
  });

  it("asks for the size when a product has several and none was given", async () => {
    const env = h.envelope();
    await h.ok("start_order", { order_type: "pickup" }, env);
    const err = errorOf(await h.call("add_item", { item: "pepperoni pizza" }, env));
    assert.equal(err.code, "needs_size");
    const choices = err.details?.["choices"] as { name: string }[];
    assert.deepEqual(
      choices.map((c) => c.name),
      ["Small", "Medium", "Large"],
    );
    const lines = await h.db.selectFrom("order_items").innerJoin("orders", "orders.id", "order_items.order_id").select("order_items.id").where("orders.order_session_id", "=", env.orderSessionId).execute();
    assert.equal(lines.length, 0, "nothing written");
  });

  it("rejects modifiers that don't belong to the product, and 'no X' for what isn't removable", async () => {
    const env = h.envelope();
    await h.ok("start_order", { order_type: "pickup" }, env);
    assert.equal(errorOf(await h.call("add_item", { item: "caesar salad", modifiers: [{ name: "pineapple" }] }, env)).code, "invalid_modifier");
    assert.equal(errorOf(await h.call("add_item", { item: "large cheese pizza", modifiers: [{ name: "mushrooms", action: "no" }] }, env)).code, "invalid_modifier");
  });

  it("charges for 'extra' modifiers", async () => {
    const env = h.envelope();
    await h.ok("start_order", { order_type: "pickup" }, env);
    const plain = await h.ok("add_item", { item: "large cheese pizza" }, env);
    const extra = await h.ok("add_item", { item: "large cheese pizza", modifiers: [{ name: "pepperoni", action: "extra" }] }, env);
    const pep = extra.line.modifiers.find((m) => m.action === "extra");
    assert.equal(pep?.priceCents, 200, "extra pepperoni is $2.00");
    assert.equal(plain.line.unitPriceCents, 1999, "large cheese in New York");
    assert.equal(extra.line.unitPriceCents, 2199);
  });

  it("refuses sold-out and out-of-hours items with alternatives", async () => {
    const env = h.envelope();
    await h.ok("start_order", { order_type: "pickup" }, env);
    const sold = errorOf(await h.call("add_item", { item: "tiramisu" }, env));
    assert.equal(sold.code, "out_of_stock");
    assert.ok(((sold.details?.["alternatives"] as unknown[] | undefined)?.length ?? 0) > 0);
    const lunch = errorOf(await h.call("add_item", { item: "lunch slice combo" }, env));
    assert.equal(lunch.code, "unavailable");
  });

  it("rejects bad quantities and any price the model tries to pass", async () => {
    const env = h.envelope();
    await h.ok("start_order", { order_type: "pickup" }, env);
    for (const quantity of [0, -3, 51, 1e9, 2.5]) {
      assert.equal(errorOf(await h.call("add_item", { item: "coke", size: "large", quantity }, env)).code, "invalid_arguments", `quantity ${quantity}`);
    }
    const priced = errorOf(await h.call("add_item", { item: "coke", size: "large", price_cents: 1 }, env));
    assert.equal(priced.code, "invalid_arguments");
    assert.match(priced.message, /price_cents/);
    const cart = await h.ok("get_order_summary", {}, env);
    assert.equal(cart.cart.lines.length, 0);
  });

  it("says what isn't on the menu", async () => {
    const env = h.envelope();
    await h.ok("start_order", { order_type: "pickup" }, env);
    assert.equal(errorOf(await h.call("add_item", { item: "sushi platter" }, env)).code, "not_on_menu");
  });

  it("needs a started order", async () => {
    assert.equal(errorOf(await h.call("add_item", { item: "large coke" }, h.envelope())).code, "no_open_order");
  });

  it("applies a requestId at most once, even when the retry races the original", async () => {
    const env = h.envelope();
    await h.ok("start_order", { order_type: "pickup" }, env);
    const withId = { ...env, requestId: `call_${randomUUID()}` };
    const replies = await Promise.all(Array.from({ length: 10 }, () => h.ok("add_item", { item: "large coke" }, withId)));
    for (const r of replies) assert.deepEqual(r, replies[0]);
    const summary = await h.ok("get_order_summary", {}, env);
    assert.equal(summary.cart.lines.length, 1);
    assert.equal(summary.cart.lines[0]!.quantity, 1);
    const stored = await h.db.selectFrom("tool_requests").select(["tool"]).where("call_sid", "=", env.callSid).execute();
    assert.deepEqual(stored, [{ tool: "add_item" }]);
  });

  it("serializes concurrent changes of one cart: no line or total is lost", async () => {
    const env = h.envelope();
    await h.ok("start_order", { order_type: "pickup" }, env);
    const items = ["large coke", "large sprite", "large root beer", "large iced tea", "bottled water", "caesar salad", "garlic bread", "onion rings"];
    const replies = await Promise.all(items.map((item, i) => h.ok("add_item", { item }, { ...env, requestId: `call_${i}_${randomUUID()}` })));
    const summary = await h.ok("get_order_summary", {}, env);
    assert.equal(summary.cart.lines.length, items.length);
    assert.equal(new Set(replies.map((r) => r.line.lineId)).size, items.length);
    assert.equal(summary.cart.subtotalCents, summary.cart.lines.reduce((s, l) => s + l.lineTotalCents, 0));
    // Every reply saw the lines committed before it: the largest cart has them all.
    assert.equal(Math.max(...replies.map((r) => r.cart.lines.length)), items.length);
    assert.deepEqual(
      replies.map((r) => r.cart.lines.length).sort((a, b) => a - b),
      items.map((_, i) => i + 1),
    );
    const order = await h.db.selectFrom("orders").select(["subtotal_cents", "total_cents"]).where("id", "=", summary.cart.orderId).executeTakeFirstOrThrow();
    assert.deepEqual(order, { subtotal_cents: summary.cart.subtotalCents, total_cents: summary.cart.totalCents });
  });

  it("caps an order at 200 items, writing nothing past the cap", async () => {
    const env = h.envelope();
    await h.ok("start_order", { order_type: "pickup" }, env);
    for (const item of ["large coke", "large sprite", "large root beer", "large iced tea"]) await h.ok("add_item", { item, quantity: 50 }, env);
    const err = errorOf(await h.call("add_item", { item: "bottled water" }, env));
    assert.equal(err.code, "invalid_quantity");
    assert.match(err.message, /200 items/);
    const merged = errorOf(await h.call("add_item", { item: "large coke", quantity: 1 }, env));
    assert.equal(merged.code, "invalid_quantity", "a line can't grow past 50 either");
    const summary = await h.ok("get_order_summary", {}, env);
    assert.equal(summary.cart.itemCount, 200);
    assert.equal(summary.cart.flags.largeOrder, true);
  });

  it("flags a large order so the gateway can offer staff", async () => {
    const env = h.envelope();
    await h.ok("start_order", { order_type: "pickup" }, env);
    const small = await h.ok("add_item", { item: "large coke", quantity: 20 }, env);
    assert.equal(small.cart.flags.largeOrder, false);
    const big = await h.ok("add_item", { item: "bottled water" }, env);
    assert.equal(big.cart.flags.largeOrder, true);
    assert.match(big.cart.flags.largeOrderReason ?? "", /21 items/);
  });
});

describe("update_item and remove_item", () => {
  it("changes quantity and size of a line by name, re-pricing from the menu", async () => {
    const env = h.envelope();
    await h.ok("start_order", { order_type: "pickup" }, env);
    const added = await h.ok("add_item", { item: "small cheese pizza" }, env);
    const qty = await h.ok("update_item", { item: "cheese pizza", quantity: 3 }, env);
    assert.equal(qty.line.lineId, added.line.lineId);
    assert.equal(qty.line.lineTotalCents, 3897, "three small cheese at $12.99");
    const bigger = await h.ok("update_item", { line_id: added.line.lineId, size: "large" }, env);
    assert.equal(bigger.line.size, "Large");
    assert.match(bigger.speech, /^Okay, that's three large cheese pizzas now\./, "the default crust is not read back");
    assert.equal(bigger.line.unitPriceCents, 1999, "large cheese in New York");
    assert.equal(bigger.line.quantity, 3);
    assert.equal(bigger.cart.subtotalCents, 5997);
    const row = await h.db.selectFrom("order_items").select(["size_name", "quantity", "line_total_cents"]).where("id", "=", added.line.lineId).executeTakeFirstOrThrow();
    assert.deepEqual(row, { size_name: "Large", quantity: 3, line_total_cents: bigger.line.lineTotalCents });
  });

  it("replaces a line's choices, re-pricing it and rewriting its modifier rows", async () => {
    const env = h.envelope();
    await h.ok("start_order", { order_type: "pickup" }, env);
    const added = await h.ok("add_item", { item: "large pepperoni pizza", modifiers: [{ name: "mushrooms" }, { name: "onions" }] }, env);
    const swapped = await h.ok("update_item", { item: "pepperoni pizza", modifiers: [{ name: "thin crust" }] }, env);
    assert.equal(swapped.line.lineId, added.line.lineId);
    assert.deepEqual(
      swapped.line.modifiers.map((m) => m.name),
      ["Thin Crust"],
    );
    assert.equal(swapped.line.unitPriceCents, 2299, "large pepperoni in New York, thin crust at no charge");
    assert.ok(added.line.unitPriceCents > swapped.line.unitPriceCents);
    const rows = await h.db.selectFrom("order_item_modifiers").select("name").where("order_item_id", "=", added.line.lineId).execute();
    assert.deepEqual(rows, [{ name: "Thin Crust" }]);
  });

  it("asks which line when a name matches several, and removes by line id", async () => {
    const env = h.envelope();
    await h.ok("start_order", { order_type: "pickup" }, env);
    const large = await h.ok("add_item", { item: "large pepperoni pizza" }, env);
    await h.ok("add_item", { item: "small pepperoni pizza" }, env);
    const err = errorOf(await h.call("remove_item", { item: "pepperoni pizza" }, env));
    assert.equal(err.code, "ambiguous_line");
    assert.equal((err.details?.["choices"] as unknown[] | undefined)?.length, 2);
    const removed = await h.ok("remove_item", { line_id: large.line.lineId }, env);
    assert.equal(removed.removed.lineId, large.line.lineId);
    assert.equal(removed.cart.lines.length, 1);
    const byName = await h.ok("remove_item", { item: "small pepperoni" }, env);
    assert.equal(byName.cart.lines.length, 0);
    assert.equal(byName.cart.totalCents, 0);
  });

  it("never touches a line of another call's order", async () => {
    const mine = h.envelope();
    const other = h.envelope();
    await h.ok("start_order", { order_type: "pickup" }, mine);
    await h.ok("start_order", { order_type: "pickup" }, other);
    const theirs = await h.ok("add_item", { item: "large coke" }, other);
    assert.equal(errorOf(await h.call("remove_item", { line_id: theirs.line.lineId }, mine)).code, "line_not_found");
    assert.equal(errorOf(await h.call("update_item", { line_id: theirs.line.lineId, quantity: 5 }, mine)).code, "line_not_found");
    // The same call and session at another location sees no order at all.
    assert.equal(errorOf(await h.call("get_order_summary", {}, { ...other, locationId: DEMO_LOCATIONS.denver.id })).code, "no_open_order");
    const still = await h.ok("get_order_summary", {}, other);
    assert.equal(still.cart.lines[0]!.quantity, 1);
  });

  it("says so when the item isn't in the order", async () => {
    const env = h.envelope();
    await h.ok("start_order", { order_type: "pickup" }, env);
    await h.ok("add_item", { item: "large coke" }, env);
    assert.equal(errorOf(await h.call("remove_item", { item: "garlic knots" }, env)).code, "line_not_found");
  });
});

describe("retried mutations (same requestId)", () => {
  it("update and remove are applied once and answer the stored reply", async () => {
    const env = h.envelope();
    await h.ok("start_order", { order_type: "pickup" }, env);
    const added = await h.ok("add_item", { item: "large coke" }, env);
    const upd = { ...env, requestId: `call_${randomUUID()}` };
    const first = await h.ok("update_item", { line_id: added.line.lineId, quantity: 3 }, upd);
    await h.ok("add_item", { item: "bottled water" }, env);
    const retried = await h.ok("update_item", { line_id: added.line.lineId, quantity: 3 }, upd);
    assert.deepEqual(retried, first, "the stored reply, not a re-run on the newer cart");
    const rm = { ...env, requestId: `call_${randomUUID()}` };
    const removed = await h.ok("remove_item", { item: "coke" }, rm);
    const again = await h.ok("remove_item", { item: "coke" }, rm);
    assert.deepEqual(again, removed);
    const summary = await h.ok("get_order_summary", {}, env);
    assert.deepEqual(
      summary.cart.lines.map((l) => l.name),
      ["Bottled Water"],
    );
  });

  it("prunes stored replies past their retention, and only those", async () => {
    const env = h.envelope();
    await h.ok("start_order", { order_type: "pickup" }, env);
    await h.ok("add_item", { item: "large coke" }, { ...env, requestId: "old" });
    await h.ok("add_item", { item: "bottled water" }, { ...env, requestId: "new" });
    await h.db.updateTable("tool_requests").set({ created_at: new Date("2026-01-01T00:00:00Z") }).where("call_sid", "=", env.callSid).where("request_id", "=", "old").execute();
    await pruneToolRequests(h.db, new Date("2026-06-01T00:00:00Z"));
    const left = await h.db.selectFrom("tool_requests").select("request_id").where("call_sid", "=", env.callSid).execute();
    assert.deepEqual(left, [{ request_id: "new" }]);
  });

  it("refuses a requestId reused for another tool", async () => {
    const env = h.envelope();
    await h.ok("start_order", { order_type: "pickup" }, env);
    const withId = { ...env, requestId: `call_${randomUUID()}` };
    await h.ok("add_item", { item: "large coke" }, withId);
    assert.equal(errorOf(await h.call("remove_item", { item: "coke" }, withId)).code, "invalid_arguments");
    assert.equal((await h.ok("get_order_summary", {}, env)).cart.lines.length, 1);
  });
});

describe("get_order_summary", () => {
  it("reads the order back with totals, and tells a known caller their rewards balance", async () => {
    const env = h.envelope({ callerPhone: DEMO_CUSTOMERS.maria.phone });
    await h.ok("start_order", { order_type: "pickup" }, env);
    await h.ok("add_item", { item: "large pepperoni pizza" }, env);
    await h.ok("add_item", { item: "large coke", quantity: 2 }, env);
    const s = await h.ok("get_order_summary", {}, env);
    assert.equal(s.cart.lines.length, 2);
    assert.equal(
      s.cart.subtotalCents,
      s.cart.lines.reduce((a, l) => a + l.lineTotalCents, 0),
    );
    assert.match(s.speech, /a large pepperoni pizza and two large coca-colas, \$\d+\.\d\d with tax/);
    assert.deepEqual(s.customer, { name: DEMO_CUSTOMERS.maria.name, rewardsPoints: DEMO_CUSTOMERS.maria.rewardsPoints });
    assert.match(s.speech, /120 reward points/);
  });

  it("has no customer for an unknown caller", async () => {
    const env = h.envelope({ callerPhone: "+12125559876" });
    await h.ok("start_order", { order_type: "pickup" }, env);
    const s = await h.ok("get_order_summary", {}, env);
    assert.equal(s.customer, null);
  });
});
