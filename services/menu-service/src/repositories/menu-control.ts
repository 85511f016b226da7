import type { MenuControlAction } from "@orderline/contracts";
import type { Database } from "@orderline/db";
import type { Kysely } from "kysely";

type Db = Kysely<Database>;

/** An ingredient of the location's brand, or undefined. */
export async function brandIngredient(db: Db, locationId: string, ingredientId: string): Promise<{ id: string; name: string } | undefined> {
  return db
    .selectFrom("ingredients as i")
    .innerJoin("locations as l", "l.brand_id", "i.brand_id")
    .select(["i.id", "i.name"])
    .where("l.id", "=", locationId)
    .where("i.id", "=", ingredientId)
    .executeTakeFirst();
}

/** The location's override row of a product, created (not sold out) when missing, then row-locked until commit. */
export async function lockItemOverride(db: Db, locationId: string, productId: string): Promise<{ sold_out: boolean }> {
  await db.insertInto("location_product_overrides").values({ location_id: locationId, product_id: productId }).onConflict((oc) => oc.doNothing()).execute();
  return db
    .selectFrom("location_product_overrides")
    .select("sold_out")
    .where("location_id", "=", locationId)
    .where("product_id", "=", productId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

export async function updateItemOverride(db: Db, locationId: string, productId: string, soldOut: boolean, note: string | null, now: Date): Promise<void> {
  await db
    .updateTable("location_product_overrides")
    .set({ sold_out: soldOut, note, updated_at: now })
    .where("location_id", "=", locationId)
    .where("product_id", "=", productId)
    .execute();
}

/** The location's stock row of an ingredient, created (in stock, not counted) when missing, then row-locked until commit. */
export async function lockIngredientStock(db: Db, locationId: string, ingredientId: string): Promise<{ in_stock: boolean; quantity: number | null }> {
  await db.insertInto("ingredient_stock").values({ location_id: locationId, ingredient_id: ingredientId }).onConflict((oc) => oc.doNothing()).execute();
  return db
    .selectFrom("ingredient_stock")
    .select(["in_stock", "quantity"])
    .where("location_id", "=", locationId)
    .where("ingredient_id", "=", ingredientId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

export async function updateIngredientStock(
  db: Db,
  locationId: string,
  ingredientId: string,
  set: { in_stock?: boolean; quantity?: number | null },
  now: Date,
): Promise<void> {
  await db
    .updateTable("ingredient_stock")
    .set({ ...set, updated_at: now })
    .where("location_id", "=", locationId)
    .where("ingredient_id", "=", ingredientId)
    .execute();
}

/** Every ingredient of the location's brand with its stock row there (none = in stock, not counted), by name. */
export async function ingredientStockOf(db: Db, locationId: string): Promise<{ id: string; name: string; in_stock: boolean | null; quantity: number | null }[]> {
  return db
    .selectFrom("ingredients as i")
    .innerJoin("locations as l", "l.brand_id", "i.brand_id")
    .leftJoin("ingredient_stock as s", (j) => j.onRef("s.ingredient_id", "=", "i.id").onRef("s.location_id", "=", "l.id"))
    .select(["i.id", "i.name", "s.in_stock", "s.quantity"])
    .where("l.id", "=", locationId)
    .orderBy("i.name")
    .orderBy("i.id")
    .execute();
}

export interface MenuControlRecord {
  locationId: string;
  action: MenuControlAction;
  productId?: string;
  ingredientId?: string;
  subjectName: string;
  quantityBefore?: number | null;
  quantityAfter?: number | null;
  actor: string;
  note: string | null;
  at: Date;
}

/** One row of menu_control_events (who 86'd what, when). */
export async function recordMenuControl(db: Db, r: MenuControlRecord): Promise<void> {
  await db
    .insertInto("menu_control_events")
    .values({
      location_id: r.locationId,
      action: r.action,
      product_id: r.productId ?? null,
      ingredient_id: r.ingredientId ?? null,
      subject_name: r.subjectName,
      quantity_before: r.quantityBefore ?? null,
      quantity_after: r.quantityAfter ?? null,
      actor: r.actor,
      note: r.note,
      at: r.at,
    })
    .execute();
}
