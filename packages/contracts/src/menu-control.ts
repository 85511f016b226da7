import { z } from "zod";
import { UnavailableReason } from "./tools.ts";

/**
 * Staff menu control ("86 it"), answered by the menu service over NATS request/reply (queue group
 * `menu-service`). Bodies are plain JSON (no envelope); replies are tool replies `{ ok, result | error }`.
 * Every change names who made it (`actor`) and is recorded in `menu_control_events`; once committed, every
 * menu-service and order-service replica drops that location's cached menu (Postgres NOTIFY and the NATS
 * `EVENT_SUBJECTS.catalogChanged` event), so the next tool call of every live call sees it.
 * See docs/MENU-CONTROL.md.
 */
export const MENU_CONTROL_SUBJECTS = {
  /** An item sold out ("86'd") at one location, or back. */
  setItemSoldOut: (prefix = "") => `${prefix}orderline.menu.control.set_item_sold_out`,
  /** An ingredient out of stock at one location (every item made with it is off), or back. */
  setIngredientInStock: (prefix = "") => `${prefix}orderline.menu.control.set_ingredient_in_stock`,
  /** Sets (or adjusts by a delta, or stops) an ingredient's counted quantity at one location. */
  setIngredientCount: (prefix = "") => `${prefix}orderline.menu.control.set_ingredient_count`,
  /** A location's items and ingredients with their stock state, for the dashboard. */
  stock: (prefix = "") => `${prefix}orderline.menu.control.stock`,
} as const;

/** What `menu_control_events.action` records. */
export const MenuControlAction = z.enum([
  "item_sold_out",
  "item_back",
  "ingredient_out",
  "ingredient_back",
  "ingredient_count_set",
  "ingredient_count_adjusted",
  /** An order's consumption brought a counted ingredient to zero (actor "order-service", with the order). */
  "ingredient_counted_out",
]);
export type MenuControlAction = z.infer<typeof MenuControlAction>;

/** Largest count an ingredient can be given (a count is units on hand: portions, pieces, dough balls). */
export const MAX_INGREDIENT_COUNT = 1_000_000;

const Actor = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .describe('Who did it: the staff user\'s id as the dashboard knows it, e.g. "dashboard:5b1c2e0a" or "staff:maria".');
const Note = z.string().trim().max(500).optional().describe("Why, for the record (optional).");

export const SetItemSoldOutRequest = z.strictObject({
  /** The staff member's location: the change applies there only. */
  locationId: z.uuid(),
  productId: z.uuid(),
  /** true = sold out (off the phone menu), false = back on. */
  soldOut: z.boolean(),
  actor: Actor,
  note: Note,
});
export type SetItemSoldOutRequest = z.infer<typeof SetItemSoldOutRequest>;

export const SetIngredientInStockRequest = z.strictObject({
  locationId: z.uuid(),
  ingredientId: z.uuid(),
  /** false = out of stock (every item made with it is off), true = back. */
  inStock: z.boolean(),
  actor: Actor,
  note: Note,
});
export type SetIngredientInStockRequest = z.infer<typeof SetIngredientInStockRequest>;

export const SetIngredientCountRequest = z
  .strictObject({
    locationId: z.uuid(),
    ingredientId: z.uuid(),
    /** The counted quantity on hand; null = stop counting this ingredient here. */
    quantity: z.number().int().min(0).max(MAX_INGREDIENT_COUNT).nullable().optional(),
    /** Or a change of the current count: +24 (a delivery), -3 (spoiled). */
    delta: z.number().int().min(-MAX_INGREDIENT_COUNT).max(MAX_INGREDIENT_COUNT).optional(),
    actor: Actor,
    note: Note,
  })
  .refine((r) => (r.quantity !== undefined) !== (r.delta !== undefined), { message: "give exactly one of quantity or delta", path: ["quantity"] })
  .refine((r) => r.delta !== 0, { message: "delta must not be 0", path: ["delta"] });
export type SetIngredientCountRequest = z.infer<typeof SetIngredientCountRequest>;

export const MenuStockRequest = z.strictObject({ locationId: z.uuid() });
export type MenuStockRequest = z.infer<typeof MenuStockRequest>;

/** One item of a location's phone menu and whether a caller can order it now. */
export const MenuItemStock = z.object({
  productId: z.uuid(),
  name: z.string(),
  category: z.string(),
  /** Marked sold out at this location (`set_item_sold_out`). */
  soldOut: z.boolean(),
  /** The note of the last sold-out change, if any. */
  note: z.string().nullable(),
  /** Orderable right now (not sold out, no base ingredient out, within its serving window). */
  available: z.boolean(),
  reason: UnavailableReason.nullable(),
  /** Names of its base ingredients that are out (marked out, or counted down to zero). */
  missingIngredients: z.array(z.string()),
});
export type MenuItemStock = z.infer<typeof MenuItemStock>;

/** One ingredient of the brand at a location. */
export const MenuIngredientStock = z.object({
  ingredientId: z.uuid(),
  name: z.string(),
  /** The staff flag (`set_ingredient_in_stock`). */
  inStock: z.boolean(),
  /** Units on hand when this location counts it; null = not counted. Submitted orders count it down. */
  quantity: z.number().int().min(0).nullable(),
  /** inStock and not counted down to zero: items made with it can be ordered. */
  available: z.boolean(),
  /** Items of this location's menu made with it (base ingredient): all off while it is unavailable. */
  usedBy: z.array(z.object({ productId: z.uuid(), name: z.string() })),
});
export type MenuIngredientStock = z.infer<typeof MenuIngredientStock>;

export const MenuStockResult = z.object({
  locationId: z.uuid(),
  items: z.array(MenuItemStock),
  ingredients: z.array(MenuIngredientStock),
});
export type MenuStockResult = z.infer<typeof MenuStockResult>;

/** `changed: false` when the request asked for the state it was already in (a safe retry; nothing recorded). */
export const SetItemSoldOutResult = MenuItemStock.extend({ changed: z.boolean() });
export type SetItemSoldOutResult = z.infer<typeof SetItemSoldOutResult>;

export const SetIngredientStockResult = MenuIngredientStock.extend({
  changed: z.boolean(),
  /** The count before the change (null = was not counted). */
  quantityBefore: z.number().int().min(0).nullable(),
});
export type SetIngredientStockResult = z.infer<typeof SetIngredientStockResult>;
