import { MAX_LINE_QUANTITY, ToolFailure } from "@orderline/contracts";
import { CATALOG_MESSAGES } from "./i18n/catalog-messages.ts";
import type { SpeechLanguage } from "./i18n/language.ts";
import type { Variation } from "./types.ts";

/**
 * The line pricing rule, owned here and used by every service that prices a line:
 * unit price = variation price (or the override given, e.g. a running special) + Σ modifier prices;
 * line total = unit price × quantity, quantity a whole number 1…MAX_LINE_QUANTITY (contracts).
 */

export interface LinePrice {
  /** Variation price (or the override given) plus modifier prices, for one item. */
  unitPriceCents: number;
  lineTotalCents: number;
}

/** The quantity of one line, or `invalid_quantity` with a message the caller can hear. */
export function checkLineQuantity(quantity: number, language: SpeechLanguage = "en"): number {
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_LINE_QUANTITY) {
    throw new ToolFailure("invalid_quantity", CATALOG_MESSAGES[language].invalidQuantity(MAX_LINE_QUANTITY), { quantity, max: MAX_LINE_QUANTITY });
  }
  return quantity;
}

const assertCents = (parts: readonly number[]): void => {
  if (!parts.every((c) => Number.isSafeInteger(c) && c >= 0)) throw new RangeError(`prices must be non-negative integer cents: ${parts.join(", ")}`);
};

/** Base price plus modifier prices, for one item. */
export function unitPriceCents(basePriceCents: number, modifierPricesCents: readonly number[]): number {
  const parts = [basePriceCents, ...modifierPricesCents];
  assertCents(parts);
  return parts.reduce((a, b) => a + b, 0);
}

/** Unit price × quantity (quantity checked as above). */
export function lineTotalCents(unitPrice: number, quantity: number): number {
  assertCents([unitPrice]);
  return unitPrice * checkLineQuantity(quantity);
}

/**
 * Prices one cart line in integer cents. `basePriceCents` overrides the variation's price (e.g. a
 * running special from `variationPriceAt`).
 */
export function priceLine(
  variation: Pick<Variation, "priceCents">,
  modifiers: readonly { priceCents: number }[],
  quantity: number,
  opts: { basePriceCents?: number } = {},
): LinePrice {
  const unit = unitPriceCents(opts.basePriceCents ?? variation.priceCents, modifiers.map((m) => m.priceCents));
  return { unitPriceCents: unit, lineTotalCents: lineTotalCents(unit, quantity) };
}

/** The one tax rule (parts per million, round half up on the subtotal) lives in contracts. */
export { taxCents } from "@orderline/contracts";
