import { z } from "zod";

/** Money is integer cents end to end. */
export const Cents = z.number().int().min(0).max(100_000_000);
export type Cents = z.infer<typeof Cents>;

// Building an Intl.NumberFormat is far costlier than using one: keep one per locale and currency.
const currencyFormats = new Map<string, Intl.NumberFormat>();

/**
 * "$24.15" — for speech strings. `locale` is the language the amount is spoken in (es-US also says "$24.15":
 * the currency stays the location's, only the number formatting follows the language).
 */
export function formatCents(cents: number, currency = "USD", locale = "en-US"): string {
  const key = `${locale}|${currency}`;
  let format = currencyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: "currency", currency });
    currencyFormats.set(key, format);
  }
  return format.format(cents / 100);
}

/**
 * Sales tax rates are integer parts per million of the subtotal: 8.875 % (New York City) = 88 750 ppm.
 * Basis points cannot express such rates; ppm covers every US combined rate exactly.
 */
export const TAX_RATE_PPM_MAX = 1_000_000;

/**
 * Sales tax on an order subtotal: round-half-up(subtotal × rate_ppm / 1 000 000), in exact integer
 * arithmetic, computed once on the subtotal (not per line). The one tax rule of the whole system.
 */
export function taxCents(subtotalCents: number, taxRatePpm: number): number {
  if (!Number.isSafeInteger(subtotalCents) || subtotalCents < 0) {
    throw new RangeError(`subtotal must be a non-negative integer number of cents, got ${subtotalCents}`);
  }
  if (!Number.isInteger(taxRatePpm) || taxRatePpm < 0 || taxRatePpm > TAX_RATE_PPM_MAX) {
    throw new RangeError(`tax rate must be 0-${TAX_RATE_PPM_MAX} parts per million, got ${taxRatePpm}`);
  }
  return Number((BigInt(subtotalCents) * BigInt(taxRatePpm) + 500_000n) / 1_000_000n);
}
