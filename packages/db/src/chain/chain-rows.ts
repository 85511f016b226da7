import type { Insertable } from "kysely";
import type { Database, IsoWeekday, TableName } from "../schema.ts";
import type { ChainFile, ChainItem, ChainLocation } from "./chain-file.ts";
import { type DayIntervals, WEEKDAYS, type WeekdayName } from "./fields.ts";
import { keyOf, SINGLE_SIZE_SLUG } from "./references.ts";

/** Rows per table, in the shape `writeRows` takes. */
export type ChainRows = { [T in TableName]?: Insertable<Database[T]>[] };

/** Kinds of rows whose id is looked up by natural key (an existing row keeps its id, so history stays linked). */
export type IdKind = "brand" | "location" | "category" | "product" | "variation" | "ingredient" | "group" | "modifier" | "special" | "row";

/** The id of a row of `kind` with natural key `key` (see `import-chain.ts`). */
export type IdOf = (kind: IdKind, key: string) => string;

const removableGroupSlug = (item: string) => `${item}-ingredients`;

const dayRows = <R>(week: Partial<Record<WeekdayName, DayIntervals>>, row: (weekday: IsoWeekday, interval: { opens: string; closes: string } | null) => R): R[] =>
  (Object.entries(week) as [WeekdayName, DayIntervals][]).flatMap(([day, v]) => (v === "closed" ? [row(WEEKDAYS[day], null)] : v.map((i) => row(WEEKDAYS[day], i))));

function locationRows(file: ChainFile, idOf: IdOf, brandId: string, rows: ChainRows): void {
  const items = file.menu.categories.flatMap((c) => c.items);
  for (const l of file.locations) {
    const key = keyOf(l);
    const id = idOf("location", key);
    rows.locations!.push(locationRow(l, id, brandId, key));
    rows.location_hours!.push(
      ...dayRows(l.hours, (weekday, i) => ({
        id: idOf("row", `hours:${key}:${weekday}:${i?.opens ?? "closed"}`),
        location_id: id,
        weekday,
        is_closed: i === null,
        opens_at: i?.opens ?? null,
        closes_at: i?.closes ?? null,
      })),
    );
    rows.location_hour_exceptions!.push(
      ...l.holidays.map((h) => ({
        id: idOf("row", `exception:${key}:${h.date}`),
        location_id: id,
        on_date: h.date,
        is_closed: h.hours === undefined,
        opens_at: h.hours?.opens ?? null,
        closes_at: h.hours?.closes ?? null,
        reason: h.reason ?? null,
      })),
    );
    const routed: [string, "main" | "outbound", string][] = [
      [l.phone, "main", "Main line"],
      ...l.numbers.map((n): [string, "main", string] => [n, "main", "Routed number"]),
      ...(l.outboundNumber && l.outboundNumber !== l.phone ? [[l.outboundNumber, "outbound", "Order-ready and receipt calls"] as [string, "outbound", string]] : []),
    ];
    rows.phone_numbers!.push(...routed.map(([e164, purpose, label]) => ({ id: idOf("row", `phone:${e164}`), e164, location_id: id, purpose, label })));
    l.staffLines.forEach((s, priority) => {
      const lineId = idOf("row", `staff-line:${key}:${priority}`);
      rows.location_staff_lines!.push({ id: lineId, location_id: id, priority, e164: s.phone, label: s.label ?? `Staff line ${priority + 1}`, receives_sms: s.sms, active: true });
      const hours = dayRows(s.hours ?? {}, (weekday, i) =>
        i ? { id: idOf("row", `staff-line-hours:${key}:${priority}:${weekday}:${i.opens}`), staff_line_id: lineId, weekday, opens_at: i.opens, closes_at: i.closes } : null,
      );
      rows.staff_line_hours!.push(...hours.filter((h) => h !== null));
    });
    for (const [ref, price] of Object.entries(l.prices)) {
      const [itemKey, sizeKey] = ref.split("/") as [string, string | undefined];
      const item = items.find((i) => keyOf(i) === itemKey)!;
      rows.location_variation_prices!.push({ location_id: id, variation_id: idOf("variation", `${itemKey}/${sizeKey ?? sizeSlugs(item)[0]}`), price_cents: price });
    }
  }
}

