import { formatCents } from "@orderline/contracts";
import type { Database } from "@orderline/db";
import type { Kysely } from "kysely";

export interface StoredOrderLine {
  quantity: number;
  item: string;
  size: string | null;
  modifiers: string[];
  lineTotalCents: number;
}

export interface StoredOrder {
  number: number | null;
  state: string;
  type: string;
  name: string | null;
  phone: string | null;
  lines: StoredOrderLine[];
  subtotalCents: number;
  taxCents: number;
  deliveryFeeCents: number;
  totalCents: number;
}

/** The orders a call submitted (drafts left out), as stored in Postgres, oldest first. */
export async function ordersOfCall(db: Kysely<Database>, callSid: string): Promise<StoredOrder[]> {
  const orders = await db.selectFrom("orders").selectAll().where("call_sid", "=", callSid).where("state", "!=", "draft").orderBy("created_at").execute();
  const out: StoredOrder[] = [];
  for (const o of orders) {
    const items = await db.selectFrom("order_items").selectAll().where("order_id", "=", o.id).orderBy("position").execute();
    const mods = items.length
      ? await db
          .selectFrom("order_item_modifiers")
          .select(["order_item_id", "name", "action"])
          .where(
            "order_item_id",
            "in",
            items.map((i) => i.id),
          )
          .execute()
      : [];
    out.push({
      number: o.order_number,
      state: o.state,
      type: o.order_type,
      name: o.customer_name,
      phone: o.customer_phone,
      lines: items.map((i) => ({
        quantity: i.quantity,
        item: i.product_name,
        size: i.size_name,
        modifiers: mods.filter((m) => m.order_item_id === i.id).map((m) => (m.action === "add" ? m.name : `${m.action} ${m.name}`)),
        lineTotalCents: i.line_total_cents,
      })),
      subtotalCents: o.subtotal_cents,
      taxCents: o.tax_cents,
      deliveryFeeCents: o.delivery_fee_cents,
      totalCents: o.total_cents,
    });
  }
  return out;
}

/** "Order #12 (submitted, pickup) for Mike, +15551234567" then one line per item and the totals. */
export function formatOrder(o: StoredOrder): string {
  const lines = [`Order #${o.number ?? "?"} (${o.state}, ${o.type}) for ${o.name ?? "?"}, ${o.phone ?? "?"}`];
  for (const l of o.lines) {
    const mods = l.modifiers.length > 0 ? ` (${l.modifiers.join(", ")})` : "";
    lines.push(`  ${l.quantity} × ${l.size ? `${l.size} ` : ""}${l.item}${mods}  ${formatCents(l.lineTotalCents)}`);
  }
  const fee = o.deliveryFeeCents > 0 ? `  delivery ${formatCents(o.deliveryFeeCents)}` : "";
  lines.push(`  subtotal ${formatCents(o.subtotalCents)}  tax ${formatCents(o.taxCents)}${fee}  total ${formatCents(o.totalCents)}`);
  return lines.join("\n");
}
