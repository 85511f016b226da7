import { DateTime } from "luxon";
import type { Insertable } from "kysely";
import { taxCents } from "@orderline/contracts";
import type { Database, IsoWeekday, TableName, TranscriptTurn } from "../schema.ts";
import { DEMO_BRAND, DEMO_CUSTOMERS, DEMO_LOCATIONS, DEMO_MENU, DEMO_OUTBOUND_PHONE, DEMO_PAST_ORDERS, type DemoLocation } from "./constants.ts";
import { seedUuid } from "./ids.ts";
import { CATEGORIES, INGREDIENTS, MODIFIER_GROUPS, type ProductDef } from "./menu-data.ts";

/** Rows for every table the seed writes, in dependency order. */
export type SeedRows = { [T in TableName]?: Insertable<Database[T]>[] };

/** Events appended once per seeded call (voice_call_events has an identity key, so it is insert-if-absent). */
export interface SeedCallEvents {
  callId: string;
  events: Insertable<Database["voice_call_events"]>[];
}

export interface DemoChain {
  rows: SeedRows;
  statusEvents: Insertable<Database["order_status_events"]>[];
  callEvents: SeedCallEvents[];
  customerLastOrders: { customerId: string; orderId: string }[];
  orderNumberCounters: { locationId: string; businessDate: string; lastNumber: number }[];
}

type LocKey = DemoLocation["key"];
const LOC_EXTRA: Record<LocKey, Omit<Insertable<Database["locations"]>, "id" | "brand_id" | "slug" | "name" | "city" | "postal_code" | "timezone" | "tax_rate_ppm" | "public_phone">> = {
  newYork: {
    address_line1: "250 W 57th St",
    address_line2: null,
    region: "NY",
    cross_streets: "between Broadway and 8th Avenue",
    directions_hint: "Half a block west of Columbus Circle, across from the Hearst Tower.",
    parking_note: "Street parking is tight; there is a garage on West 58th Street two minutes away.",
    greeting: "Thanks for calling Tony's Pizzeria in Midtown! What can I get started for you?",
    default_prep_minutes: 20,
    delivery_extra_minutes: 25,
    max_concurrent_calls: 6,
  },
  chicago: {
    address_line1: "415 N Clark St",
    address_line2: null,
    region: "IL",
    cross_streets: "at Hubbard Street",
    directions_hint: "Two blocks north of the river, next to the Merchandise Mart stop.",
    parking_note: "Metered parking on Clark; the Hubbard Street garage validates for pickup.",
    greeting: "Thanks for calling Tony's Pizzeria River North! What can I get for you today?",
    default_prep_minutes: 25,
    delivery_extra_minutes: 20,
    max_concurrent_calls: 4,
  },
  denver: {
    address_line1: "1550 Blake St",
    address_line2: "Suite 100",
    region: "CO",
    cross_streets: "at 16th Street",
    directions_hint: "In LoDo, one block from Union Station.",
    parking_note: "Free 15-minute pickup spots out front; paid lot behind the building off Wazee.",
    greeting: "Thanks for calling Tony's Pizzeria LoDo! What can I get for you?",
    default_prep_minutes: 20,
    delivery_extra_minutes: 20,
    max_concurrent_calls: 4,
  },
};

/** [weekday, opens, closes] or [weekday, "closed"]; closes <= opens means after midnight. */
type HoursDef = [IsoWeekday, string, string] | [IsoWeekday, "closed"];
const HOURS: Record<LocKey, HoursDef[]> = {
  newYork: [
    [1, "11:00", "23:00"],
    [2, "11:00", "23:00"],
    [3, "11:00", "23:00"],
    [4, "11:00", "23:00"],
    [5, "11:00", "02:00"],
    [6, "11:00", "02:00"],
    [7, "12:00", "22:00"],
  ],
  chicago: [
    [1, "closed"],
    [2, "11:00", "22:00"],
    [3, "11:00", "22:00"],
    [4, "11:00", "22:00"],
    [5, "11:00", "23:30"],
    [6, "11:00", "23:30"],
    [7, "12:00", "21:00"],
  ],
  denver: [
    [1, "11:00", "22:00"],
    [2, "11:00", "22:00"],
    [3, "11:00", "22:00"],
    [4, "11:00", "22:00"],
    [5, "11:00", "00:00"],
    [6, "11:00", "00:00"],
    [7, "11:00", "21:00"],
  ],
};

