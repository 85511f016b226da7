import { taxCents } from "@orderline/contracts";

/**
 * Order arithmetic. Every amount is integer cents; nothing here ever reads a price from the model.
 *
 * Rules (also in README.md):
 * - unit price = variation price (after location override / special) + Σ modifier prices (an "extra" modifier
 *   carries its extra price, a "no" modifier costs 0);
 * - line total = unit price × quantity;
 * - subtotal = Σ line totals;
 * - tax = round-half-up(subtotal × tax_rate_ppm / 1 000 000), computed once on the order subtotal (not per
 *   line) — `taxCents` from @orderline/contracts, the one tax rule of the system;
 * - delivery fee (delivery orders only) is not taxed;
 * - total = subtotal + tax + delivery fee.
 */

export { taxCents };

export interface PricedLineInput {
  /** Variation price for one item. */
  basePriceCents: number;
  /** Price of each modifier applied to one item. */
  modifierPricesCents: readonly number[];
  quantity: number;
}

export interface Totals {
  itemCount: number;
  subtotalCents: number;
  taxCents: number;
  deliveryFeeCents: number;
  totalCents: number;
}

const assertCents = (value: number, what: string): void => {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} must be a non-negative integer number of cents, got ${value}`);
};

export function unitPriceCents(basePriceCents: number, modifierPricesCents: readonly number[]): number {
  assertCents(basePriceCents, "base price");
  let sum = basePriceCents;
  for (const p of modifierPricesCents) {
    assertCents(p, "modifier price");
    sum += p;
  }
  return sum;
}

export function lineTotalCents(unitPrice: number, quantity: number): number {
  assertCents(unitPrice, "unit price");
  if (!Number.isSafeInteger(quantity) || quantity < 1) throw new RangeError(`quantity must be a positive integer, got ${quantity}`);
  return unitPrice * quantity;
}


export function computeTotals(lines: readonly PricedLineInput[], opts: { taxRatePpm: number; deliveryFeeCents: number }): Totals {
  assertCents(opts.deliveryFeeCents, "delivery fee");
  let subtotal = 0;
  let itemCount = 0;
  for (const line of lines) {
    subtotal += lineTotalCents(unitPriceCents(line.basePriceCents, line.modifierPricesCents), line.quantity);
    itemCount += line.quantity;
  }
  const tax = taxCents(subtotal, opts.taxRatePpm);
  return {
    itemCount,
    subtotalCents: subtotal,
    taxCents: tax,
    deliveryFeeCents: opts.deliveryFeeCents,
    totalCents: subtotal + tax + opts.deliveryFeeCents,
  };
}

/** Rewards: whole dollars of the subtotal (before tax and fees) × points per dollar, rounded down. */
export function rewardPoints(subtotalCents: number, pointsPerDollar: number): number {
  assertCents(subtotalCents, "subtotal");
  return Math.floor(subtotalCents / 100) * pointsPerDollar;
}
