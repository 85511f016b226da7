import { availabilityOf, fromPriceCents, resolveCategory } from "@orderline/catalog";
import type { RequestEnvelope, ToolArgs, ToolResult } from "@orderline/contracts";
import { type MenuDeps, menuAndSpeech } from "./deps.ts";

/** Items read out in one breath; the rest are counted ("and 4 more"). */
const SPOKEN_ITEMS = 6;

/** get_menu(category?): the categories, or one category's items with from-prices and availability. */
export async function getMenu(deps: MenuDeps, args: ToolArgs<"get_menu">, envelope: RequestEnvelope): Promise<ToolResult<"get_menu">> {
  const { menu, language, say } = await menuAndSpeech(deps, envelope);
  if (args.category === undefined) {
    const categories = menu.categories.map((c) => ({ name: c.name, itemCount: c.itemCount }));
    return { categories, speech: say.categories(categories.map((c) => c.name)) };
  }
  const category = resolveCategory(menu, args.category, language);
  const now = deps.clock();
  const items = menu.products
    .filter((p) => p.categoryId === category.id)
    .map((p) => ({ productId: p.id, name: p.name, fromPriceCents: fromPriceCents(p), available: availabilityOf(menu, p, now).available }));
  const available = items.filter((i) => i.available);
  const spoken = available.slice(0, SPOKEN_ITEMS).map((i) => ({ name: i.name, priceCents: i.fromPriceCents }));
  const more = available.length - spoken.length;
  const unavailable = items.filter((i) => !i.available).map((i) => i.name);
  let speech = available.length === 0 ? say.nothingAvailableIn(category.name) : say.categoryItems(category.name, spoken, more);
  if (unavailable.length > 0 && available.length > 0) speech += ` ${say.notAvailableNow(unavailable)}`;
  return { category: category.name, items, speech };
}
