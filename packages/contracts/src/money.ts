import { z } from "zod";

/** Money is integer cents end to end. */
export const Cents = z.number().int().min(0).max(100_000_000);
export type Cents = z.infer<typeof Cents>;

/** "$24.15" — for speech strings. */
export function formatCents(cents: number, currency = "USD"): string {
  return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(cents / 100);
}
