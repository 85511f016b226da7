import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { type Harness, startHarness } from "./harness.ts";

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

/**
 * New York prices read off the seeded menu by hand (README of @orderline/db): literals, so a wrong pricing
 * formula in the code cannot also produce the expected value.
 */
const UNIT_CENTS: Record<string, number> = {
  "large pepperoni pizza": 2299, // $20.99 chain, $22.99 New York override
  "small cheese pizza": 1299,
  "medium coke": 259,
  "6 piece garlic knots": 599, // default marinara free
  "caesar salad": 999, // default Caesar dressing free
  "6 piece buffalo wings": 899, // default Buffalo Medium free
  "bottled water": 199,
};
const ITEMS = Object.keys(UNIT_CENTS);
/** Pizza modifier sets and what each adds to a pizza's unit price. */
const MODS = [
  { mods: [], cents: 0 },
  { mods: [{ name: "mushrooms" }], cents: 175 },
  { mods: [{ name: "cheese", action: "no" }], cents: 0 },
  { mods: [{ name: "pepperoni", action: "extra" }], cents: 200 },
] as const;

describe("totals on a real cart (property)", () => {
  it("subtotal = Σ literal unit prices × quantity; tax within half a cent of 8.875 % (half up); total = subtotal + tax; as stored in Postgres", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ item: fc.constantFrom(...ITEMS), quantity: fc.integer({ min: 1, max: 5 }), mods: fc.constantFrom(...MODS) }), { minLength: 1, maxLength: 5 }),
        async (picks) => {
          const env = h.envelope();
          await h.ok("start_order", { order_type: "pickup" }, env);
          for (const p of picks) {
            const isPizza = p.item.includes("pizza");
            const reply = await h.call("add_item", { item: p.item, quantity: p.quantity, modifiers: isPizza ? [...p.mods.mods] : [] }, env);
            assert.ok(reply.ok, JSON.stringify(reply));
          }
          const { cart } = await h.ok("get_order_summary", {}, env);
          const subtotal = picks.reduce((sum, p) => sum + (UNIT_CENTS[p.item]! + (p.item.includes("pizza") ? p.mods.cents : 0)) * p.quantity, 0);
          assert.equal(cart.subtotalCents, subtotal);
          // Round half up, stated as its definition: tax − exact ∈ (−½ ¢, +½ ¢] (in millionths of a cent).
          const diff = cart.taxCents * 1_000_000 - subtotal * 88_750;
          assert.ok(diff > -500_000 && diff <= 500_000, `tax ${cart.taxCents} on ${subtotal} at 8.875 %`);
          assert.equal(cart.totalCents, subtotal + cart.taxCents);
          const tax = cart.taxCents;
          const order = await h.db.selectFrom("orders").select(["subtotal_cents", "tax_cents", "total_cents"]).where("id", "=", cart.orderId).executeTakeFirstOrThrow();
          assert.deepEqual(order, { subtotal_cents: subtotal, tax_cents: tax, total_cents: subtotal + tax });
        },
      ),
      { numRuns: 8 },
    );
  });
});