/** Staff lines in priority order: label and, optionally, their own hours (else the location's hours). */
const STAFF_LINES: Record<LocKey, { label: string; hours?: [IsoWeekday, string, string][] }[]> = {
  newYork: [{ label: "Front counter" }],
  chicago: [{ label: "Front counter" }],
  // Denver: the manager's phone first in the evening rush, then the counter.
  denver: [
    { label: "Manager on duty", hours: ([1, 2, 3, 4, 5, 6, 7] as IsoWeekday[]).map((d): [IsoWeekday, string, string] => [d, "16:00", "21:00"]) },
    { label: "Front counter" },
  ],
};

const STOCK_QUANTITIES: Record<LocKey, Record<string, { inStock: boolean; quantity: number | null }>> = {
  newYork: { mushrooms: { inStock: true, quantity: 40 }, "fresh-mozzarella": { inStock: true, quantity: 30 } },
  chicago: { mushrooms: { inStock: false, quantity: 0 }, "fresh-mozzarella": { inStock: true, quantity: 18 } },
  denver: { mushrooms: { inStock: true, quantity: 25 }, "fresh-mozzarella": { inStock: true, quantity: 22 } },
};

/** Location price overrides: [location, product slug, variation slug, price]. */
const PRICE_OVERRIDES: [LocKey, string, string, number][] = [
  ["newYork", "pepperoni-pizza", "large", DEMO_MENU.largePepperoni.priceCentsByLocation.newYork],
  ["newYork", "cheese-pizza", "large", 1999],
  ["newYork", "buffalo-wings", "12-piece", 1699],
];

const SPECIALS: {
  slug: string;
  location: LocKey | null;
  name: string;
  description: string;
  days: IsoWeekday[];
  window: [string, string] | null;
  product: string;
  variation: string | null;
  priceCents: number;
}[] = [
  { slug: "pepperoni-tuesday", location: null, name: "Pepperoni Tuesday", description: "Every Tuesday, a large pepperoni pizza is $15.99 all day.", days: [2], window: null, product: "pepperoni-pizza", variation: "large", priceCents: 1599 },
  { slug: "wing-wednesday", location: "newYork", name: "Wing Wednesday", description: "Wednesdays from 4 to 9 pm, 12 buffalo wings for $11.99.", days: [3], window: ["16:00", "21:00"], product: "buffalo-wings", variation: "12-piece", priceCents: 1199 },
  { slug: "margherita-lunch", location: "chicago", name: "Margherita Lunch", description: "Tuesday to Friday, 11 am to 2 pm: a medium Margherita for $11.99.", days: [2, 3, 4, 5], window: ["11:00", "14:00"], product: "margherita-pizza", variation: "medium", priceCents: 1199 },
  { slug: "weekend-meat-lovers", location: "denver", name: "Weekend Meat Lovers", description: "Saturdays and Sundays, a large Meat Lovers pizza for $19.99.", days: [6, 7], window: null, product: "meat-lovers-pizza", variation: "large", priceCents: 1999 },
];

const HIDDEN: [LocKey, string, string][] = [["denver", "antipasto-salad", "Not offered at this location."]];

const ids = {
  product: (slug: string) => seedUuid(`product:${slug}`),
  variation: (product: string, size: string) => seedUuid(`variation:${product}:${size}`),
  category: (slug: string) => seedUuid(`category:${slug}`),
  ingredient: (slug: string) => seedUuid(`ingredient:${slug}`),
  group: (slug: string) => seedUuid(`modifier-group:${slug}`),
  modifier: (group: string, slug: string) => seedUuid(`modifier:${group}:${slug}`),
};

