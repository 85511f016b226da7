import type { LocationMenu, Modifier, ModifierGroup, Product } from "@orderline/catalog";
import type { ToolResult } from "@orderline/contracts";
import { callToolOk } from "./tool-client.ts";
import type { AgentCallContext, AgentTools } from "./types.ts";

/**
 * The location's menu as the tools describe it (get_menu per category, get_item_details per item), in the
 * catalog's `LocationMenu` shape so the catalog's own spoken-name resolution runs on it. The tools do not
 * expose aliases, hours or stock, so those parts are empty: this snapshot is for recognising item mentions,
 * sizes and modifier words in a sentence; the order service resolves and prices every item for real.
 */
export interface MenuView {
  menu: LocationMenu;
  details: Map<string, ToolResult<"get_item_details">>;
}

function slugOf(name: string): string {
  return name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

function productFrom(d: ToolResult<"get_item_details">, categoryId: string): Product {
  const modifierGroups: ModifierGroup[] = d.modifierGroups.map((g) => ({
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
        aliases: [],
        kind: c.kind,
        priceCents: c.priceCents,
        extraPriceCents: c.extraPriceCents,
        ingredientId: null,
        isDefault: false,
        inStock: true,
      }),
    ),
  }));
  return {
    id: d.productId,
    categoryId,
    categoryName: d.category,
    slug: slugOf(d.name),
    name: d.name,
    aliases: [],
    allergens: d.allergens,
    description: d.description,
    servingWindow: null,
    variations: d.sizes.map((s, i) => ({
      id: s.variationId,
      productId: d.productId,
      slug: slugOf(s.name),
      name: s.name,
      aliases: [],
      priceCents: s.priceCents,
      basePriceCents: s.priceCents,
      isDefault: i === 0 && d.sizes.length === 1,
    })),
    modifierGroups,
    ingredientIds: [],
    outOfStockIngredients: [],
    soldOut: !d.available,
    soldOutNote: null,
  };
}

/** Reads the whole menu through the tools (categories, then items, then each item's details, in parallel). */
export async function loadMenuView(ctx: AgentCallContext, tools: AgentTools): Promise<MenuView> {
  const top = await callToolOk(tools, "get_menu", {});
  const categories = top.categories ?? [];
  const listed = await Promise.all(categories.map((c) => callToolOk(tools, "get_menu", { category: c.name })));
  const withDetails = await Promise.all(
    listed.map(async (list, i) => ({
      name: list.category ?? categories[i]!.name,
      items: await Promise.all((list.items ?? []).map((it) => callToolOk(tools, "get_item_details", { item_name: it.name }))),
    })),
  );
  return menuViewFrom(ctx.location, withDetails, ctx.now);
}

/** The menu view of categories in menu order, each with its items' get_item_details results in order. */
export function menuViewFrom(
  location: AgentCallContext["location"],
  categories: { name: string; items: ToolResult<"get_item_details">[] }[],
  now: Date,
): MenuView {
  const details = new Map<string, ToolResult<"get_item_details">>();
  const products: Product[] = [];
  const menuCategories: LocationMenu["categories"] = [];
  for (const c of categories) {
    const categoryId = `category:${slugOf(c.name)}`;
    menuCategories.push({ id: categoryId, slug: slugOf(c.name), name: c.name, description: null, itemCount: c.items.length });
    for (const d of c.items) {
      details.set(d.productId, d);
      products.push(productFrom(d, categoryId));
    }
  }
  const menu: LocationMenu = {
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
    categories: menuCategories,
    products,
    specials: [],
    weeklyHours: [],
    exceptions: [],
    outOfStockIngredients: [],
    loadedAt: now,
  };
  return { menu, details };
}

/** Per-location menu views of one agent instance, reused for `ttlMs` (a cache, not call state). */
export function createMenuCache(ttlMs: number) {
  const views = new Map<string, { at: number; view: Promise<MenuView> }>();
  return {
    get(ctx: AgentCallContext, tools: AgentTools): Promise<MenuView> {
      const now = Date.now();
      const hit = views.get(ctx.location.id);
      if (hit && now - hit.at < ttlMs) return hit.view;
      const view = loadMenuView(ctx, tools);
      views.set(ctx.location.id, { at: now, view });
      view.catch(() => views.delete(ctx.location.id));
      return view;
    },
  };
}
export type MenuCache = ReturnType<typeof createMenuCache>;
