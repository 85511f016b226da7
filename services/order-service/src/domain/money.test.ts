import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { taxCents as catalogTaxCents } from "@orderline/catalog";
import fc from "fast-check";
import { computeTotals, rewardPoints, taxCents, unitPriceCents } from "./money.ts";

describe("taxCents", () => {
  it("rounds half up on the subtotal", () => {
    assert.equal(taxCents(1000, 888), 89); // 88.8 → 89
    assert.equal(taxCents(2000, 887), 177); // 177.4 → 177
    assert.equal(taxCents(1000, 625), 63); // 62.5 → 63 (half goes up)
    assert.equal(taxCents(1001, 625), 63); // 62.5625 → 63
    assert.equal(taxCents(999, 625), 62); // 62.4375 → 62
    assert.equal(taxCents(0, 887), 0);
    assert.equal(taxCents(12345, 0), 0);
  });
  it("rejects negative or fractional amounts and impossible rates", () => {
    assert.throws(() => taxCents(-1, 800), RangeError);
    assert.throws(() => taxCents(1.5, 800), RangeError);
    assert.throws(() => taxCents(100, 10_001), RangeError);
  });
});

describe("unitPriceCents", () => {
  it("adds modifier prices to the variation price", () => {
    assert.equal(unitPriceCents(1299, [150, 0, 200]), 1649);
  });
  it("refuses negative prices", () => {
    assert.throws(() => unitPriceCents(1299, [-500]), /modifier price/);
  });
});

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
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 2_000 }),
        (lines, taxRateBps, deliveryFeeCents) => {
          const t = computeTotals(lines, { taxRateBps, deliveryFeeCents });
          const subtotal = lines.reduce((s, l) => s + (l.basePriceCents + l.modifierPricesCents.reduce((a, b) => a + b, 0)) * l.quantity, 0);
          assert.equal(t.subtotalCents, subtotal);
          // Independent formulation of round-half-up: exact rational tax, then floor(x + 1/2).
          const exactTimes10k = subtotal * taxRateBps;
          const expectedTax = Math.floor((2 * exactTimes10k + 10_000) / 20_000);
          assert.equal(t.taxCents, expectedTax);
          assert.ok(Math.abs(t.taxCents * 10_000 - exactTimes10k) <= 5_000, "tax is within half a cent of exact");
          assert.equal(t.totalCents, subtotal + expectedTax + deliveryFeeCents);
          assert.equal(t.itemCount, lines.reduce((s, l) => s + l.quantity, 0));
          for (const v of [t.subtotalCents, t.taxCents, t.totalCents]) assert.ok(Number.isSafeInteger(v) && v >= 0);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("taxCents agrees with @orderline/catalog", () => {
  it("gives the same cents for any subtotal and rate (one rounding rule across services)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000 }), fc.integer({ min: 0, max: 10_000 }), (subtotal, bps) => {
        assert.equal(taxCents(subtotal, bps), catalogTaxCents(subtotal, bps));
      }),
      { numRuns: 1000 },
    );
  });
});