const removableGroupSlug = (product: string) => `${product}-ingredients`;

/** Fourth Thursday of November. */
const thanksgiving = (year: number): string => {
  const nov1 = DateTime.fromObject({ year, month: 11, day: 1 });
  const firstThursday = 1 + ((4 - nov1.weekday + 7) % 7);
  return DateTime.fromObject({ year, month: 11, day: firstThursday + 21 }).toISODate()!;
};


const locationByKey = (key: LocKey): DemoLocation => DEMO_LOCATIONS[key];

const allProducts = (): (ProductDef & { category: string })[] => CATEGORIES.flatMap((c) => c.products.map((p) => ({ ...p, category: c.slug })));

/**
 * Builds every row of the demo chain. Pure: the same `today` (which only picks the holiday years) gives
 * the same rows.
 */
export const buildDemoChain = (today: DateTime = DateTime.utc()): DemoChain => {
  const rows: SeedRows = {};
  const brandId = DEMO_BRAND.id;
  const products = allProducts();
  const productBySlug = new Map(products.map((p) => [p.slug, p]));
  const ingredientBySlug = new Map(INGREDIENTS.map((i) => [i.slug, i]));
  const requireIngredient = (slug: string, where: string) => {
    const i = ingredientBySlug.get(slug);
    if (!i) throw new Error(`seed data: unknown ingredient ${slug} in ${where}`);
    return i;
  };

  rows.brands = [{ id: brandId, slug: DEMO_BRAND.slug, name: DEMO_BRAND.name }];

  const locKeys = Object.keys(DEMO_LOCATIONS) as LocKey[];
  rows.locations = locKeys.map((key) => {
    const l = locationByKey(key);
    return {
      id: l.id,
      brand_id: brandId,
      slug: l.slug,
      name: l.name,
      city: l.city,
      postal_code: l.postalCode,
      country: "US",
      timezone: l.timezone,
      tax_rate_ppm: l.taxRatePpm,
      public_phone: l.phone,
      staff_transfer_numbers: [...l.staffPhones],
      delivery_postal_codes: [...l.deliveryPostalCodes],
      delivery_minimum_cents: l.deliveryMinimumCents,
      delivery_fee_cents: l.deliveryFeeCents,
      language: "en-US",
      recording_notice: true,
      active: true,
      ...LOC_EXTRA[key],
    };
  });

  rows.location_hours = locKeys.flatMap((key) =>
    HOURS[key].map((h) => {
      const locationId = locationByKey(key).id;
      const id = seedUuid(`hours:${key}:${h[0]}:${h[1]}`);
      return h[1] === "closed"
        ? { id, location_id: locationId, weekday: h[0], is_closed: true, opens_at: null, closes_at: null }
        : { id, location_id: locationId, weekday: h[0], is_closed: false, opens_at: h[1], closes_at: h[2] };
    }),
  );

  const years = [today.setZone("America/New_York").year, today.setZone("America/New_York").year + 1];
  rows.location_hour_exceptions = locKeys.flatMap((key) => {
    const locationId = locationByKey(key).id;
    const out: Insertable<Database["location_hour_exceptions"]>[] = [];
    for (const year of years) {
      out.push({ id: seedUuid(`exception:${key}:${year}-12-25`), location_id: locationId, on_date: `${year}-12-25`, is_closed: true, opens_at: null, closes_at: null, reason: "Closed for Christmas Day" });
      if (key === "newYork") {
        const tg = thanksgiving(year);
        out.push({ id: seedUuid(`exception:${key}:${tg}`), location_id: locationId, on_date: tg, is_closed: true, opens_at: null, closes_at: null, reason: "Closed for Thanksgiving" });
        out.push({ id: seedUuid(`exception:${key}:${year}-12-24`), location_id: locationId, on_date: `${year}-12-24`, is_closed: false, opens_at: "11:00", closes_at: "16:00", reason: "Christmas Eve: closing early" });
      }
    }
    return out;
  });

  rows.location_staff_lines = locKeys.flatMap((key) =>
    locationByKey(key).staffPhones.map((e164, priority) => ({
      id: seedUuid(`staff-line:${key}:${priority}`),
      location_id: locationByKey(key).id,
      priority,
      e164,
      label: STAFF_LINES[key][priority]?.label ?? `Staff line ${priority + 1}`,
      receives_sms: true,
      active: true,
    })),
  );
  rows.staff_line_hours = locKeys.flatMap((key) =>
    locationByKey(key).staffPhones.flatMap((_, priority) =>
      (STAFF_LINES[key][priority]?.hours ?? []).map(([weekday, opens, closes]) => ({
        id: seedUuid(`staff-line-hours:${key}:${priority}:${weekday}:${opens}`),
        staff_line_id: seedUuid(`staff-line:${key}:${priority}`),
        weekday,
        opens_at: opens,
        closes_at: closes,
      })),
    ),
  );

  rows.phone_numbers = [
    ...locKeys.map((key) => ({ id: seedUuid(`phone:${locationByKey(key).phone}`), e164: locationByKey(key).phone, location_id: locationByKey(key).id, purpose: "main" as const, label: "Main line" })),
    { id: seedUuid(`phone:${DEMO_OUTBOUND_PHONE}`), e164: DEMO_OUTBOUND_PHONE, location_id: DEMO_LOCATIONS.newYork.id, purpose: "outbound" as const, label: "Order-ready and confirmation calls" },
  ];

  rows.ingredients = INGREDIENTS.map((i) => ({ id: ids.ingredient(i.slug), brand_id: brandId, slug: i.slug, name: i.name, allergens: i.allergens ?? [] }));

  rows.categories = CATEGORIES.map((c, index) => ({ id: ids.category(c.slug), brand_id: brandId, slug: c.slug, name: c.name, description: c.description, sort: (index + 1) * 10 }));

  rows.products = [];
  rows.variations = [];
  rows.product_ingredients = [];
  rows.modifier_groups = [];
  rows.modifiers = [];
  rows.product_modifier_groups = [];

  MODIFIER_GROUPS.forEach((g, index) => {
    rows.modifier_groups!.push({ id: ids.group(g.slug), brand_id: brandId, slug: g.slug, name: g.name, min_selections: g.min, max_selections: g.max, sort: (index + 1) * 10 });
    g.modifiers.forEach((m, mi) => {
      if (m.ingredient) requireIngredient(m.ingredient, `modifier ${g.slug}/${m.slug}`);
      rows.modifiers!.push({
        id: ids.modifier(g.slug, m.slug),
        modifier_group_id: ids.group(g.slug),
        slug: m.slug,
        name: m.name,
        aliases: m.aliases ?? [],
        kind: g.kind,
        price_cents: m.priceCents ?? 0,
        extra_price_cents: m.extraPriceCents ?? null,
        ingredient_id: m.ingredient ? ids.ingredient(m.ingredient) : null,
        is_default: m.isDefault ?? false,
        sort: (mi + 1) * 10,
      });
    });
  });
  const groupSlugs = new Set(MODIFIER_GROUPS.map((g) => g.slug));

  CATEGORIES.forEach((c) => {
    c.products.forEach((p, pi) => {
      const productId = ids.product(p.slug);
      const ingredientSlugs = [...new Set(p.ingredients ?? [])];
      const allergens = new Set<string>(p.extraAllergens ?? []);
      for (const slug of ingredientSlugs) for (const a of requireIngredient(slug, `product ${p.slug}`).allergens ?? []) allergens.add(a);
      rows.products!.push({
        id: productId,
        brand_id: brandId,
        category_id: ids.category(c.slug),
        slug: p.slug,
        name: p.name,
        aliases: p.aliases ?? [],
        allergens: [...allergens].sort(),
        description: p.description,
        serving_start: p.servingWindow?.start ?? null,
        serving_end: p.servingWindow?.end ?? null,
        sort: (pi + 1) * 10,
        active: true,
      });
      p.sizes.forEach((s, si) => {
        rows.variations!.push({
          id: ids.variation(p.slug, s.slug),
          product_id: productId,
          slug: s.slug,
          name: s.name,
          aliases: s.aliases ?? [],
          price_cents: s.priceCents,
          sort: (si + 1) * 10,
          is_default: p.sizes.length === 1 ? true : (s.isDefault ?? false),
        });
      });
      for (const slug of ingredientSlugs) rows.product_ingredients!.push({ product_id: productId, ingredient_id: ids.ingredient(slug) });
      let sort = 10;
      for (const g of p.groups ?? []) {
        if (!groupSlugs.has(g)) throw new Error(`seed data: unknown modifier group ${g} in product ${p.slug}`);
        rows.product_modifier_groups!.push({ product_id: productId, modifier_group_id: ids.group(g), sort });
        sort += 10;
      }
      if (p.removable?.length) {
        const gSlug = removableGroupSlug(p.slug);
        rows.modifier_groups!.push({ id: ids.group(gSlug), brand_id: brandId, slug: gSlug, name: `${p.name} ingredients`, min_selections: 0, max_selections: p.removable.length, sort: 1000 });
        p.removable.forEach((r, ri) => {
          const ing = requireIngredient(r.ingredient, `removable of ${p.slug}`);
          if (!ingredientSlugs.includes(r.ingredient)) throw new Error(`seed data: ${p.slug} lists removable ${r.ingredient} it does not contain`);
          rows.modifiers!.push({
            id: ids.modifier(gSlug, r.ingredient),
            modifier_group_id: ids.group(gSlug),
            slug: r.ingredient,
            name: r.name ?? ing.name,
            aliases: r.aliases ?? [],
            kind: "removable",
            price_cents: 0,
            extra_price_cents: r.extraPriceCents ?? null,
            ingredient_id: ids.ingredient(r.ingredient),
            is_default: false,
            sort: (ri + 1) * 10,
          });
        });
        // Removals are offered first, add-ons after: "no onions" is more common than a new topping.
        rows.product_modifier_groups!.push({ product_id: productId, modifier_group_id: ids.group(gSlug), sort: 5 });
      }
    });
  });

  rows.ingredient_stock = locKeys.flatMap((key) =>
    INGREDIENTS.map((i) => {
      const s = STOCK_QUANTITIES[key][i.slug];
      return { location_id: locationByKey(key).id, ingredient_id: ids.ingredient(i.slug), in_stock: s?.inStock ?? true, quantity: s?.quantity ?? null };
    }),
  );

  const requireVariation = (product: string, size: string) => {
    const p = productBySlug.get(product);
    if (!p?.sizes.some((s) => s.slug === size)) throw new Error(`seed data: unknown variation ${product}/${size}`);
    return ids.variation(product, size);
  };
  const requireProduct = (slug: string) => {
    if (!productBySlug.has(slug)) throw new Error(`seed data: unknown product ${slug}`);
    return ids.product(slug);
  };

  rows.location_variation_prices = PRICE_OVERRIDES.map(([key, product, size, price]) => ({ location_id: locationByKey(key).id, variation_id: requireVariation(product, size), price_cents: price }));

  rows.location_product_overrides = [
    ...locKeys.map((key) => ({ location_id: locationByKey(key).id, product_id: requireProduct(DEMO_MENU.soldOutProductSlug[key]), sold_out: true, hidden: false, note: "86'd for today" })),
    ...HIDDEN.map(([key, product, note]) => ({ location_id: locationByKey(key).id, product_id: requireProduct(product), sold_out: false, hidden: true, note })),
  ];

  rows.specials = SPECIALS.map((s) => ({
    id: seedUuid(`special:${s.slug}`),
    brand_id: brandId,
    location_id: s.location ? locationByKey(s.location).id : null,
    slug: s.slug,
    name: s.name,
    description: s.description,
    days_of_week: s.days,
    start_time: s.window?.[0] ?? null,
    end_time: s.window?.[1] ?? null,
    starts_on: null,
    ends_on: null,
    product_id: requireProduct(s.product),
    variation_id: s.variation ? requireVariation(s.product, s.variation) : null,
    special_price_cents: s.priceCents,
    active: true,
  }));

  rows.customers = Object.values(DEMO_CUSTOMERS).map((c) => ({
    id: c.id,
    brand_id: brandId,
    phone: c.phone,
    name: c.name,
    rewards_points: c.rewardsPoints,
    sms_opt_out: c.phone === DEMO_CUSTOMERS.priya.phone,
  }));

  const past = buildPastOrders({ requireVariation, requireProduct });
  rows.orders = past.orders;
  rows.order_items = past.items;
  rows.order_item_modifiers = past.modifiers;
  rows.voice_calls = past.calls;

  return {
    rows,
    statusEvents: past.statusEvents,
    callEvents: past.callEvents,
    customerLastOrders: past.lastOrders,
    orderNumberCounters: past.counters,
  };
};

