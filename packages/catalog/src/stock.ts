import type { ModifierAction } from "@orderline/contracts";
import type { LocationMenu, Product } from "./types.ts";

/**
 * The ingredient stock rule, owned here: what makes an ingredient "out" at a location and how many counted
 * units an order uses. The menu snapshot (load.ts) marks products unavailable with it; the order service
 * counts ingredients down with it when an order is submitted.
 */

/** An ingredient is out when staff marked it out, or when it is counted and the count reached zero. */
export function ingredientIsOut(inStock: boolean | null, quantity: number | null): boolean {
  return inStock === false || quantity === 0;
}

/** A cart line as far as stock is concerned (the order service's stored line fits). */
export interface StockLine {
  productId: string | null;
  quantity: number;
  modifiers: readonly { modifierId: string | null; action: ModifierAction }[];
}

/**
 * Units of each ingredient one item uses: 1 of each base ingredient (product_ingredients); a chosen modifier
 * with an ingredient then decides that ingredient — "no" → 0 (left off), "add" → 1 (at least; a crust
 * choice made of a base ingredient does not use it twice), "extra" → 2 (a double portion).
 */
export function unitIngredients(product: Product, modifiers: StockLine["modifiers"]): Map<string, number> {
  const units = new Map<string, number>(product.ingredientIds.map((id) => [id, 1]));
  const byId = new Map(product.modifierGroups.flatMap((g) => g.modifiers.map((m) => [m.id, m] as const)));
  for (const chosen of modifiers) {
    const ingredientId = chosen.modifierId ? byId.get(chosen.modifierId)?.ingredientId : null;
    if (!ingredientId) continue;
    if (chosen.action === "no") units.set(ingredientId, 0);
    else if (chosen.action === "extra") units.set(ingredientId, 2);
    else units.set(ingredientId, Math.max(units.get(ingredientId) ?? 0, 1));
  }
  for (const [id, n] of units) if (n === 0) units.delete(id);
  return units;
}

/**
 * Units of each ingredient the lines use together (item units × line quantity, summed over lines). A line whose
 * product is not on this menu any more uses nothing here (submit refuses it on availability first).
 */
export function ingredientNeeds(menu: LocationMenu, lines: readonly StockLine[]): Map<string, number> {
  const products = new Map(menu.products.map((p) => [p.id, p]));
  const needs = new Map<string, number>();
  for (const line of lines) {
    const product = line.productId ? products.get(line.productId) : undefined;
    if (!product) continue;
    for (const [id, n] of unitIngredients(product, line.modifiers)) needs.set(id, (needs.get(id) ?? 0) + n * line.quantity);
  }
  return needs;
}
