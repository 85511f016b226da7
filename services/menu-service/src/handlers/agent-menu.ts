import { availabilityOf, speechLanguageOf } from "@orderline/catalog";
import type { AgentMenu, AgentMenuRequest } from "@orderline/contracts";
import { modifierGroupsOf, sizeOptions } from "../domain/product-info.ts";
import type { MenuDeps } from "./deps.ts";

/**
 * The location's whole phone menu for the local agent (AGENT_MENU_SUBJECT), from the same cached snapshot the
 * menu tools answer from: no query of its own. Every choice is listed with its stock flag; availability is as
 * of now (the order service checks again at add_item and submit_order).
 */
export async function agentMenu(deps: MenuDeps, req: AgentMenuRequest): Promise<AgentMenu> {
  const menu = await deps.cache.get(req.locationId, speechLanguageOf(req.language));
  const now = deps.clock();
  return {
    locationId: menu.location.id,
    categories: menu.categories.map((c) => ({ categoryId: c.id, name: c.name, description: c.description })),
    items: menu.products.map((p) => {
      const availability = availabilityOf(menu, p, now);
      return {
        productId: p.id,
        categoryId: p.categoryId,
        category: p.categoryName,
        name: p.name,
        aliases: p.aliases,
        description: p.description,
        allergens: p.allergens,
        sizes: sizeOptions(p),
        modifierGroups: modifierGroupsOf(p, { inStockOnly: false }),
        available: availability.available,
        unavailableReason: availability.reason,
      };
    }),
    loadedAt: menu.loadedAt.toISOString(),
  };
}
