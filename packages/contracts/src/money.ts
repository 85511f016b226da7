import { z } from "zod";

/** Money is integer cents end to end. */
export const Cents = z.number().int().min(0).max(100_000_000);
export type Cents = z.infer<typeof Cents>;

// Building an Intl.NumberFormat is far costlier than using one: keep one per currency.
const currencyFormats = new Map<string, Intl.NumberFormat>();

/** "$24.15" — for speech strings. */
export function formatCents(cents: number, currency = "USD"): string {
  let format = currencyFormats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat("en-US", { style: "currency", currency });
    currencyFormats.set(currency, format);
  }
  return format.format(cents / 100);
}
