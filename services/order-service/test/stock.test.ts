import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import type { RequestEnvelopeInput } from "@orderline/contracts";
import { seedUuid } from "@orderline/db";
import { errorOf, type Harness, NY, startHarness } from "./harness.ts";

const MUSHROOMS = seedUuid("ingredient:mushrooms");
const FRESH_MOZZARELLA = seedUuid("ingredient:fresh-mozzarella");

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

/** Fixture: the ingredient's count in New York (as staff would set it through the menu service). */
async function setCount(ingredientId: string, quantity: number | null, inStock = true): Promise<void> {
  await h.db.updateTable("ingredient_stock").set({ quantity, in_stock: inStock }).where("location_id", "=", NY.id).where("ingredient_id", "=", ingredientId).execute();
  await h.menuChanged();
}
async function countOf(ingredientId: string): Promise<number | null> {
  const row = await h.db.selectFrom("ingredient_stock").select("quantity").where("location_id", "=", NY.id).where("ingredient_id", "=", ingredientId).executeTakeFirstOrThrow();
  return row.quantity;
}
let callers = 0;
/** A call with its own caller (one customer row each: concurrent submits don't queue on the customer upsert). */
async function cart(items: (string | Record<string, unknown>)[]): Promise<RequestEnvelopeInput> {
  const env = h.envelope({ callerPhone: `+1212555${String(1000 + callers++).padStart(4, "0")}` });
  await h.ok("start_order", { order_type: "pickup" }, env);
  for (const item of items) await h.ok("add_item", typeof item === "string" ? { item } : item, env);
  return env;
}
const submit = (env: RequestEnvelopeInput) => h.call("submit_order", { customer_name: "Stock Test" }, env);

describe("ingredient counts at submit", () => {
  beforeEach(async () => {
    await setCount(MUSHROOMS, 40);
    await setCount(FRESH_MOZZARELLA, 30);
  });

  it("counts down base ingredients × quantity; an 'extra' modifier uses two, an add-on one, 'no' none", async () => {
    const env = await cart([
      { item: "large mushroom pizza", quantity: 2 }, // 2 × 1 mushrooms
      { item: "large pepperoni pizza", modifiers: [{ name: "mushrooms", action: "extra" }] }, // 1 × 2 mushrooms
      { item: "medium pepperoni pizza", modifiers: [{ name: "mushrooms", action: "add" }] }, // 1 × 1 mushrooms
      { item: "large margherita pizza", modifiers: [{ name: "fresh mozzarella", action: "extra" }] }, // 1 × 2 fresh mozzarella
      { item: "small margherita pizza", modifiers: [{ name: "fresh mozzarella", action: "no" }] }, // none
    ]);
    const placed = await submit(env);
    assert.ok(placed.ok, JSON.stringify(placed));
    assert.equal(await countOf(MUSHROOMS), 40 - 2 - 2 - 1);
    assert.equal(await countOf(FRESH_MOZZARELLA), 30 - 2);
  });

  it("leaves ingredients that are not counted alone", async () => {
    await setCount(MUSHROOMS, null);
    const env = await cart([{ item: "large mushroom pizza", quantity: 3 }]);
    assert.ok((await submit(env)).ok);
    assert.equal(await countOf(MUSHROOMS), null);
  });

  it("refuses an order needing more than is left, naming the ingredient and the item; nothing is taken", async () => {
    await setCount(MUSHROOMS, 3);
    const env = await cart([{ item: "large mushroom pizza", quantity: 4 }]);
    const err = errorOf(await submit(env));
    assert.equal(err.code, "out_of_stock");
    assert.match(err.message, /running low on mushrooms/);
    assert.match(err.message, /Mushroom Pizza/);
    assert.deepEqual([err.details?.["left"], err.details?.["needed"]], [3, 4]);
    assert.equal(await countOf(MUSHROOMS), 3);
    const order = await h.db.selectFrom("orders").select("state").where("call_sid", "=", env.callSid).executeTakeFirstOrThrow();
    assert.equal(order.state, "draft", "the cart is kept so the caller can take fewer");
    // Taking fewer goes through.
    await h.ok("update_item", { item: "mushroom pizza", quantity: 3 }, env);
    assert.ok((await submit(env)).ok);
    assert.equal(await countOf(MUSHROOMS), 0);
  });

  it("the order taking the last units puts the ingredient out: its items are refused by add_item on the next call, and it is recorded", async () => {
    await setCount(MUSHROOMS, 2);
    const env = await cart([{ item: "large mushroom pizza", quantity: 2 }]);
    const placed = await submit(env);
    assert.ok(placed.ok);
    assert.equal(await countOf(MUSHROOMS), 0);
    const events = await h.db
      .selectFrom("menu_control_events")
      .select(["action", "ingredient_id", "subject_name", "quantity_before", "quantity_after", "order_id", "actor"])
      .where("order_id", "=", placed.result.orderId)
      .execute();
    assert.deepEqual(events, [
      { action: "ingredient_counted_out", ingredient_id: MUSHROOMS, subject_name: "Mushrooms", quantity_before: 2, quantity_after: 0, order_id: placed.result.orderId, actor: "order-service" },
    ]);
    // No NOTIFY listener and no menuChanged() here: the submitting replica dropped its snapshot itself.
    const next = await cart([]);
    const refused = errorOf(await h.call("add_item", { item: "large mushroom pizza" }, next));
    assert.equal(refused.code, "out_of_stock");
    assert.match(refused.message, /Mushroom Pizza/);
    const topping = errorOf(await h.call("add_item", { item: "large pepperoni pizza", modifiers: [{ name: "mushrooms", action: "add" }] }, next));
    assert.equal(topping.code, "out_of_stock");
    assert.match(topping.message, /Mushrooms/);
    // A pepperoni pizza without mushrooms is still fine.
    await h.ok("add_item", { item: "large pepperoni pizza" }, next);
  });

  it("refuses at submit an item 86'd after it went into the cart, before this replica heard of the change", async () => {
    const env = await cart(["6 piece garlic knots", "large coke"]);
    const knots = seedUuid("product:garlic-knots");
    // Committed directly and no catalog event: the cached snapshot still has the knots on sale.
    await h.db.insertInto("location_product_overrides").values({ location_id: NY.id, product_id: knots, sold_out: true }).execute();
    try {
      const err = errorOf(await submit(env));
      assert.equal(err.code, "unavailable");
      assert.match(err.message, /Garlic Knots/);
      assert.deepEqual((err.details?.["lines"] as { reason: string }[] | undefined)?.map((l) => l.reason), ["sold_out"]);
    } finally {
      await h.db.deleteFrom("location_product_overrides").where("location_id", "=", NY.id).where("product_id", "=", knots).execute();
      await h.menuChanged();
    }
  });

  it("refuses at submit an item whose ingredient was marked out after it went into the cart", async () => {
    const env = await cart(["large margherita pizza"]);
    await h.db.updateTable("ingredient_stock").set({ in_stock: false }).where("location_id", "=", NY.id).where("ingredient_id", "=", FRESH_MOZZARELLA).execute();
    const err = errorOf(await submit(env));
    assert.equal(err.code, "unavailable");
    assert.match(err.message, /Margherita Pizza/);
    assert.deepEqual(err.details?.["missingIngredients"], ["Fresh Mozzarella"]);
    assert.equal(await countOf(FRESH_MOZZARELLA), 30, "nothing taken");
  });
});

