import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { unitPriceCents } from "@orderline/catalog";
import { computeTotals, rewardPoints } from "./money.ts";

describe("rewardPoints", () => {
  it("counts whole dollars of the subtotal", () => {
    assert.equal(rewardPoints(2499, 1), 24);
    assert.equal(rewardPoints(2500, 2), 50);
    assert.equal(rewardPoints(99, 1), 0);
  });
});

const lineArb = fc.record({
  basePriceCents: fc.integer({ min: 0, max: 10_000 }),
  modifierPricesCents: fc.array(fc.integer({ min: 0, max: 500 }), { maxLength: 6 }),
  quantity: fc.integer({ min: 1, max: 50 }),
});

describe("computeTotals (property)", () => {
  it("total = Σ (variation + modifiers) × quantity + round-half-up(subtotal × rate) + delivery fee", () => {
    fc.assert(
      fc.property(
        fc.array(lineArb, { maxLength: 25 }),
        fc.integer({ min: 0, max: 250_000 }),
        fc.integer({ min: 0, max: 2_000 }),
        (lines, taxRatePpm, deliveryFeeCents) => {
          // Each line's unit price as the order service snapshots it: catalog's line pricing rule.
          const priced = lines.map((l) => ({ unitPriceCents: unitPriceCents(l.basePriceCents, l.modifierPricesCents), quantity: l.quantity }));
          const t = computeTotals(priced, { taxRatePpm, deliveryFeeCents });
          const subtotal = lines.reduce((s, l) => s + (l.basePriceCents + l.modifierPricesCents.reduce((a, b) => a + b, 0)) * l.quantity, 0);
          assert.equal(t.subtotalCents, subtotal);
          // Independent formulation of round-half-up: exact rational tax, then floor(x + 1/2).
          const exactTimes1M = subtotal * taxRatePpm;
          const expectedTax = Math.floor((2 * exactTimes1M + 1_000_000) / 2_000_000);
          assert.equal(t.taxCents, expectedTax);
          assert.ok(Math.abs(t.taxCents * 1_000_000 - exactTimes1M) <= 500_000, "tax is within half a cent of exact");
          assert.equal(t.totalCents, subtotal + expectedTax + deliveryFeeCents);
          assert.equal(t.itemCount, lines.reduce((s, l) => s + l.quantity, 0));
          for (const v of [t.subtotalCents, t.taxCents, t.totalCents]) assert.ok(Number.isSafeInteger(v) && v >= 0);
        },
      ),
      { numRuns: 500 },
    );
  });
});
