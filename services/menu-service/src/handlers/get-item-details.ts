import { availabilityOf } from "@orderline/catalog";
import type { RequestEnvelope, ToolArgs, ToolResult } from "@orderline/contracts";
import { modifierGroupsOf, sizeOptions } from "../domain/product-info.ts";
import { unavailableSpeech } from "./check-availability.ts";
import { type MenuDeps, menuAndSpeech, productFromArg } from "./deps.ts";

/** get_item_details(item_name): sizes, choices, description, allergens, availability of one product. */
export async function getItemDetails(deps: MenuDeps, args: ToolArgs<"get_item_details">, envelope: RequestEnvelope): Promise<ToolResult<"get_item_details">> {
  const { menu, language, say } = await menuAndSpeech(deps, envelope);
  const match = await productFromArg(deps, menu, args.item_name, language);
  const product = match.product;
  const availability = availabilityOf(menu, product, deps.clock());
  // The registry's result schema keeps only the fields a tool result has (no aliases or stock flags).
  const sizes = sizeOptions(product);
  const modifierGroups = modifierGroupsOf(product, { inStockOnly: true });
  const parts: string[] = [];
  if (match.variation) parts.push(say.sizePrice(match.variation.name, product.name, match.variation.priceCents));
  else if (sizes.length === 1) parts.push(say.price(product.name, sizes[0]!.priceCents));
  else parts.push(say.sizes(product.name, sizes));
  if (product.description) parts.push(product.description);
  const required = product.modifierGroups.filter((g) => g.minSelections > 0 && !g.modifiers.some((m) => m.isDefault));
  for (const g of required) {
    parts.push(say.needsChoiceOf(g.name, g.modifiers.filter((m) => m.inStock).map((m) => m.name)));
  }
  if (product.allergens.length > 0) parts.push(say.contains(product.allergens));
  if (!availability.available) parts.push(unavailableSpeech(say, product.name, availability));
  return {
    productId: product.id,
    name: product.name,
    category: product.categoryName,
    description: product.description,
    allergens: product.allergens,
    sizes,
    modifierGroups,
    available: availability.available,
    unavailableReason: availability.reason,
    speech: parts.join(" "),
  };
}