function locationRow(l: ChainLocation, id: string, brandId: string, slug: string): Insertable<Database["locations"]> {
  return {
    id,
    brand_id: brandId,
    slug,
    name: l.name,
    address_line1: l.address.line1,
    address_line2: l.address.line2 ?? null,
    city: l.address.city,
    region: l.address.region,
    postal_code: l.address.postalCode,
    country: l.address.country,
    cross_streets: l.crossStreets ?? null,
    directions_hint: l.directions ?? null,
    parking_note: l.parking ?? null,
    timezone: l.timezone,
    tax_rate_ppm: l.taxRate,
    public_phone: l.phone,
    staff_transfer_numbers: l.staffLines.map((s) => s.phone),
    delivery_postal_codes: l.delivery?.postalCodes ?? [],
    delivery_minimum_cents: l.delivery?.minimum ?? 0,
    delivery_fee_cents: l.delivery?.fee ?? 0,
    default_prep_minutes: l.prepMinutes,
    delivery_extra_minutes: l.delivery?.extraMinutes ?? 20,
    greeting: l.greeting ?? null,
    language: l.language,
    recording_notice: l.recordingNotice,
    max_concurrent_calls: l.maxConcurrentCalls,
    active: true,
  };
}

const sizeSlugs = (item: ChainItem): string[] => (item.sizes ? item.sizes.map(keyOf) : [SINGLE_SIZE_SLUG]);

