import { lineTotalCents } from "@orderline/catalog";
import { taxCents } from "@orderline/contracts";

/**
 * Order arithmetic. Every amount is integer cents; nothing here ever reads a price from the model.
 *
 * Rules (also in README.md):
 * - unit price and line total: catalog's line pricing (`priceLine`, `unitPriceCents`, `lineTotalCents`) — an
 *   "extra" modifier carries its extra price, a "no" modifier costs 0;
 * - subtotal = Σ line totals;
 * - tax = round-half-up(subtotal × tax_rate_ppm / 1 000 000), computed once on the order subtotal (not per
 *   line) — `taxCents` from @orderline/contracts, the one tax rule of the system;
 * - delivery fee (delivery orders only) is not taxed;
 * - total = subtotal + tax + delivery fee.
 */

export { taxCents };

export interface PricedLineInput {
  /** Variation price plus modifier prices, for one item (catalog's `unitPriceCents`, snapshotted on the line). */
  unitPriceCents: number;
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

export function computeTotals(lines: readonly PricedLineInput[], opts: { taxRatePpm: number; deliveryFeeCents: number }): Totals {
  assertCents(opts.deliveryFeeCents, "delivery fee");
  let subtotal = 0;
  let itemCount = 0;
  for (const line of lines) {
    subtotal += lineTotalCents(line.unitPriceCents, line.quantity);
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
