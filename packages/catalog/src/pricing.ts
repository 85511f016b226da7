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

/** The one tax rule (parts per million, round half up on the subtotal) lives in contracts. */
export { taxCents } from "@orderline/contracts";
