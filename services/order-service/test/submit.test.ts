import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { EVENT_SUBJECTS, OrderStatusEvent, type RequestEnvelopeInput, toolSubject } from "@orderline/contracts";
import { DEMO_CUSTOMERS, DEMO_LOCATIONS } from "@orderline/db";
import { requestTool } from "@orderline/nats";
import { CLOSED_NOW, errorOf, type Harness, NY, OPEN_NOW, startHarness } from "./harness.ts";
import { waitFor } from "@orderline/testing/wait-for";

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

async function cartWith(env: RequestEnvelopeInput, orderType: "pickup" | "delivery", items: string[]): Promise<void> {
  await h.ok("start_order", { order_type: orderType }, env);
  for (const item of items) await h.ok("add_item", { item }, env);
}

describe("submit_order", () => {
  it("places the order: number, submitted state, status event, customer with points, event on NATS", async () => {
    const env = h.envelope({ callerPhone: "+12125550999" });
    await cartWith(env, "pickup", ["large pepperoni pizza", "large coke"]);
    const events: OrderStatusEvent[] = [];
    const sub = h.nc.subscribe(EVENT_SUBJECTS.orderStatus(NY.id, "submitted", h.prefix), {
      callback: (_e, msg) => {
        events.push(OrderStatusEvent.parse(msg.json()));
      },
    });
    await h.nc.flush();
    const r = await h.ok("submit_order", { customer_name: "Ana" }, env);
    assert.equal(r.state, "submitted");
    assert.ok(r.orderNumber >= 1);
    assert.ok(r.waitMinutes > 0);
    assert.equal(new Date(r.readyAt).getTime(), OPEN_NOW.getTime() + r.waitMinutes * 60_000);
    const order = await h.db.selectFrom("orders").selectAll().where("id", "=", r.orderId).executeTakeFirstOrThrow();
    assert.equal(order.state, "submitted");
    assert.equal(order.order_number, r.orderNumber);
    assert.equal(order.business_date, "2026-11-18");
    assert.equal(order.customer_phone, "+12125550999");
    assert.equal(order.customer_name, "Ana");
    assert.equal(order.total_cents, r.totalCents);
    assert.equal(order.idempotency_key, `${env.callSid}:0`);
    const statusRows = await h.db.selectFrom("order_status_events").select(["from_state", "to_state", "actor"]).where("order_id", "=", r.orderId).execute();
    assert.deepEqual(statusRows, [{ from_state: "draft", to_state: "submitted", actor: "order-service" }]);
    const customer = await h.db.selectFrom("customers").selectAll().where("phone", "=", "+12125550999").executeTakeFirstOrThrow();
    assert.equal(customer.name, "Ana");
    // Large pepperoni $22.99 + large coke $2.99 = $25.98 (tax $2.31, total $28.29): 25 points at 1 per whole dollar.
    assert.deepEqual({ subtotal: order.subtotal_cents, tax: order.tax_cents, total: order.total_cents }, { subtotal: 2598, tax: 231, total: 2829 });
    assert.equal(customer.rewards_points, 25);
    assert.equal(r.pointsEarned, customer.rewards_points);
    assert.equal(r.pointsBalance, customer.rewards_points);
    assert.equal(customer.last_order_id, r.orderId);
    await h.nc.flush();
    await sub.drain();
    assert.equal(events.length, 1);
    assert.equal(events[0]!.orderId, r.orderId);
    assert.equal(events[0]!.orderNumber, r.orderNumber);
    assert.equal(events[0]!.from, "draft");
    const placed = (await h.metrics.registry.getSingleMetric("orderline_order_state_changes_total")?.get())?.values.find((v) => v.labels["to"] === "submitted");
    assert.ok(placed && placed.value >= 1, "orders placed are counted");
    // The call can't change a placed order, but can hear it read back with the totals it was placed with.
    assert.equal(errorOf(await h.call("add_item", { item: "large coke" }, env)).code, "order_not_editable");
    const summary = await h.ok("get_order_summary", {}, env);
    assert.equal(summary.cart.orderId, r.orderId);
    assert.equal(summary.cart.state, "submitted");
    assert.equal(summary.cart.totalCents, order.total_cents);
    assert.equal(summary.cart.lines.length, 2);
    assert.match(summary.speech, new RegExp(`order number ${r.orderNumber} is placed`));
  });

  it("adds points to a returning customer found by the spoken phone number", async () => {
    const env = h.envelope();
    await cartWith(env, "pickup", ["large pepperoni pizza"]);
    const spoken = "(212) 555-0142"; // Maria's number as said
    const r = await h.ok("submit_order", { customer_name: "Maria", phone: spoken }, env);
    const maria = await h.db.selectFrom("customers").selectAll().where("id", "=", DEMO_CUSTOMERS.maria.id).executeTakeFirstOrThrow();
    assert.equal(maria.rewards_points, DEMO_CUSTOMERS.maria.rewardsPoints + r.pointsEarned);
    assert.equal(r.pointsBalance, maria.rewards_points);
    const order = await h.db.selectFrom("orders").select(["customer_id"]).where("id", "=", r.orderId).executeTakeFirstOrThrow();
    assert.equal(order.customer_id, DEMO_CUSTOMERS.maria.id);
  });

  it("numbers orders per location per local business date", async () => {
    const numbers: number[] = [];
    for (let i = 0; i < 3; i++) {
      const env = h.envelope({ locationId: DEMO_LOCATIONS.denver.id, callerPhone: "+13035550111" });
      await cartWith(env, "pickup", ["large coke"]);
      numbers.push((await h.ok("submit_order", { customer_name: "Kim" }, env)).orderNumber);
    }
    assert.deepEqual(numbers, [numbers[0]!, numbers[0]! + 1, numbers[0]! + 2]);
  });

  it("20 concurrent submits of the same call and attempt create exactly one order with one number", async () => {
    const env = h.envelope({ callerPhone: "+12125550888" });
    await cartWith(env, "pickup", ["large pepperoni pizza", "6 piece garlic knots"]);
    const replies = await Promise.all(Array.from({ length: 20 }, () => h.call("submit_order", { customer_name: "Lee" }, env)));
    const results = replies.map((r) => {
      assert.ok(r.ok, JSON.stringify(r));
      return r.result;
    });
    for (const r of results) assert.deepEqual(r, results[0]);
    const orders = await h.db.selectFrom("orders").select(["id", "order_number", "state"]).where("call_sid", "=", env.callSid).execute();
    assert.deepEqual(orders, [{ id: results[0]!.orderId, order_number: results[0]!.orderNumber, state: "submitted" }]);
    const events = await h.db.selectFrom("order_status_events").select("id").where("order_id", "=", results[0]!.orderId).execute();
    assert.equal(events.length, 1);
    const customer = await h.db.selectFrom("customers").select("rewards_points").where("phone", "=", "+12125550888").executeTakeFirstOrThrow();
    assert.equal(customer.rewards_points, results[0]!.pointsEarned, "points earned once");
  });

  it("a retry after a timeout, where the first request did commit, returns the same order", async () => {
    const env = h.envelope({ callerPhone: "+12125550777" });
    await cartWith(env, "pickup", ["large cheese pizza"]);
    // The first attempt gets no reply in time (1 ms), but the service still applies it.
    await requestTool(h.nc, toolSubject("submit_order", h.prefix), { envelope: env, args: { customer_name: "Sam" } }, { timeoutMs: 1 }).catch(() => undefined);
    const committed = await waitFor(
      () => h.db.selectFrom("orders").select(["id", "order_number"]).where("idempotency_key", "=", `${env.callSid}:0`).executeTakeFirst(),
      { timeoutMs: 10_000, message: "the timed-out first submit to commit its order" },
    );
    const retry = await h.ok("submit_order", { customer_name: "Sam" }, env);
    assert.equal(retry.orderId, committed.id);
    assert.equal(retry.orderNumber, committed.order_number);
    const count = await h.db.selectFrom("orders").select("id").where("call_sid", "=", env.callSid).execute();
    assert.equal(count.length, 1);
  });

  it("ignores nothing the model makes up: a total or price in the arguments is rejected, no order written", async () => {
    const env = h.envelope({ callerPhone: "+12125550999" });
    await cartWith(env, "pickup", ["large coke"]);
    for (const extra of [{ total_cents: 1 }, { price: 0 }, { order_number: 7 }]) {
      const err = errorOf(await h.call("submit_order", { customer_name: "Max", ...extra }, env));
      assert.equal(err.code, "invalid_arguments");
      assert.match(err.message, new RegExp(Object.keys(extra)[0]!));
    }
    const order = await h.db.selectFrom("orders").select(["state", "total_cents"]).where("call_sid", "=", env.callSid).executeTakeFirstOrThrow();
    assert.equal(order.state, "draft");
    assert.ok(order.total_cents > 100);
  });

  it("refuses an empty cart", async () => {
    const env = h.envelope({ callerPhone: "+12125550666" });
    await h.ok("start_order", { order_type: "pickup" }, env);
    assert.equal(errorOf(await h.call("submit_order", { customer_name: "Jo" }, env)).code, "empty_cart");
  });

  it("refuses an unparseable phone, and asks for one when there is no caller ID, writing nothing", async () => {
    const env = h.envelope();
    await cartWith(env, "pickup", ["large coke"]);
    const bad = errorOf(await h.call("submit_order", { customer_name: "Jo", phone: "five five five" }, env));
    assert.equal(bad.code, "invalid_phone");
    assert.match(bad.message, /valid phone number/);
    assert.equal(errorOf(await h.call("submit_order", { customer_name: "Jo" }, env)).code, "invalid_phone");
    const order = await h.db.selectFrom("orders").select(["state", "order_number"]).where("call_sid", "=", env.callSid).executeTakeFirstOrThrow();
    assert.deepEqual(order, { state: "draft", order_number: null });
  });

  it("delivery needs an address inside the zone and the minimum order", async () => {
    const env = h.envelope({ callerPhone: "+12125550555" });
    await cartWith(env, "delivery", ["large coke"]);
    const address = { street: "350 W 57th St", postal_code: "10019" };
    assert.equal(errorOf(await h.call("submit_order", { customer_name: "Al" }, env)).code, "address_required");
    assert.equal(errorOf(await h.call("submit_order", { customer_name: "Al", address: { ...address, postal_code: "11201" } }, env)).code, "outside_delivery_zone");
    const below = errorOf(await h.call("submit_order", { customer_name: "Al", address }, env));
    assert.equal(below.code, "below_delivery_minimum");
    assert.equal(below.details?.["minimumCents"], 1500, "New York's $15 delivery minimum");
    assert.equal(errorOf(await h.call("submit_order", { customer_name: "Al", address: { ...address, postal_code: "123" } }, env)).code, "invalid_arguments");
    const counters = await h.db.selectFrom("orders").select("state").where("call_sid", "=", env.callSid).execute();
    assert.deepEqual(counters, [{ state: "draft" }]);
    await h.ok("add_item", { item: "large pepperoni pizza" }, env);
    const r = await h.ok("submit_order", { customer_name: "Al", address: { ...address, unit: "4B", instructions: "ring twice" } }, env);
    assert.equal(r.orderType, "delivery");
    const order = await h.db.selectFrom("orders").selectAll().where("id", "=", r.orderId).executeTakeFirstOrThrow();
    assert.equal(order.delivery_address_line1, "350 W 57th St");
    assert.equal(order.delivery_address_line2, "4B");
    assert.equal(order.delivery_postal_code, "10019");
    // Large coke $2.99 + large pepperoni $22.99 = $25.98, tax $2.31, delivery fee $3.99 (not taxed): $32.28.
    assert.deepEqual(
      { subtotal: order.subtotal_cents, tax: order.tax_cents, fee: order.delivery_fee_cents, total: order.total_cents },
      { subtotal: 2598, tax: 231, fee: 399, total: 3228 },
    );
  });

  it("a closed location refuses with the next opening time", async () => {
    const env = h.envelope({ callerPhone: "+12125550444" });
    await cartWith(env, "pickup", ["large coke"]);
    h.now.value = CLOSED_NOW;
    try {
      const err = errorOf(await h.call("submit_order", { customer_name: "Bo" }, env));
      assert.equal(err.code, "closed");
      assert.equal(err.details?.["nextOpening"], "2026-11-18T16:00:00.000Z"); // 11:00 in New York
      assert.match(err.message, /today at 11 AM/);
    } finally {
      h.now.value = OPEN_NOW;
    }
    const order = await h.db.selectFrom("orders").select("state").where("call_sid", "=", env.callSid).executeTakeFirstOrThrow();
    assert.equal(order.state, "draft");
  });

  it("re-checks availability of every line at submit", async () => {
    const env = h.envelope({ callerPhone: "+12125550333" });
    await cartWith(env, "pickup", ["large coke", "6 piece garlic knots"]);
    const knots = await h.db.selectFrom("products").select("id").where("slug", "=", "garlic-knots").executeTakeFirstOrThrow();
    await h.db.insertInto("location_product_overrides").values({ location_id: NY.id, product_id: knots.id, sold_out: true }).execute();
    try {
      await h.menuChanged();
      const err = errorOf(await h.call("submit_order", { customer_name: "Cy" }, env));
      assert.equal(err.code, "unavailable");
      assert.match(err.message, /Garlic Knots/);
    } finally {
      await h.db.deleteFrom("location_product_overrides").where("location_id", "=", NY.id).where("product_id", "=", knots.id).execute();
      await h.menuChanged();
    }
  });

  it("uses the location's local date and time: 22:30 Wednesday in New York is already Thursday in UTC", async () => {
    const env = h.envelope({ callerPhone: "+12125550321" });
    await cartWith(env, "pickup", ["large coke"]);
    h.now.value = new Date("2026-11-19T03:30:00Z");
    try {
      const r = await h.ok("submit_order", { customer_name: "Ines" }, env);
      const order = await h.db.selectFrom("orders").select(["business_date", "submitted_at"]).where("id", "=", r.orderId).executeTakeFirstOrThrow();
      assert.equal(order.business_date, "2026-11-18");
      assert.equal(order.submitted_at?.toISOString(), "2026-11-19T03:30:00.000Z", "stored in UTC");
      const local = new Date(Date.parse("2026-11-19T03:30:00Z") + r.waitMinutes * 60_000);
      const hhmm = local.toLocaleTimeString("en-US", { timeZone: "America/New_York", hour: "numeric", minute: "2-digit" });
      assert.ok(r.speech.includes(hhmm), `${r.speech} mentions ${hhmm} New York time`);
    } finally {
      h.now.value = OPEN_NOW;
    }
  });

  it("a second order on the same call is a new draft and, with the next attempt, a new order", async () => {
    const env = h.envelope({ callerPhone: "+12125550654" });
    await cartWith(env, "pickup", ["large coke"]);
    const first = await h.ok("submit_order", { customer_name: "Raj" }, env);
    const again = await h.ok("start_order", { order_type: "pickup" }, env);
    assert.equal(again.resumed, false);
    assert.notEqual(again.cart.orderId, first.orderId);
    await h.ok("add_item", { item: "bottled water" }, env);
    const second = await h.ok("submit_order", { customer_name: "Raj" }, { ...env, attempt: 1 });
    assert.notEqual(second.orderId, first.orderId);
    assert.notEqual(second.orderNumber, first.orderNumber);
    // attempt 0 still answers with the first order
    assert.equal((await h.ok("submit_order", { customer_name: "Raj" }, env)).orderId, first.orderId);
  });

  it("no draft → no_open_order", async () => {
    assert.equal(errorOf(await h.call("submit_order", { customer_name: "Di" }, h.envelope({ callerPhone: "+12125550222" }))).code, "no_open_order");
  });
});