interface PastOrderLine {
  product: string;
  size: string;
  quantity: number;
  modifiers: { group: string; modifier: string; name: string; action: "add" | "no" | "extra"; priceCents: number }[];
}

interface PastOrderDef {
  key: keyof typeof DEMO_PAST_ORDERS;
  orderType: "pickup" | "delivery";
  businessDate: string;
  orderNumber: number;
  /** Local wall-clock time of submission. */
  submittedLocal: string;
  readyAfterMinutes: number;
  completedAfterMinutes: number;
  promisedAfterMinutes: number;
  address?: { line1: string; line2: string | null; city: string; postalCode: string; instructions: string | null };
  lines: PastOrderLine[];
  transcript: TranscriptTurn[];
  summary: string;
}

const PAST_ORDERS: PastOrderDef[] = [
  {
    key: "mariaMidtown",
    orderType: "delivery",
    businessDate: "2026-11-14",
    orderNumber: 17,
    submittedLocal: "2026-11-14T18:41:07",
    promisedAfterMinutes: 45,
    readyAfterMinutes: 22,
    completedAfterMinutes: 47,
    address: { line1: "350 W 58th St", line2: "Apt 4B", city: "New York", postalCode: "10019", instructions: "Buzz 4B, third floor." },
    lines: [
      { product: "pepperoni-pizza", size: "large", quantity: 1, modifiers: [{ group: "pepperoni-pizza-ingredients", modifier: "mozzarella", name: "Cheese", action: "extra", priceCents: 200 }] },
      { product: "garlic-knots", size: "6-piece", quantity: 1, modifiers: [{ group: "dipping-sauce", modifier: "marinara", name: "Marinara", action: "add", priceCents: 0 }] },
    ],
    transcript: [
      { role: "assistant", text: "Thanks for calling Tony's Pizzeria in Midtown! What can I get started for you?" },
      { role: "caller", text: "Hi, can I get a large pepperoni with extra cheese and some garlic knots, for delivery?" },
      { role: "assistant", text: "Sure. A large pepperoni with extra cheese and six garlic knots with marinara. What's the delivery address?" },
      { role: "caller", text: "350 West 58th, apartment 4B." },
      { role: "assistant", text: "Got it. Your total is $37.72 and it'll be there in about 45 minutes." },
    ],
    summary: "Delivery: large pepperoni (extra cheese) and 6 garlic knots to 350 W 58th St Apt 4B.",
  },
  {
    key: "jamesRiverNorth",
    orderType: "pickup",
    businessDate: "2026-11-18",
    orderNumber: 5,
    submittedLocal: "2026-11-18T12:12:40",
    promisedAfterMinutes: 25,
    readyAfterMinutes: 23,
    completedAfterMinutes: 29,
    lines: [
      {
        product: "buffalo-wings",
        size: "12-piece",
        quantity: 2,
        modifiers: [
          { group: "wing-sauce", modifier: "buffalo-hot", name: "Buffalo Hot", action: "add", priceCents: 0 },
          { group: "dipping-sauce", modifier: "blue-cheese", name: "Blue Cheese", action: "add", priceCents: 0 },
        ],
      },
      { product: "coca-cola", size: "large", quantity: 1, modifiers: [] },
    ],
    transcript: [
      { role: "assistant", text: "Thanks for calling Tony's Pizzeria River North! What can I get for you today?" },
      { role: "caller", text: "Two orders of twelve wings, hot, with blue cheese, and a large Coke. Pickup." },
      { role: "assistant", text: "Two 12-piece buffalo wings, hot, with blue cheese, and a large Coca-Cola. That's $38.73, ready in about 25 minutes." },
    ],
    summary: "Pickup: 2 × 12-piece wings (hot, blue cheese) and a large Coca-Cola.",
  },
];

