import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { ToolFailure } from "@orderline/contracts";
import type { LocationMenu, Modifier, ModifierGroup, Product, Variation } from "../src/types.ts";

/**
 * An in-memory snapshot shaped like the demo chain, for the pure-logic unit tests (the loader itself is
 * tested against Postgres). America/New_York; Fri/Sat open past midnight; Christmas exceptions.
 */
export interface FixtureOptions {
  timezone?: string;
  outOfStock?: string[];
  soldOut?: string[];
}

export function fixtureMenu(opts: FixtureOptions = {}): LocationMenu {
  const outOfStock = new Set(opts.outOfStock ?? []);
  const soldOut = new Set(opts.soldOut ?? []);
  const ingredients = new Map<string, string>();
  const ingredient = (name: string) => {
    let id = ingredients.get(name);
    if (!id) {
      id = randomUUID();
      ingredients.set(name, id);
    }
    return id;
  };
  const categories = [
    { id: randomUUID(), slug: "pizza", name: "Pizza", description: null, itemCount: 0 },
    { id: randomUUID(), slug: "wings", name: "Wings", description: null, itemCount: 0 },
    { id: randomUUID(), slug: "salads", name: "Salads", description: null, itemCount: 0 },
    { id: randomUUID(), slug: "sides", name: "Sides", description: null, itemCount: 0 },
    { id: randomUUID(), slug: "drinks", name: "Drinks", description: null, itemCount: 0 },
  ];
  const cat = (slug: string) => categories.find((c) => c.slug === slug)!;

  const mod = (groupId: string, name: string, m: Partial<Modifier> = {}): Modifier => {
    const ingredientId = m.ingredientId ?? null;
    return {
      id: randomUUID(),
      groupId,
      slug: name.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
      name,
      aliases: [],
      kind: "addon",
      priceCents: 0,
      extraPriceCents: null,
      isDefault: false,
      ...m,
      ingredientId,
      inStock: ingredientId === null || ![...ingredients].some(([n, id]) => id === ingredientId && outOfStock.has(n)),
    };
  };
  const group = (name: string, min: number, max: number, build: (id: string) => Modifier[]): ModifierGroup => {
    const id = randomUUID();
    return { id, slug: name.toLowerCase().replace(/[^a-z0-9]+/g, "-"), name, minSelections: min, maxSelections: max, modifiers: build(id) };
  };

  const crust = group("Crust", 1, 1, (g) => [
    mod(g, "Hand Tossed", { isDefault: true }),
    mod(g, "Thin Crust", { aliases: ["thin"] }),
    mod(g, "Stuffed Crust", { priceCents: 300, aliases: ["stuffed"] }),
  ]);
  const toppings = group("Toppings", 0, 5, (g) => [
    mod(g, "Onions", { priceCents: 150, extraPriceCents: 225, ingredientId: ingredient("onion") }),
    mod(g, "Mushrooms", { priceCents: 150, extraPriceCents: 225, ingredientId: ingredient("mushroom") }),
    mod(g, "Jalapeños", { priceCents: 150, ingredientId: ingredient("jalapeno") }),
    mod(g, "Pineapple", { priceCents: 150, ingredientId: ingredient("pineapple") }),
    mod(g, "Green Peppers", { priceCents: 150, ingredientId: ingredient("green pepper") }),
    mod(g, "Olives", { priceCents: 150, ingredientId: ingredient("olive") }),
  ]);
  const pizzaBase = group("On the pizza", 0, 3, (g) => [
    mod(g, "Cheese", { kind: "removable", extraPriceCents: 200, ingredientId: ingredient("mozzarella") }),
    mod(g, "Tomato Sauce", { kind: "removable", aliases: ["sauce"], ingredientId: ingredient("tomato sauce") }),
  ]);
  const wingSauce = group("Wing Sauce", 1, 1, (g) => [mod(g, "Mild"), mod(g, "Hot"), mod(g, "BBQ", { aliases: ["barbecue"] }), mod(g, "Garlic Parmesan")]);
  const dips = group("Dips", 0, 2, (g) => [
    mod(g, "Ranch", { priceCents: 75, extraPriceCents: 150 }),
    mod(g, "Blue Cheese", { priceCents: 75, aliases: ["bleu cheese"] }),
  ]);
  const dressing = group("Dressing", 0, 1, (g) => [mod(g, "Caesar Dressing", { isDefault: true }), mod(g, "Ranch Dressing"), mod(g, "Balsamic")]);

  const v = (productId: string, name: string, priceCents: number, extra: Partial<Variation> = {}): Variation => ({
    id: randomUUID(),
    productId,
    slug: name.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
    name,
    aliases: [],
    priceCents,
    basePriceCents: priceCents,
    isDefault: false,
    ...extra,
  });
  const pizzaSizes = (id: string, s: number) => [v(id, "Small", s), v(id, "Medium", s + 300, { isDefault: true }), v(id, "Large", s + 600)];
  const product = (
    slug: string,
    name: string,
    category: string,
    variations: (id: string) => Variation[],
    extra: Partial<Product> & { ingredients?: string[] } = {},
  ): Product => {
    const id = randomUUID();
    const { ingredients: ingredientNames = [], ...rest } = extra;
    const ingredientIds = ingredientNames.map(ingredient);
    return {
      id,
      categoryId: cat(category).id,
      categoryName: cat(category).name,
      slug,
      name,
      aliases: [],
      allergens: [],
      description: null,
      servingWindow: null,
      variations: variations(id),
      modifierGroups: [],
      ingredientIds,
      outOfStockIngredients: ingredientNames.filter((n) => outOfStock.has(n)),
      soldOut: soldOut.has(slug),
      soldOutNote: null,
      ...rest,
    };
  };
  const pizzaGroups = [crust, toppings, pizzaBase];
  const products: Product[] = [
    product("pepperoni-pizza", "Pepperoni Pizza", "pizza", (id) => pizzaSizes(id, 1299), {
      aliases: ["pep", "roni"],
      allergens: ["gluten", "milk"],
      description: "Tomato sauce, mozzarella and pepperoni.",
      modifierGroups: pizzaGroups,
      ingredients: ["mozzarella", "tomato sauce", "pepperoni"],
    }),
    product("cheese-pizza", "Cheese Pizza", "pizza", (id) => pizzaSizes(id, 1199), { modifierGroups: pizzaGroups, ingredients: ["mozzarella", "tomato sauce"] }),
    product("margherita-pizza", "Margherita Pizza", "pizza", (id) => pizzaSizes(id, 1399), { modifierGroups: pizzaGroups, ingredients: ["mozzarella", "basil"] }),
    product("buffalo-chicken-pizza", "Buffalo Chicken Pizza", "pizza", (id) => pizzaSizes(id, 1599), { modifierGroups: pizzaGroups, ingredients: ["chicken"] }),
    product("veggie-pizza", "Veggie Pizza", "pizza", (id) => pizzaSizes(id, 1499), { modifierGroups: pizzaGroups, ingredients: ["mushroom", "onion"] }),
    product("buffalo-wings", "Buffalo Wings", "wings", (id) => [v(id, "6 pc", 899, { aliases: ["six piece", "small"] }), v(id, "12 pc", 1599, { aliases: ["dozen", "large"] })], {
      aliases: ["wings", "hot wings"],
      modifierGroups: [wingSauce, dips],
      ingredients: ["chicken wings"],
    }),
    product("boneless-wings", "Boneless Wings", "wings", (id) => [v(id, "8 pc", 999)], { modifierGroups: [wingSauce, dips], ingredients: ["chicken"] }),
    product("caesar-salad", "Caesar Salad", "salads", (id) => [v(id, "Regular", 899)], { modifierGroups: [dressing], ingredients: ["romaine"] }),
    product("garden-salad", "Garden Salad", "salads", (id) => [v(id, "Regular", 799)], { modifierGroups: [dressing], ingredients: ["lettuce"] }),
    product("greek-salad", "Greek Salad", "salads", (id) => [v(id, "Regular", 949)], { modifierGroups: [dressing], ingredients: ["lettuce", "olive"] }),
    product("garlic-knots", "Garlic Knots", "sides", (id) => [v(id, "6 pc", 599)], { allergens: ["gluten"] }),
    product("lunch-calzone", "Lunch Calzone", "sides", (id) => [v(id, "Regular", 999)], { servingWindow: { start: "11:00", end: "15:00" } }),
    product("late-night-fries", "Late Night Fries", "sides", (id) => [v(id, "Regular", 499)], { servingWindow: { start: "22:00", end: "02:00" } }),
    product("coca-cola", "Coca-Cola", "drinks", (id) => [v(id, "20 oz", 249, { isDefault: true }), v(id, "2 Liter", 399, { aliases: ["two liter", "bottle"] })], {
      aliases: ["coke", "coca cola"],
    }),
    product("diet-coke", "Diet Coke", "drinks", (id) => [v(id, "20 oz", 249, { isDefault: true }), v(id, "2 Liter", 399)]),
    product("sprite", "Sprite", "drinks", (id) => [v(id, "20 oz", 249, { isDefault: true }), v(id, "2 Liter", 399)]),
  ];
  for (const c of categories) c.itemCount = products.filter((p) => p.categoryId === c.id).length;
  const pep = products[0]!;
  return {
    location: {
      id: randomUUID(),
      brandId: randomUUID(),
      slug: "downtown",
      name: "Demo Pizza Downtown",
      addressLine1: "100 Main St",
      addressLine2: null,
      city: "Springfield",
      region: "NY",
      postalCode: "10001",
      country: "US",
      crossStreets: "Main St & 1st Ave",
      directionsHint: "Across from the library",
      parkingNote: "Free parking behind the building",
      timezone: opts.timezone ?? "America/New_York",
      taxRatePpm: 88_750,
      publicPhone: "+12125550100",
      staffTransferNumbers: ["+12125550199"],
      deliveryPostalCodes: ["10001"],
      deliveryMinimumCents: 1500,
      deliveryFeeCents: 399,
      defaultPrepMinutes: 20,
      deliveryExtraMinutes: 25,
      greeting: null,
      language: "en-US",
    },
    categories,
    products,
    specials: [
      {
        id: randomUUID(),
        slug: "two-for-tuesday",
        name: "Large Pepperoni Tuesday",
        description: "A large pepperoni for $14.99 on Tuesdays.",
        daysOfWeek: [2],
        startTime: null,
        endTime: null,
        startsOn: null,
        endsOn: null,
        productId: pep.id,
        variationId: pep.variations[2]!.id,
        specialPriceCents: 1499,
        locationId: null,
      },
      {
        id: randomUUID(),
        slug: "happy-hour-wings",
        name: "Happy Hour Wings",
        description: "Wings for less, weekdays 3 to 6.",
        daysOfWeek: [1, 2, 3, 4, 5],
        startTime: "15:00",
        endTime: "18:00",
        startsOn: "2026-01-01",
        endsOn: "2026-12-31",
        productId: products[5]!.id,
        variationId: null,
        specialPriceCents: 699,
        locationId: null,
      },
    ],
    weeklyHours: [
      ...[1, 2, 3, 4].map((weekday) => ({ weekday, isClosed: false, opensAt: "11:00", closesAt: "22:00" })),
      { weekday: 5, isClosed: false, opensAt: "11:00", closesAt: "02:00" },
      { weekday: 6, isClosed: false, opensAt: "11:00", closesAt: "02:00" },
      { weekday: 7, isClosed: false, opensAt: "12:00", closesAt: "21:00" },
    ],
    exceptions: [
      { date: "2026-12-24", isClosed: false, opensAt: "11:00", closesAt: "16:00", reason: "Christmas Eve" },
      { date: "2026-12-25", isClosed: true, opensAt: null, closesAt: null, reason: "Christmas Day" },
    ],
    outOfStockIngredients: [...ingredients].filter(([n]) => outOfStock.has(n)).map(([name, id]) => ({ id, name })),
    loadedAt: new Date(),
  };
}

export function productBySlug(menu: LocationMenu, slug: string): Product {
  const p = menu.products.find((x) => x.slug === slug);
  if (!p) throw new Error(`fixture has no product ${slug}`);
  return p;
}

/** Runs `fn` and returns the ToolFailure it throws; fails the test if it returns or throws anything else. */
export function failure(fn: () => unknown): ToolFailure {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ToolFailure, `expected a ToolFailure, got ${String(err)}`);
    return err;
  }
  assert.fail("expected a ToolFailure");
}
