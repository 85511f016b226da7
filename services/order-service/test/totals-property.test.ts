import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { type Harness, NY, startHarness } from "./harness.ts";

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

const ITEMS = ["large pepperoni pizza", "small cheese pizza", "medium coke", "6 piece garlic knots", "caesar salad", "6 piece buffalo wings", "bottled water"];
const MODS = [[], [{ name: "mushrooms" }], [{ name: "cheese", action: "no" }], [{ name: "pepperoni", action: "extra" }]] as const;

describe("totals on a real cart (property)", () => {
  it("total = Σ (variation + modifiers) × quantity + round-half-up tax, as stored in Postgres", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ item: fc.constantFrom(...ITEMS), quantity: fc.integer({ min: 1, max: 5 }), mods: fc.constantFrom(...MODS) }), { minLength: 1, maxLength: 5 }),
        async (picks) => {
          const env = h.envelope();
          await h.ok("start_order", { order_type: "pickup" }, env);
          for (const p of picks) {
            const isPizza = p.item.includes("pizza");
            const reply = await h.call("add_item", { item: p.item, quantity: p.quantity, modifiers: isPizza ? [...p.mods] : [] }, env);
            assert.ok(reply.ok, JSON.stringify(reply));
          }
          const { cart } = await h.ok("get_order_summary", {}, env);
          const items = await h.db
            .selectFrom("order_items")
            .innerJoin("variations", "variations.id", "order_items.variation_id")
            .leftJoin("location_variation_prices as lvp", (j) => j.onRef("lvp.variation_id", "=", "variations.id").on("lvp.location_id", "=", NY.id))
            .select(["order_items.id", "order_items.quantity", "variations.price_cents", "lvp.price_cents as override"])
            .where("order_items.order_id", "=", cart.orderId)
            .execute();
          let subtotal = 0;
          for (const item of items) {
            const mods = await h.db.selectFrom("order_item_modifiers").select("price_cents").where("order_item_id", "=", item.id).execute();
            subtotal += ((item.override ?? item.price_cents) + mods.reduce((s, m) => s + m.price_cents, 0)) * item.quantity;
          }
          const tax = Math.floor((subtotal * NY.taxRatePpm + 500_000) / 1_000_000);
          assert.equal(cart.subtotalCents, subtotal);
          assert.equal(cart.taxCents, tax);
          assert.equal(cart.totalCents, subtotal + tax);
          const order = await h.db.selectFrom("orders").select(["subtotal_cents", "tax_cents", "total_cents"]).where("id", "=", cart.orderId).executeTakeFirstOrThrow();
          assert.deepEqual(order, { subtotal_cents: subtotal, tax_cents: tax, total_cents: subtotal + tax });
        },
      ),
      { numRuns: 8 },
    );
  });
});
