import { ToolFailure } from "@orderline/contracts";
import type { Variation } from "./types.ts";

export const MAX_LINE_QUANTITY = 50;

export interface LinePrice {
  /** Variation price (or the override given) plus modifier prices, for one item. */
  unitPriceCents: number;
  lineTotalCents: number;
}

/**
 * Prices one cart line in integer cents. `basePriceCents` overrides the variation's price (e.g. a
 * running special from `variationPriceAt`). Quantity must be a whole number 1…50 (invalid_quantity).
 */
export function priceLine(
  variation: Pick<Variation, "priceCents">,
  modifiers: readonly { priceCents: number }[],
  quantity: number,
  opts: { basePriceCents?: number } = {},
): LinePrice {
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_LINE_QUANTITY) {
    throw new ToolFailure("invalid_quantity", `The quantity has to be a whole number from 1 to ${MAX_LINE_QUANTITY}.`, { quantity });
  }
  const base = opts.basePriceCents ?? variation.priceCents;
  const parts = [base, ...modifiers.map((m) => m.priceCents)];
  if (!parts.every((c) => Number.isSafeInteger(c) && c >= 0)) throw new RangeError(`prices must be non-negative integer cents: ${parts.join(", ")}`);
  const unitPriceCents = parts.reduce((a, b) => a + b, 0);
  return { unitPriceCents, lineTotalCents: unitPriceCents * quantity };
}

/** Sales tax on a subtotal, rounded half up to the cent: 887 bps of 2 000 ¢ = 177.4 ¢ → 177 ¢. */
export function taxCents(subtotalCents: number, taxRateBps: number): number {
  if (!Number.isSafeInteger(subtotalCents) || subtotalCents < 0) throw new RangeError(`subtotal must be non-negative integer cents: ${subtotalCents}`);
  if (!Number.isInteger(taxRateBps) || taxRateBps < 0) throw new RangeError(`tax rate must be non-negative basis points: ${taxRateBps}`);
  return Math.floor((subtotalCents * taxRateBps + 5_000) / 10_000);
}
