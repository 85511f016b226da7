import { availabilityOf, fromPriceCents, listNames, resolveCategory } from "@orderline/catalog";
import type { RequestEnvelope, ToolArgs, ToolResult } from "@orderline/contracts";
import { price } from "../domain/speech.ts";
import { type MenuDeps, menuOf } from "./deps.ts";

/** Items read out in one breath; the rest are counted ("and 4 more"). */
const SPOKEN_ITEMS = 6;

/** get_menu(category?): the categories, or one category's items with from-prices and availability. */
export async function getMenu(deps: MenuDeps, args: ToolArgs<"get_menu">, envelope: RequestEnvelope): Promise<ToolResult<"get_menu">> {
  const menu = await menuOf(deps, envelope);
  if (args.category === undefined) {
    const categories = menu.categories.map((c) => ({ name: c.name, itemCount: c.itemCount }));
    return {
      categories,
      speech: `We have ${listNames(
        categories.map((c) => c.name),
        "and",
        "",
      )}. Which would you like to hear about?`,
    };
  }
  const category = resolveCategory(menu, args.category);
  const now = deps.clock();
  const items = menu.products
    .filter((p) => p.categoryId === category.id)
    .map((p) => ({ productId: p.id, name: p.name, fromPriceCents: fromPriceCents(p), available: availabilityOf(menu, p, now).available }));
  const available = items.filter((i) => i.available);
  const spoken = available.slice(0, SPOKEN_ITEMS).map((i) => `${i.name} from ${price(i.fromPriceCents)}`);
  const more = available.length - spoken.length;
  const unavailable = items.filter((i) => !i.available).map((i) => i.name);
  let speech =
    available.length === 0
      ? `Nothing from our ${category.name} is available right now.`
      : `In ${category.name} we have the ${listNames(spoken, "and", "")}${more > 0 ? `, and ${more} more` : ""}.`;
  if (unavailable.length > 0 && available.length > 0) {
    const names = listNames(unavailable, "and");
    speech += ` ${names.charAt(0).toUpperCase()}${names.slice(1)} ${unavailable.length === 1 ? "isn't" : "aren't"} available right now.`;
  }
  return { category: category.name, items, speech };
}