describe("two orders racing for the last units", () => {
  it("one order gets the last mushroom, the other is refused; the count never goes below zero", async () => {
    for (let round = 0; round < 5; round++) {
      await setCount(MUSHROOMS, 1);
      const a = await cart(["large mushroom pizza"]);
      const b = await cart(["large supreme pizza"]);
      const replies = await Promise.all([submit(a), submit(b)]);
      const placed = replies.filter((r) => r.ok);
      const refused = replies.filter((r) => !r.ok).map(errorOf);
      assert.equal(placed.length, 1, `round ${round}: exactly one order placed`);
      assert.equal(refused.length, 1);
      assert.ok(["unavailable", "out_of_stock"].includes(refused[0]!.code), refused[0]!.code);
      assert.match(refused[0]!.message, /(Mushroom|Supreme) Pizza/);
      assert.equal(await countOf(MUSHROOMS), 0);
    }
  });

  it("six orders for three units: three placed, three refused", async () => {
    await setCount(MUSHROOMS, 3);
    const carts = await Promise.all([0, 1, 2, 3, 4, 5].map(() => cart(["large mushroom pizza"])));
    const replies = await Promise.all(carts.map(submit));
    assert.equal(replies.filter((r) => r.ok).length, 3);
    const codes = replies.filter((r) => !r.ok).map((r) => errorOf(r).code);
    assert.ok(codes.every((c) => c === "unavailable" || c === "out_of_stock"), `refused with a spoken reason, not a fault: ${codes.join(", ")}`);
    assert.equal(await countOf(MUSHROOMS), 0);
    const submitted = await h.db
      .selectFrom("orders")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("call_sid", "in", carts.map((c) => c.callSid))
      .where("state", "=", "submitted")
      .executeTakeFirstOrThrow();
    assert.equal(Number(submitted.n), 3);
  });
});
