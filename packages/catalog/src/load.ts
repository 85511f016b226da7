import { ToolFailure } from "@orderline/contracts";
import type { Database } from "@orderline/db";
import type { Kysely } from "kysely";
import { DateTime } from "luxon";
import { z } from "zod";
import { hhmm } from "./hours.ts";
import { ingredientIsOut } from "./stock.ts";
import { CATALOG_MESSAGES } from "./i18n/catalog-messages.ts";
import type { SpeechLanguage } from "./i18n/language.ts";
import type { LocationMenu, Modifier, ModifierGroup, Product, Variation } from "./types.ts";

const LocationId = z.uuid();

/** Exceptions older than this many days are of no use to a snapshot. */
const PAST_EXCEPTION_DAYS = 2;

/** A 'date' column as 'YYYY-MM-DD', whichever type parser the pool uses. */
function asDate(value: unknown): string {
  if (typeof value === "string") return value.slice(0, 10);
  if (value instanceof Date) return DateTime.fromJSDate(value).toISODate()!;
  throw new TypeError(`unexpected date value ${String(value)}`);
}

export function unknownLocation(locationId: string, language: SpeechLanguage = "en"): ToolFailure {
  return new ToolFailure("unknown_location", CATALOG_MESSAGES[language].unknownLocation, { locationId: String(locationId).slice(0, 64) });
}

/** Throws unknown_location unless `locationId` is a uuid (checked before any query). */
export function assertLocationId(locationId: string): void {
  if (!LocationId.safeParse(locationId).success) throw unknownLocation(locationId);
}

/**
 * Reads one consistent snapshot (REPEATABLE READ, read only) of a location's catalog: the location,
 * its visible products with per-location prices, sold-out overrides, stock, modifier groups, specials,
 * hours and exceptions. Unknown or inactive location ⇒ ToolFailure("unknown_location").
 */
