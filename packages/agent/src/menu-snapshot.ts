import type { LocationMenu, Modifier, ModifierGroup, Product } from "@orderline/catalog";
import { AgentMenu, type AgentMenuItem } from "@orderline/contracts";
import { TechnicalFailureError } from "./tool-client.ts";
import type { AgentCallContext, AgentTools } from "./types.ts";

/**
 * The location's menu as the menu service's snapshot describes it (one `readMenu` request: items, sizes,
 * prices, choices, aliases, availability), in the catalog's `LocationMenu` shape so the catalog's own
 * spoken-name resolution runs on it. Hours, specials and stock counts are not part of it: this view is for
 * recognising item mentions, sizes and modifier words in a sentence; the order service resolves, prices and
 * checks the availability of every item for real at add_item and submit_order.
 */
function slugOf(name: string): string {
  return name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

function productFrom(item: AgentMenuItem): Product {
  const modifierGroups: ModifierGroup[] = item.modifierGroups.map((g) => ({
    id: g.groupId,
    slug: slugOf(g.name),
    name: g.name,
    minSelections: g.minSelections,
    maxSelections: g.maxSelections,
    modifiers: g.choices.map(
      (c): Modifier => ({
        id: c.modifierId,
        groupId: g.groupId,
        slug: slugOf(c.name),
        name: c.name,
        aliases: c.aliases,
        kind: c.kind,
        priceCents: c.priceCents,
        extraPriceCents: c.extraPriceCents,
        ingredientId: null,
        isDefault: c.isDefault,
        inStock: c.inStock,
      }),
    ),
  }));
  return {
    id: item.productId,
    categoryId: item.categoryId,
    categoryName: item.category,
    slug: slugOf(item.name),
    name: item.name,
    aliases: item.aliases,
    allergens: item.allergens,
    description: item.description,
    servingWindow: null,
    variations: item.sizes.map((s) => ({
      id: s.variationId,
      productId: item.productId,
      slug: slugOf(s.name),
      name: s.name,
      aliases: s.aliases,
      priceCents: s.priceCents,
      basePriceCents: s.priceCents,
      isDefault: s.isDefault,
    })),
    modifierGroups,
    ingredientIds: [],
    outOfStockIngredients: [],
    soldOut: !item.available,
    soldOutNote: null,
  };
}

/** Reads the location's whole menu in one request (not a tool call) and checks it against the contract. */
export async function loadMenu(ctx: AgentCallContext, tools: AgentTools): Promise<LocationMenu> {
  let raw: unknown;
  try {
    raw = await tools.readMenu();
  } catch (err) {
    throw new TechnicalFailureError("menu", `the menu could not be read: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const parsed = AgentMenu.safeParse(raw);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.join(".") || "(menu)"}: ${i.message}`).join("; ");
    throw new TechnicalFailureError("menu", `the menu does not match the contract: ${where}`);
  }
  return menuFrom(ctx.location, parsed.data);
}

/** The menu service's view of a location as the catalog's `LocationMenu` (the parts item resolution reads). */
export function menuFrom(location: AgentCallContext["location"], agentMenu: AgentMenu): LocationMenu {
  const products = agentMenu.items.map(productFrom);
  return {
    location: {
      id: location.id,
      brandId: "",
      slug: "",
      name: location.name,
      addressLine1: "",
      addressLine2: null,
      city: "",
      region: "",
      postalCode: "",
      country: "US",
      crossStreets: null,
      directionsHint: null,
      parkingNote: null,
      timezone: location.timezone,
      taxRatePpm: 0,
      publicPhone: "",
      staffTransferNumbers: [],
      deliveryPostalCodes: [],
      deliveryMinimumCents: 0,
      deliveryFeeCents: 0,
      defaultPrepMinutes: 0,
      deliveryExtraMinutes: 0,
      greeting: null,
      language: location.language,
    },
    categories: agentMenu.categories.map((c) => ({
      id: c.categoryId,
      slug: slugOf(c.name),
      name: c.name,
      description: c.description,
      itemCount: products.filter((p) => p.categoryId === c.categoryId).length,
    })),
    products,
    specials: [],
    weeklyHours: [],
    exceptions: [],
    outOfStockIngredients: [],
    loadedAt: new Date(agentMenu.loadedAt),
  };
}

/**
 * Per-location menus of one agent instance, reused for `ttlMs` (a cache, not call state). `forget` drops a
 * location's (or every, with "*") at once: the gateway calls it when the menu service announces a change
 * (staff 86'd an item), so the next turn reads the menu again.
 */
export function createMenuCache(ttlMs: number) {
  const menus = new Map<string, { at: number; menu: Promise<LocationMenu> }>();
  return {
    get(ctx: AgentCallContext, tools: AgentTools): Promise<LocationMenu> {
      const now = Date.now();
      const hit = menus.get(ctx.location.id);
      if (hit && now - hit.at < ttlMs) return hit.menu;
      const entry = { at: now, menu: loadMenu(ctx, tools) };
      menus.set(ctx.location.id, entry);
      // A failed read is not kept (unless a newer read already replaced it).
      entry.menu.catch(() => {
        if (menus.get(ctx.location.id) === entry) menus.delete(ctx.location.id);
      });
      return entry.menu;
    },
    forget(locationId: string): void {
      if (locationId === "*") menus.clear();
      else menus.delete(locationId);
    },
  };
}
export type MenuCache = ReturnType<typeof createMenuCache>;
