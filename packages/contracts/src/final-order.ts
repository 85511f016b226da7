import { z } from "zod";
import { ModifierAction } from "./enums.ts";
import { Cents } from "./money.ts";

/** One item of the final order, as the menu names it, priced by the order service. */
export const FinalOrderItem = z.object({
  name: z.string(),
  qty: z.number().int().min(1),
  size: z.string().nullable(),
  modifiers: z.array(z.object({ name: z.string(), action: ModifierAction, priceCents: Cents })),
  notes: z.string().nullable(),
  unitPriceCents: Cents,
  lineTotalCents: Cents,
});
export type FinalOrderItem = z.infer<typeof FinalOrderItem>;

/**
 * The final order (`orders.final_order_json`) in the seed's shape `{"action":"confirm"|"modify","items":[{"name",
 * "qty"}],"notes","confirmed":true}`, extended with sizes, modifiers and the priced totals in cents. A
 * cancelled order: action "cancel", no items, confirmed false.
 */
export const FinalOrder = z.object({
  action: z.enum(["confirm", "modify", "cancel"]),
  items: z.array(FinalOrderItem),
  notes: z.string().nullable(),
  confirmed: z.boolean(),
  subtotalCents: Cents,
  taxCents: Cents,
  deliveryFeeCents: Cents,
  totalCents: Cents,
  currency: z.string().length(3),
});
export type FinalOrder = z.infer<typeof FinalOrder>;
