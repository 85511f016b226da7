import { randomUUID } from "node:crypto";
import type { TestDatabase } from "@orderline/db/testing";

let nextNumber = 40;

/** A submitted (or ready) pickup order placed by voice, with one line, straight into the test database. */
export async function insertOrder(
  db: TestDatabase,
  o: { locationId: string; phone: string; name?: string; state?: "submitted" | "ready"; orderNumber?: number },
): Promise<{ id: string; orderNumber: number }> {
  const id = randomUUID();
  const orderNumber = o.orderNumber ?? ++nextNumber;
  await db.db
    .insertInto("orders")
    .values({
      id,
      location_id: o.locationId,
      channel: "voice",
      call_sid: `CA${id.replaceAll("-", "")}`,
      order_session_id: randomUUID(),
      order_type: "pickup",
      state: o.state ?? "ready",
      business_date: "2026-12-05",
      order_number: orderNumber,
      customer_name: o.name ?? "Mike",
      customer_phone: o.phone,
      subtotal_cents: 1899,
      tax_cents: 169,
      total_cents: 2068,
      submitted_at: new Date("2026-12-05T23:20:00Z"),
      promised_at: new Date("2026-12-05T23:45:00Z"),
    })
    .execute();
  await db.db
    .insertInto("order_items")
    .values({ order_id: id, product_name: "Pepperoni Pizza", size_name: "Large", unit_price_cents: 1899, quantity: 1, line_total_cents: 1899 })
    .execute();
  return { id, orderNumber };
}
