import { availabilityOf, ingredientIsOut, type LocationMenu, loadLocationMenu, type Product } from "@orderline/catalog";
import {
  type MenuIngredientStock,
  type MenuItemStock,
  type MenuStockRequest,
  type MenuStockResult,
  type SetIngredientCountRequest,
  type SetIngredientInStockRequest,
  type SetIngredientStockResult,
  type SetItemSoldOutRequest,
  type SetItemSoldOutResult,
  ToolFailure,
} from "@orderline/contracts";
import {
  brandIngredient,
  ingredientStockOf,
  lockIngredientStock,
  lockItemOverride,
  recordMenuControl,
  updateIngredientStock,
  updateItemOverride,
} from "../repositories/menu-control.ts";
import type { MenuDeps } from "./deps.ts";

/**
 * Staff menu control ("86 it"), requests without an envelope (MENU_CONTROL_SUBJECTS). Each change runs in one
 * transaction with the row locked and a menu_control_events row, then `announce` tells every replica (NATS
 * catalogChanged; the catalog triggers NOTIFY as well). A request for the state already in force changes and
 * records nothing (`changed: false`). Results are read from Postgres after the commit, not from the cache.
 */
export interface MenuControlDeps extends MenuDeps {
  /** After a committed change: drop this replica's snapshot of the location and tell every other replica. */
  announce(locationId: string): void;
}

const NOT_AN_ITEM = "That item isn't on this location's menu.";
const NOT_AN_INGREDIENT = "That ingredient isn't one of this location's ingredients.";

export function itemStock(menu: LocationMenu, product: Product, now: Date): MenuItemStock {
  const a = availabilityOf(menu, product, now);
  return {
    productId: product.id,
    name: product.name,
    category: product.categoryName,
    soldOut: product.soldOut,
    note: product.soldOutNote,
    available: a.available,
    reason: a.reason,
    missingIngredients: a.missingIngredients,
  };
}

type StockRow = { id: string; name: string; in_stock: boolean | null; quantity: number | null };

export function ingredientStock(menu: LocationMenu, row: StockRow): MenuIngredientStock {
  return {
    ingredientId: row.id,
    name: row.name,
    inStock: row.in_stock ?? true,
    quantity: row.quantity,
    available: !ingredientIsOut(row.in_stock, row.quantity),
    usedBy: menu.products.filter((p) => p.ingredientIds.includes(row.id)).map((p) => ({ productId: p.id, name: p.name })),
  };
}

/** The location's phone menu items and the brand's ingredients with their state there, read fresh from Postgres. */
export async function menuStock(deps: MenuDeps, req: MenuStockRequest): Promise<MenuStockResult> {
  const now = deps.clock();
  const menu = await loadLocationMenu(deps.db, req.locationId, now);
  const rows = await ingredientStockOf(deps.db, req.locationId);
  return {
    locationId: req.locationId,
    items: menu.products.map((p) => itemStock(menu, p, now)),
    ingredients: rows.map((r) => ingredientStock(menu, r)),
  };
}

/** Marks an item sold out at the location, or back. */
export async function setItemSoldOut(deps: MenuControlDeps, req: SetItemSoldOutRequest): Promise<SetItemSoldOutResult> {
  const now = deps.clock();
  const before = await deps.cache.get(req.locationId);
  const product = before.products.find((p) => p.id === req.productId);
  if (!product) throw new ToolFailure("not_on_menu", NOT_AN_ITEM, { productId: req.productId });
  const changed = await deps.db.transaction().execute(async (tx) => {
    const row = await lockItemOverride(tx, req.locationId, product.id);
    if (row.sold_out === req.soldOut) return false;
    const note = req.note ?? null;
    await updateItemOverride(tx, req.locationId, product.id, req.soldOut, note, now);
    await recordMenuControl(tx, {
      locationId: req.locationId,
      action: req.soldOut ? "item_sold_out" : "item_back",
      productId: product.id,
      subjectName: product.name,
      actor: req.actor,
      note,
      at: now,
    });
    return true;
  });
  if (changed) deps.announce(req.locationId);
  const menu = await loadLocationMenu(deps.db, req.locationId, now);
  const after = menu.products.find((p) => p.id === product.id);
  if (!after) throw new ToolFailure("not_on_menu", NOT_AN_ITEM, { productId: req.productId });
  return { ...itemStock(menu, after, now), changed };
}

