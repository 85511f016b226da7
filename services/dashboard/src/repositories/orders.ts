import type { Database, Order } from "@orderline/db";
import type { Kysely } from "kysely";

const BOARD_COLUMNS = [
  "id",
  "location_id",
  "order_number",
  "state",
  "channel",
  "order_type",
  "customer_name",
  "customer_phone",
  "total_cents",
  "business_date",
  "submitted_at",
  "promised_at",
  "ready_at",
  "ready_call_outcome",
  "call_sid",
] as const;
export type BoardRow = Pick<Order, (typeof BOARD_COLUMNS)[number]> & { lines: { name: string; size: string | null; quantity: number }[] };

async function withLines(db: Kysely<Database>, orders: Omit<BoardRow, "lines">[]): Promise<BoardRow[]> {
  if (orders.length === 0) return [];
  const items = await db
    .selectFrom("order_items")
    .select(["order_id", "product_name", "size_name", "quantity"])
    .where("order_id", "in", orders.map((o) => o.id))
    .orderBy("order_id")
    .orderBy("position")
    .execute();
  return orders.map((o) => ({
    ...o,
    lines: items.filter((i) => i.order_id === o.id).map((i) => ({ name: i.product_name, size: i.size_name, quantity: i.quantity })),
  }));
}

/** Orders of each location's business date (drafts left out), oldest first. */
export async function boardOrders(db: Kysely<Database>, days: readonly { locationId: string; date: string }[]): Promise<BoardRow[]> {
  if (days.length === 0) return [];
  const rows = await db
    .selectFrom("orders")
    .select(BOARD_COLUMNS)
    .where((eb) => eb.or(days.map((d) => eb.and([eb("location_id", "=", d.locationId), eb("business_date", "=", d.date)]))))
    .where("state", "<>", "draft")
    .orderBy("submitted_at")
    .orderBy("id")
    .execute();
  return withLines(db, rows);
}

export async function boardOrder(db: Kysely<Database>, id: string): Promise<BoardRow | null> {
  const row = await db.selectFrom("orders").select(BOARD_COLUMNS).where("id", "=", id).executeTakeFirst();
  return row ? ((await withLines(db, [row]))[0] ?? null) : null;
}

export async function orderLocation(db: Kysely<Database>, id: string): Promise<string | null> {
  return (await db.selectFrom("orders").select("location_id").where("id", "=", id).executeTakeFirst())?.location_id ?? null;
}