const buildPastOrders = (helpers: { requireVariation: (p: string, s: string) => string; requireProduct: (p: string) => string }) => {
  const orders: Insertable<Database["orders"]>[] = [];
  const items: Insertable<Database["order_items"]>[] = [];
  const modifiers: Insertable<Database["order_item_modifiers"]>[] = [];
  const calls: Insertable<Database["voice_calls"]>[] = [];
  const statusEvents: Insertable<Database["order_status_events"]>[] = [];
  const callEvents: SeedCallEvents[] = [];
  const lastOrders: { customerId: string; orderId: string }[] = [];
  const counters: { locationId: string; businessDate: string; lastNumber: number }[] = [];

  for (const def of PAST_ORDERS) {
    const meta = DEMO_PAST_ORDERS[def.key];
    const loc = DEMO_LOCATIONS[meta.locationKey];
    const customer = DEMO_CUSTOMERS[meta.customerKey];
    const submitted = DateTime.fromISO(def.submittedLocal, { zone: loc.timezone });
    const at = (minutes: number) => submitted.plus({ minutes }).toUTC().toISO()!;
    let subtotal = 0;
    def.lines.forEach((line, li) => {
      const product = CATEGORIES.flatMap((c) => c.products).find((p) => p.slug === line.product)!;
      const size = product.sizes.find((s) => s.slug === line.size)!;
      const variationId = helpers.requireVariation(line.product, line.size);
      const override = PRICE_OVERRIDES.find(([k, p, s]) => k === meta.locationKey && p === line.product && s === line.size);
      const base = override ? override[3] : size.priceCents;
      const unit = base + line.modifiers.reduce((sum, m) => sum + m.priceCents, 0);
      const itemId = seedUuid(`order-item:${def.key}:${li}`);
      items.push({
        id: itemId,
        order_id: meta.id,
        product_id: helpers.requireProduct(line.product),
        variation_id: variationId,
        product_name: product.name,
        size_name: product.sizes.length > 1 ? size.name : null,
        unit_price_cents: unit,
        quantity: line.quantity,
        line_total_cents: unit * line.quantity,
        notes: null,
        position: li,
      });
      subtotal += unit * line.quantity;
      line.modifiers.forEach((m, mi) => {
        const group = MODIFIER_GROUPS.find((g) => g.slug === m.group);
        modifiers.push({
          id: seedUuid(`order-item-modifier:${def.key}:${li}:${mi}`),
          order_item_id: itemId,
          modifier_id: ids.modifier(m.group, m.modifier),
          modifier_group_name: group?.name ?? "Ingredients",
          name: m.name,
          action: m.action,
          price_cents: m.priceCents,
        });
      });
    });
    const tax = taxCents(subtotal, loc.taxRatePpm);
    const fee = def.orderType === "delivery" ? loc.deliveryFeeCents : 0;
    orders.push({
      id: meta.id,
      location_id: loc.id,
      customer_id: customer.id,
      channel: "voice",
      call_sid: meta.callSid,
      order_session_id: `session-${meta.callSid}`,
      order_type: def.orderType,
      state: "completed",
      idempotency_key: `${meta.callSid}:0`,
      business_date: def.businessDate,
      order_number: def.orderNumber,
      customer_name: customer.name,
      customer_phone: customer.phone,
      delivery_address_line1: def.address?.line1 ?? null,
      delivery_address_line2: def.address?.line2 ?? null,
      delivery_city: def.address?.city ?? null,
      delivery_postal_code: def.address?.postalCode ?? null,
      delivery_instructions: def.address?.instructions ?? null,
      subtotal_cents: subtotal,
      discount_cents: 0,
      tax_cents: tax,
      delivery_fee_cents: fee,
      total_cents: subtotal + tax + fee,
      points_earned: Math.floor(subtotal / 100),
      flags: JSON.stringify({ returning_customer: true }),
      notes: null,
      confirmation_state: null,
      submitted_at: at(0),
      promised_at: at(def.promisedAfterMinutes),
      ready_at: at(def.readyAfterMinutes),
      completed_at: at(def.completedAfterMinutes),
      cancelled_at: null,
      created_at: at(-3),
      updated_at: at(def.completedAfterMinutes),
    });
    const transitions: [string | null, string, number, string][] = [
      [null, "draft", -3, "order-service"],
      ["draft", "submitted", 0, "order-service"],
      ["submitted", "in_progress", 2, "staff"],
      ["in_progress", "ready", def.readyAfterMinutes, "staff"],
      ["ready", "completed", def.completedAfterMinutes, "staff"],
    ];
    for (const [from, to, minutes, actor] of transitions) {
      statusEvents.push({ order_id: meta.id, from_state: from as never, to_state: to as never, at: at(minutes), actor, note: null });
    }
    const callId = seedUuid(`call:${def.key}`);
    const durationSeconds = 3 * 60 + 31;
    calls.push({
      id: callId,
      call_sid: meta.callSid,
      location_id: loc.id,
      direction: "inbound",
      phone_from: customer.phone,
      phone_to: loc.phone,
      started_at: at(-3),
      ended_at: submitted.plus({ minutes: -3, seconds: durationSeconds }).toUTC().toISO()!,
      duration_seconds: durationSeconds,
      disposition: "completed",
      escalation_reason: null,
      transferred_to: null,
      order_id: meta.id,
      transcript: JSON.stringify(def.transcript),
      summary: def.summary,
      telephony_cost_micros: 34_000,
      ai_cost_micros: 412_500,
      total_cost_micros: 446_500,
      usage: JSON.stringify({ input_audio_tokens: 5210, output_audio_tokens: 2890, input_text_tokens: 3120, output_text_tokens: 410 }),
      created_at: at(-3),
    });
    callEvents.push({
      callId,
      events: [
        { call_id: callId, event_type: "call_started", event_data: JSON.stringify({ from: customer.phone, to: loc.phone }), timestamp: at(-3) },
        { call_id: callId, event_type: "tool_call", event_data: JSON.stringify({ tool: "start_order", ok: true }), timestamp: at(-2) },
        { call_id: callId, event_type: "tool_call", event_data: JSON.stringify({ tool: "submit_order", ok: true, order_id: meta.id }), timestamp: at(0) },
        { call_id: callId, event_type: "call_ended", event_data: JSON.stringify({ disposition: "completed" }), timestamp: submitted.plus({ minutes: -3, seconds: durationSeconds }).toUTC().toISO()! },
      ],
    });
    lastOrders.push({ customerId: customer.id, orderId: meta.id });
    counters.push({ locationId: loc.id, businessDate: def.businessDate, lastNumber: def.orderNumber });
  }
  return { orders, items, modifiers, calls, statusEvents, callEvents, lastOrders, counters };
};