/**
 * Changes an ingredient's stock row under a lock: `decide` gets the row and returns the new values and what
 * to record, or null for no change. Shared by in-stock flags and counts.
 */
async function changeIngredient(
  deps: MenuControlDeps,
  req: { locationId: string; ingredientId: string; actor: string; note?: string | undefined },
  decide: (
    row: { in_stock: boolean; quantity: number | null },
    name: string,
  ) => { set: { in_stock?: boolean; quantity?: number | null }; action: "ingredient_out" | "ingredient_back" | "ingredient_count_set" | "ingredient_count_adjusted" } | null,
): Promise<SetIngredientStockResult> {
  const now = deps.clock();
  await deps.cache.get(req.locationId); // unknown_location before anything else
  const ingredient = await brandIngredient(deps.db, req.locationId, req.ingredientId);
  if (!ingredient) throw new ToolFailure("not_on_menu", NOT_AN_INGREDIENT, { ingredientId: req.ingredientId });
  const outcome = await deps.db.transaction().execute(async (tx) => {
    const row = await lockIngredientStock(tx, req.locationId, ingredient.id);
    const change = decide(row, ingredient.name);
    const next = { ...row, ...change?.set };
    if (!change || (next.in_stock === row.in_stock && next.quantity === row.quantity)) return { row, next: row, changed: false };
    await updateIngredientStock(tx, req.locationId, ingredient.id, change.set, now);
    await recordMenuControl(tx, {
      locationId: req.locationId,
      action: change.action,
      ingredientId: ingredient.id,
      subjectName: ingredient.name,
      quantityBefore: row.quantity,
      quantityAfter: next.quantity,
      actor: req.actor,
      note: req.note ?? null,
      at: now,
    });
    return { row, next, changed: true };
  });
  if (outcome.changed) deps.announce(req.locationId);
  const menu = await loadLocationMenu(deps.db, req.locationId, now);
  return {
    ...ingredientStock(menu, { id: ingredient.id, name: ingredient.name, ...outcome.next }),
    changed: outcome.changed,
    quantityBefore: outcome.row.quantity,
  };
}

/** Marks an ingredient out at the location (every item made with it goes off), or back. */
export function setIngredientInStock(deps: MenuControlDeps, req: SetIngredientInStockRequest): Promise<SetIngredientStockResult> {
  return changeIngredient(deps, req, (row) =>
    row.in_stock === req.inStock ? null : { set: { in_stock: req.inStock }, action: req.inStock ? "ingredient_back" : "ingredient_out" },
  );
}

/**
 * Sets the ingredient's counted quantity (null: stop counting), or adjusts it by `delta`. A delta on an
 * uncounted ingredient, or one taking the count below zero, is refused and changes nothing.
 */
export function setIngredientCount(deps: MenuControlDeps, req: SetIngredientCountRequest): Promise<SetIngredientStockResult> {
  return changeIngredient(deps, req, (row, name) => {
    if (req.delta === undefined) return { set: { quantity: req.quantity ?? null }, action: "ingredient_count_set" };
    if (row.quantity === null) {
      throw new ToolFailure("invalid_quantity", `${name} isn't counted at this location; set a quantity first.`, { quantity: null, delta: req.delta });
    }
    const after = row.quantity + req.delta;
    if (after < 0) {
      throw new ToolFailure("invalid_quantity", `Only ${row.quantity} ${name} counted, so ${-req.delta} can't be taken away.`, {
        quantity: row.quantity,
        delta: req.delta,
      });
    }
    return { set: { quantity: after }, action: "ingredient_count_adjusted" };
  });
}
