import { type Kysely, sql } from "kysely";
import type { Database } from "@orderline/db";

type Db = Kysely<Database>;

/** Of these products, the ones sold out or hidden at the location now (read in the caller's transaction). */
export async function offMenuProducts(db: Db, locationId: string, productIds: readonly string[]): Promise<Set<string>> {
  if (productIds.length === 0) return new Set();
  const rows = await db
    .selectFrom("location_product_overrides")
    .select("product_id")
    .where("location_id", "=", locationId)
    .where("product_id", "in", [...productIds])
    .where((eb) => eb.or([eb("sold_out", "=", true), eb("hidden", "=", true)]))
    .execute();
  return new Set(rows.map((r) => r.product_id));
}

export interface StockRow {
  ingredientId: string;
  name: string;
  inStock: boolean;
  quantity: number | null;
}

/**
 * Row-locks the location's stock rows of these ingredients until commit, in ingredient id order (concurrent
 * submits needing the same ingredients queue up instead of deadlocking). An ingredient without a row is in
 * stock and not counted, and is not returned.
 */
export async function lockStock(db: Db, locationId: string, ingredientIds: readonly string[]): Promise<StockRow[]> {
  if (ingredientIds.length === 0) return [];
  const rows = await db
    .selectFrom("ingredient_stock as s")
    .innerJoin("ingredients as i", "i.id", "s.ingredient_id")
    .select(["s.ingredient_id", "i.name", "s.in_stock", "s.quantity"])
    .where("s.location_id", "=", locationId)
    .where("s.ingredient_id", "in", [...ingredientIds])
    .orderBy("s.ingredient_id")
    .forUpdate("s")
    .execute();
  return rows.map((r) => ({ ingredientId: r.ingredient_id, name: r.name, inStock: r.in_stock, quantity: r.quantity }));
}

/**
 * Counts counted ingredients down by the units taken (rows locked by `lockStock`; the CHECK keeps a count at
 * zero or above). Returns the new counts.
 */
export async function takeStock(db: Db, locationId: string, takes: readonly { ingredientId: string; units: number }[], now: Date): Promise<Map<string, number>> {
  if (takes.length === 0) return new Map();
  const { rows } = await sql<{ ingredient_id: string; quantity: number }>`
    UPDATE ingredient_stock AS s
    SET quantity = s.quantity - t.units, updated_at = ${now}
    FROM unnest(${takes.map((t) => t.ingredientId)}::uuid[], ${takes.map((t) => t.units)}::int[]) AS t (ingredient_id, units)
    WHERE s.location_id = ${locationId} AND s.ingredient_id = t.ingredient_id AND s.quantity IS NOT NULL
    RETURNING s.ingredient_id, s.quantity`.execute(db);
  return new Map(rows.map((r) => [r.ingredient_id, r.quantity]));
}

/** Records in menu_control_events that this order's consumption brought these counted ingredients to zero. */
export async function recordCountedOut(
  db: Db,
  e: { locationId: string; orderId: string; ingredients: readonly { ingredientId: string; name: string; before: number }[]; at: Date },
): Promise<void> {
  if (e.ingredients.length === 0) return;
  await db
    .insertInto("menu_control_events")
    .values(
      e.ingredients.map((i) => ({
        location_id: e.locationId,
        action: "ingredient_counted_out" as const,
        ingredient_id: i.ingredientId,
        subject_name: i.name,
        quantity_before: i.before,
        quantity_after: 0,
        order_id: e.orderId,
        actor: "order-service",
        at: e.at,
      })),
    )
    .execute();
}