function menuRows(file: ChainFile, idOf: IdOf, brandId: string, rows: ChainRows): void {
  const { menu } = file;
  const ingredientAllergens = new Map(menu.ingredients.map((i) => [keyOf(i), i.allergens]));
  const ingredientNames = new Map(menu.ingredients.map((i) => [keyOf(i), i.name]));
  rows.ingredients = menu.ingredients.map((i) => ({ id: idOf("ingredient", keyOf(i)), brand_id: brandId, slug: keyOf(i), name: i.name, allergens: [...new Set(i.allergens)].sort() }));
  rows.categories = menu.categories.map((c, ci) => ({ id: idOf("category", keyOf(c)), brand_id: brandId, slug: keyOf(c), name: c.name, description: c.description ?? null, sort: (ci + 1) * 10 }));
  menu.modifierGroups.forEach((g, gi) => {
    const gKey = keyOf(g);
    const groupId = idOf("group", gKey);
    rows.modifier_groups!.push({ id: groupId, brand_id: brandId, slug: gKey, name: g.name, min_selections: g.min, max_selections: g.max, sort: (gi + 1) * 10 });
    g.modifiers.forEach((m, mi) => {
      const mKey = keyOf(m);
      rows.modifiers!.push({
        id: idOf("modifier", `${gKey}/${mKey}`),
        modifier_group_id: groupId,
        slug: mKey,
        name: m.name,
        aliases: m.aliases,
        kind: "addon",
        price_cents: m.price,
        extra_price_cents: m.extraPrice ?? null,
        ingredient_id: m.ingredient ? idOf("ingredient", m.ingredient) : null,
        is_default: m.default,
        sort: (mi + 1) * 10,
      });
    });
  });
  for (const c of menu.categories) {
    c.items.forEach((item, ii) => {
      const key = keyOf(item);
      const productId = idOf("product", key);
      const allergens = new Set([...item.allergens, ...item.ingredients.flatMap((i) => ingredientAllergens.get(i) ?? [])]);
      rows.products!.push({
        id: productId,
        brand_id: brandId,
        category_id: idOf("category", keyOf(c)),
        slug: key,
        name: item.name,
        aliases: item.aliases,
        allergens: [...allergens].sort(),
        description: item.description ?? null,
        serving_start: item.servingWindow?.opens ?? null,
        serving_end: item.servingWindow?.closes ?? null,
        sort: (ii + 1) * 10,
        active: true,
      });
      const sizes = item.sizes ?? [{ slug: SINGLE_SIZE_SLUG, name: "Regular", aliases: [], price: item.price!, default: true }];
      sizes.forEach((s, si) => {
        const sKey = keyOf(s);
        rows.variations!.push({ id: idOf("variation", `${key}/${sKey}`), product_id: productId, slug: sKey, name: s.name, aliases: s.aliases, price_cents: s.price, sort: (si + 1) * 10, is_default: sizes.length === 1 || s.default });
      });
      rows.product_ingredients!.push(...[...new Set(item.ingredients)].map((i) => ({ product_id: productId, ingredient_id: idOf("ingredient", i) })));
      rows.product_modifier_groups!.push(...item.groups.map((g, gi) => ({ product_id: productId, modifier_group_id: idOf("group", g), sort: (gi + 1) * 10 })));
      if (item.removable.length > 0) {
        const gKey = removableGroupSlug(key);
        const groupId = idOf("group", gKey);
        rows.modifier_groups!.push({ id: groupId, brand_id: brandId, slug: gKey, name: `${item.name} ingredients`, min_selections: 0, max_selections: item.removable.length, sort: 1000 });
        item.removable.forEach((r, ri) => {
          const spec = typeof r === "string" ? { ingredient: r } : r;
          rows.modifiers!.push({
            id: idOf("modifier", `${gKey}/${spec.ingredient}`),
            modifier_group_id: groupId,
            slug: spec.ingredient,
            name: ("name" in spec ? spec.name : undefined) ?? ingredientNames.get(spec.ingredient) ?? spec.ingredient,
            aliases: [],
            kind: "removable",
            price_cents: 0,
            extra_price_cents: ("extraPrice" in spec ? spec.extraPrice : undefined) ?? null,
            ingredient_id: idOf("ingredient", spec.ingredient),
            is_default: false,
            sort: (ri + 1) * 10,
          });
        });
        // Removals are offered before add-ons ("no onions" is more common than a new topping), as in the demo seed.
        rows.product_modifier_groups!.push({ product_id: productId, modifier_group_id: groupId, sort: 5 });
      }
    });
  }
  const items = new Map(menu.categories.flatMap((c) => c.items).map((i) => [keyOf(i), i]));
  rows.specials = menu.specials.map((s) => ({
    id: idOf("special", keyOf(s)),
    brand_id: brandId,
    location_id: s.location ? idOf("location", s.location) : null,
    slug: keyOf(s),
    name: s.name,
    description: s.description,
    days_of_week: s.days === "every day" ? [1, 2, 3, 4, 5, 6, 7] : [...new Set(s.days.map((d) => WEEKDAYS[d]))].sort(),
    start_time: s.window?.opens ?? null,
    end_time: s.window?.closes ?? null,
    starts_on: s.from ?? null,
    ends_on: s.until ?? null,
    product_id: idOf("product", s.item),
    // A special on a one-size item is on that size; on an item with sizes and no size named, on any size.
    variation_id: s.size ? idOf("variation", `${s.item}/${s.size}`) : items.get(s.item)?.sizes ? null : idOf("variation", `${s.item}/${SINGLE_SIZE_SLUG}`),
    special_price_cents: s.price,
    active: true,
  }));
}

/** Every row the chain file describes, ids from `idOf`. Pure. */
export function buildChainRows(file: ChainFile, idOf: IdOf): ChainRows {
  const brandKey = keyOf(file.brand);
  const brandId = idOf("brand", brandKey);
  const rows: ChainRows = {
    brands: [{ id: brandId, slug: brandKey, name: file.brand.name }],
    locations: [],
    location_hours: [],
    location_hour_exceptions: [],
    phone_numbers: [],
    location_staff_lines: [],
    staff_line_hours: [],
    location_variation_prices: [],
    modifier_groups: [],
    modifiers: [],
    products: [],
    variations: [],
    product_ingredients: [],
    product_modifier_groups: [],
  };
  locationRows(file, idOf, brandId, rows);
  menuRows(file, idOf, brandId, rows);
  return rows;
}