export async function loadLocationMenu(db: Kysely<Database>, locationId: string, now: Date = new Date()): Promise<LocationMenu> {
  assertLocationId(locationId);
  return db
    .transaction()
    .setIsolationLevel("repeatable read")
    .setAccessMode("read only")
    .execute(async (trx) => {
      const loc = await trx.selectFrom("locations").selectAll().where("id", "=", locationId).executeTakeFirst();
      if (!loc?.active) throw unknownLocation(locationId);
      const brandId = loc.brand_id;
      const since = DateTime.fromJSDate(now, { zone: loc.timezone }).minus({ days: PAST_EXCEPTION_DAYS }).toISODate()!;

      const categories = await trx.selectFrom("categories").selectAll().where("brand_id", "=", brandId).orderBy("sort").orderBy("name").execute();
      const products = await trx
        .selectFrom("products as p")
        .leftJoin("location_product_overrides as o", (j) => j.onRef("o.product_id", "=", "p.id").on("o.location_id", "=", locationId))
        .select([
          "p.id",
          "p.category_id",
          "p.slug",
          "p.name",
          "p.aliases",
          "p.allergens",
          "p.description",
          "p.serving_start",
          "p.serving_end",
          "p.sort",
          "o.sold_out",
          "o.hidden",
          "o.note",
        ])
        .where("p.brand_id", "=", brandId)
        .where("p.active", "=", true)
        .orderBy("p.sort")
        .orderBy("p.name")
        .execute();
      const visible = products.filter((p) => p.hidden !== true);
      const productIds = visible.map((p) => p.id);
      if (productIds.length === 0) productIds.push("00000000-0000-0000-0000-000000000000");

      const variations = await trx
        .selectFrom("variations as v")
        .leftJoin("location_variation_prices as lp", (j) => j.onRef("lp.variation_id", "=", "v.id").on("lp.location_id", "=", locationId))
        .select(["v.id", "v.product_id", "v.slug", "v.name", "v.aliases", "v.price_cents", "v.is_default", "lp.price_cents as location_price_cents"])
        .where("v.product_id", "in", productIds)
        .orderBy("v.sort")
        .orderBy("v.price_cents")
        .execute();
      const links = await trx
        .selectFrom("product_modifier_groups")
        .select(["product_id", "modifier_group_id"])
        .where("product_id", "in", productIds)
        .orderBy("sort")
        .execute();
      const groups = await trx.selectFrom("modifier_groups").selectAll().where("brand_id", "=", brandId).orderBy("sort").orderBy("name").execute();
      const modifiers = await trx
        .selectFrom("modifiers as m")
        .innerJoin("modifier_groups as g", "g.id", "m.modifier_group_id")
        .select(["m.id", "m.modifier_group_id", "m.slug", "m.name", "m.aliases", "m.kind", "m.price_cents", "m.extra_price_cents", "m.ingredient_id", "m.is_default"])
        .where("g.brand_id", "=", brandId)
        .orderBy("m.sort")
        .orderBy("m.name")
        .execute();
      const ingredients = await trx
        .selectFrom("ingredients as i")
        .leftJoin("ingredient_stock as s", (j) => j.onRef("s.ingredient_id", "=", "i.id").on("s.location_id", "=", locationId))
        .select(["i.id", "i.name", "i.allergens", "s.in_stock", "s.quantity"])
        .where("i.brand_id", "=", brandId)
        .execute();
      const productIngredients = await trx
        .selectFrom("product_ingredients")
        .select(["product_id", "ingredient_id"])
        .where("product_id", "in", productIds)
        .execute();
      const specials = await trx
        .selectFrom("specials")
        .selectAll()
        .where("brand_id", "=", brandId)
        .where("active", "=", true)
        .where((eb) => eb.or([eb("location_id", "is", null), eb("location_id", "=", locationId)]))
        .orderBy("name")
        .execute();
      const hours = await trx.selectFrom("location_hours").selectAll().where("location_id", "=", locationId).orderBy("weekday").orderBy("opens_at").execute();
      const exceptions = await trx
        .selectFrom("location_hour_exceptions")
        .selectAll()
        .where("location_id", "=", locationId)
        .where("on_date", ">=", since)
        .orderBy("on_date")
        .execute();

      // Out: marked out by staff, or counted down to zero by orders (see ingredientIsOut).
      const outOfStock = new Map(ingredients.filter((i) => ingredientIsOut(i.in_stock, i.quantity)).map((i) => [i.id, i.name]));
      const ingredientById = new Map(ingredients.map((i) => [i.id, i]));

      const modifiersByGroup = new Map<string, Modifier[]>();
      for (const m of modifiers) {
        const list = modifiersByGroup.get(m.modifier_group_id) ?? [];
        list.push({
          id: m.id,
          groupId: m.modifier_group_id,
          slug: m.slug,
          name: m.name,
          aliases: m.aliases,
          kind: m.kind,
          priceCents: m.price_cents,
          extraPriceCents: m.extra_price_cents,
          ingredientId: m.ingredient_id,
          isDefault: m.is_default,
          inStock: m.ingredient_id === null || !outOfStock.has(m.ingredient_id),
        });
        modifiersByGroup.set(m.modifier_group_id, list);
      }
      const groupById = new Map<string, ModifierGroup>(
        groups.map((g) => [
          g.id,
          { id: g.id, slug: g.slug, name: g.name, minSelections: g.min_selections, maxSelections: g.max_selections, modifiers: modifiersByGroup.get(g.id) ?? [] },
        ]),
      );
      const groupsByProduct = new Map<string, ModifierGroup[]>();
      for (const l of links) {
        const group = groupById.get(l.modifier_group_id);
        if (!group) continue;
        const list = groupsByProduct.get(l.product_id) ?? [];
        list.push(group);
        groupsByProduct.set(l.product_id, list);
      }
      const variationsByProduct = new Map<string, Variation[]>();
      for (const v of variations) {
        const list = variationsByProduct.get(v.product_id) ?? [];
        list.push({
          id: v.id,
          productId: v.product_id,
          slug: v.slug,
          name: v.name,
          aliases: v.aliases,
          priceCents: v.location_price_cents ?? v.price_cents,
          basePriceCents: v.price_cents,
          isDefault: v.is_default,
        });
        variationsByProduct.set(v.product_id, list);
      }
      const ingredientsByProduct = new Map<string, string[]>();
      for (const pi of productIngredients) {
        const list = ingredientsByProduct.get(pi.product_id) ?? [];
        list.push(pi.ingredient_id);
        ingredientsByProduct.set(pi.product_id, list);
      }
      const categoryById = new Map(categories.map((c) => [c.id, c]));

      const menuProducts: Product[] = [];
      for (const p of visible) {
        const productVariations = variationsByProduct.get(p.id) ?? [];
        const category = categoryById.get(p.category_id);
        if (productVariations.length === 0 || !category) continue; // nothing to sell
        const ingredientIds = ingredientsByProduct.get(p.id) ?? [];
        const allergens = new Set(p.allergens);
        for (const id of ingredientIds) for (const a of ingredientById.get(id)?.allergens ?? []) allergens.add(a);
        menuProducts.push({
          id: p.id,
          categoryId: p.category_id,
          categoryName: category.name,
          slug: p.slug,
          name: p.name,
          aliases: p.aliases,
          allergens: [...allergens].sort(),
          description: p.description,
          servingWindow: p.serving_start && p.serving_end ? { start: hhmm(p.serving_start), end: hhmm(p.serving_end) } : null,
          variations: productVariations,
          modifierGroups: groupsByProduct.get(p.id) ?? [],
          ingredientIds,
          outOfStockIngredients: ingredientIds.filter((id) => outOfStock.has(id)).map((id) => outOfStock.get(id)!),
          soldOut: p.sold_out === true,
          soldOutNote: p.note ?? null,
        });
      }
      // Menu order: category order, then product order.
      const categoryOrder = new Map(categories.map((c, i) => [c.id, i]));
      menuProducts.sort((a, b) => (categoryOrder.get(a.categoryId) ?? 0) - (categoryOrder.get(b.categoryId) ?? 0));
      const visibleProductIds = new Set(menuProducts.map((p) => p.id));

      return {
        location: {
          id: loc.id,
          brandId,
          slug: loc.slug,
          name: loc.name,
          addressLine1: loc.address_line1,
          addressLine2: loc.address_line2,
          city: loc.city,
          region: loc.region,
          postalCode: loc.postal_code,
          country: loc.country,
          crossStreets: loc.cross_streets,
          directionsHint: loc.directions_hint,
          parkingNote: loc.parking_note,
          timezone: loc.timezone,
          taxRatePpm: loc.tax_rate_ppm,
          publicPhone: loc.public_phone,
          staffTransferNumbers: loc.staff_transfer_numbers,
          deliveryPostalCodes: loc.delivery_postal_codes,
          deliveryMinimumCents: loc.delivery_minimum_cents,
          deliveryFeeCents: loc.delivery_fee_cents,
          defaultPrepMinutes: loc.default_prep_minutes,
          deliveryExtraMinutes: loc.delivery_extra_minutes,
          greeting: loc.greeting,
          language: loc.language,
        },
        categories: categories
          .map((c) => ({ id: c.id, slug: c.slug, name: c.name, description: c.description, itemCount: menuProducts.filter((p) => p.categoryId === c.id).length }))
          .filter((c) => c.itemCount > 0),
        products: menuProducts,
        specials: specials
          .filter((s) => visibleProductIds.has(s.product_id))
          .map((s) => ({
            id: s.id,
            slug: s.slug,
            name: s.name,
            description: s.description,
            daysOfWeek: s.days_of_week.map(Number),
            startTime: s.start_time ? hhmm(s.start_time) : null,
            endTime: s.end_time ? hhmm(s.end_time) : null,
            startsOn: s.starts_on ? asDate(s.starts_on) : null,
            endsOn: s.ends_on ? asDate(s.ends_on) : null,
            productId: s.product_id,
            variationId: s.variation_id,
            specialPriceCents: s.special_price_cents,
            locationId: s.location_id,
          })),
        weeklyHours: hours.map((h) => ({
          weekday: h.weekday,
          isClosed: h.is_closed,
          opensAt: h.opens_at ? hhmm(h.opens_at) : null,
          closesAt: h.closes_at ? hhmm(h.closes_at) : null,
        })),
        exceptions: exceptions.map((e) => ({
          date: asDate(e.on_date),
          isClosed: e.is_closed,
          opensAt: e.opens_at ? hhmm(e.opens_at) : null,
          closesAt: e.closes_at ? hhmm(e.closes_at) : null,
          reason: e.reason,
        })),
        outOfStockIngredients: [...outOfStock.entries()].map(([id, name]) => ({ id, name })),
        loadedAt: new Date(),
      } satisfies LocationMenu;
    });
}
