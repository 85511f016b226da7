import type { CallOrder } from "@orderline/agent/scenario-files";
import { formatCents } from "@orderline/contracts";

/** "Order #12 (submitted, pickup) for Mike, +15551234567", one line per item, then the totals. */
export function formatOrder(o: CallOrder): string {
  const lines = [`Order #${o.number ?? "?"} (${o.state}, ${o.type}) for ${o.name ?? "?"}, ${o.phone ?? "?"}`];
  if (o.type === "delivery") lines.push(`  to ${[o.address.street, o.address.unit, o.address.postalCode].filter(Boolean).join(", ")}`);
  for (const l of o.lines) {
    const mods = l.modifiers.length > 0 ? ` (${l.modifiers.join(", ")})` : "";
    lines.push(`  ${l.quantity} × ${l.size ? `${l.size} ` : ""}${l.item}${mods}  ${formatCents(l.lineTotalCents)}`);
  }
  const fee = o.deliveryFeeCents > 0 ? `  delivery ${formatCents(o.deliveryFeeCents)}` : "";
  lines.push(`  subtotal ${formatCents(o.subtotalCents)}  tax ${formatCents(o.taxCents)}${fee}  total ${formatCents(o.totalCents)}`);
  return lines.join("\n");
}
