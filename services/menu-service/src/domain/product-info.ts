import type { Product } from "@orderline/catalog";

/** A product's sizes as the menu tools list them: id, name, effective price at the location, in menu order. */
export function sizeOptions(product: Product) {
  return product.variations.map((v) => ({ variationId: v.id, name: v.name, priceCents: v.priceCents, aliases: v.aliases, isDefault: v.isDefault }));
}

/**
 * A product's modifier groups as the menu tools list them. `inStockOnly` (what the model is offered) leaves out
 * choices whose ingredient is out; without it every choice is listed with its `inStock` flag.
 */
export function modifierGroupsOf(product: Product, opts: { inStockOnly: boolean }) {
  return product.modifierGroups.map((g) => ({
    groupId: g.id,
    name: g.name,
    minSelections: g.minSelections,
    maxSelections: g.maxSelections,
    choices: g.modifiers
      .filter((m) => m.inStock || !opts.inStockOnly)
      .map((m) => ({
        modifierId: m.id,
        name: m.name,
        kind: m.kind,
        priceCents: m.priceCents,
        extraPriceCents: m.extraPriceCents,
        aliases: m.aliases,
        isDefault: m.isDefault,
        inStock: m.inStock,
      })),
  }));
}
