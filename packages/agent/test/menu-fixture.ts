import { randomUUID } from "node:crypto";
import type { LocationMenu } from "@orderline/catalog";
import type { AgentMenuItem } from "@orderline/contracts";
import { menuFrom } from "../src/menu-snapshot.ts";

/** One item as the menu service's whole-menu read lists it (no aliases, every choice an in-stock add-on). */
export function testItem(name: string, category: string, sizes: [string, number][], groups: { name: string; choices: string[] }[] = []): AgentMenuItem {
  return {
    productId: randomUUID(),
    categoryId: randomUUID(),
    category,
    name,
    aliases: [],
    description: null,
    allergens: [],
    sizes: sizes.map(([n, priceCents]) => ({ variationId: randomUUID(), name: n, priceCents, aliases: [], isDefault: sizes.length === 1 })),
    modifierGroups: groups.map((g) => ({
      groupId: randomUUID(),
      name: g.name,
      minSelections: 0,
      maxSelections: 8,
      choices: g.choices.map((c) => ({ modifierId: randomUUID(), name: c, kind: "addon" as const, priceCents: 0, extraPriceCents: null, aliases: [], isDefault: false, inStock: true })),
    })),
    available: true,
    unavailableReason: null,
  };
}

/** A test location's menu view: the categories in order, each with its items. */
export function testMenu(categories: { name: string; items: AgentMenuItem[] }[]): LocationMenu {
  const listed = categories.map((c) => ({ categoryId: randomUUID(), name: c.name, items: c.items }));
  return menuFrom(
    { id: randomUUID(), name: "Test", language: "en-US", timezone: "America/New_York" },
    {
      locationId: randomUUID(),
      categories: listed.map((c) => ({ categoryId: c.categoryId, name: c.name, description: null })),
      items: listed.flatMap((c) => c.items.map((i) => ({ ...i, categoryId: c.categoryId, category: c.name }))),
      loadedAt: new Date().toISOString(),
    },
  );
}
