import type { Cart, FinalOrder } from "@orderline/contracts";
import type { StoredLine } from "../repositories/orders.ts";

/**
 * What a line is, for telling whether the customer changed the order on the call: product size, quantity,
 * the choices made and the notes (not the prices, which the menu may have moved since).
 */
export function linesSignature(lines: readonly Pick<StoredLine, "variationId" | "quantity" | "modifiers" | "notes">[]): string {
  const rows = lines.map((l) => ({
    v: l.variationId,
    q: l.quantity,
    m: l.modifiers.map((m) => `${m.modifierId ?? m.name}:${m.action}`).sort(),
    n: l.notes ?? null,
  }));
  return JSON.stringify(rows.map((r) => JSON.stringify(r)).sort());
}

/**
 * The final order in the seed's shape (`{"action","items":[{"name","qty"}],"notes","confirmed"}`) with sizes,
 * choices (not the defaults nobody asked for) and the priced totals of the order service.
 */
export function finalOrderOf(action: FinalOrder["action"], lines: readonly StoredLine[], cart: Cart, notes: string | null, currency = "USD"): FinalOrder {
  const cancelled = action === "cancel";
  return {
    action,
    items: cancelled
      ? []
      : lines.map((l) => ({
          name: l.name,
          qty: l.quantity,
          size: l.size,
          modifiers: l.modifiers.filter((m) => !m.isDefault).map((m) => ({ name: m.name, action: m.action, priceCents: m.priceCents })),
          notes: l.notes,
          unitPriceCents: l.unitPriceCents,
          lineTotalCents: l.lineTotalCents,
        })),
    notes,
    confirmed: !cancelled,
    subtotalCents: cancelled ? 0 : cart.subtotalCents,
    taxCents: cancelled ? 0 : cart.taxCents,
    deliveryFeeCents: cancelled ? 0 : cart.deliveryFeeCents,
    totalCents: cancelled ? 0 : cart.totalCents,
    currency,
  };
}
