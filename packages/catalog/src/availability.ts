import type { UnavailableReason } from "@orderline/contracts";
import { localTime, minutesOf } from "./hours.ts";
import type { LocationMenu, MenuSpecial, Product, Variation } from "./types.ts";

export interface Availability {
  available: boolean;
  /** Why not, in priority order: sold out (location override), a base ingredient out of stock, outside its serving window. */
  reason: UnavailableReason | null;
  /** For ingredient_out_of_stock: the missing ingredients. */
  missingIngredients: string[];
  /** For outside_serving_hours: the window, local "HH:MM". */
  servingWindow: { start: string; end: string } | null;
}

/** Whether local minute-of-day `t` is within [start, end) — windows with end <= start pass midnight. */
export function withinWindow(t: number, start: string, end: string): boolean {
  const s = minutesOf(start);
  const e = minutesOf(end);
  if (s === e) return true;
  return s < e ? t >= s && t < e : t >= s || t < e;
}

/** Whether the product can be ordered at `now` at this location. */
export function availabilityOf(menu: LocationMenu, product: Product, now: Date): Availability {
  const base = { missingIngredients: [] as string[], servingWindow: null };
  if (product.soldOut) return { ...base, available: false, reason: "sold_out" };
  if (product.outOfStockIngredients.length > 0) {
    return { ...base, available: false, reason: "ingredient_out_of_stock", missingIngredients: product.outOfStockIngredients };
  }
  if (product.servingWindow) {
    const local = localTime(menu, now);
    if (!withinWindow(local.hour * 60 + local.minute, product.servingWindow.start, product.servingWindow.end)) {
      return { ...base, available: false, reason: "outside_serving_hours", servingWindow: product.servingWindow };
    }
  }
  return { ...base, available: true, reason: null };
}

/** Lowest price among the product's sizes. */
export function fromPriceCents(product: Product): number {
  return Math.min(...product.variations.map((v) => v.priceCents));
}

/** Up to `n` products of the same category that are available now, closest in price first. */
export function alternativesFor(menu: LocationMenu, product: Product, now: Date, n = 3): Product[] {
  const price = fromPriceCents(product);
  return menu.products
    .map((p, order) => ({ p, order }))
    .filter(({ p }) => p.id !== product.id && p.categoryId === product.categoryId && availabilityOf(menu, p, now).available)
    .sort((a, b) => Math.abs(fromPriceCents(a.p) - price) - Math.abs(fromPriceCents(b.p) - price) || a.order - b.order)
    .slice(0, n)
    .map(({ p }) => p);
}

export interface SpecialToday {
  special: MenuSpecial;
  /** Within its time window right now. */
  availableNow: boolean;
}

/** Specials running on the location's local date at `now` (weekday, date range), with whether they run right now. */
export function specialsOn(menu: LocationMenu, now: Date): SpecialToday[] {
  const local = localTime(menu, now);
  const date = local.toISODate()!;
  const minute = local.hour * 60 + local.minute;
  return menu.specials
    .filter((s) => s.daysOfWeek.includes(local.weekday) && (s.startsOn === null || s.startsOn <= date) && (s.endsOn === null || date <= s.endsOn))
    .map((special) => ({
      special,
      availableNow: special.startTime === null || special.endTime === null || withinWindow(minute, special.startTime, special.endTime),
    }));
}

/** The special that prices this variation right now, if any (the cheapest when several apply). */
export function activeSpecialFor(menu: LocationMenu, product: Product, variation: Variation, now: Date): MenuSpecial | null {
  let best: MenuSpecial | null = null;
  for (const { special, availableNow } of specialsOn(menu, now)) {
    if (!availableNow || special.productId !== product.id) continue;
    if (special.variationId !== null && special.variationId !== variation.id) continue;
    if (special.specialPriceCents >= variation.priceCents) continue;
    if (!best || special.specialPriceCents < best.specialPriceCents) best = special;
  }
  return best;
}

/** Unit base price of a variation at `now`: the location price, or a running special's price when lower. */
export function variationPriceAt(menu: LocationMenu, product: Product, variation: Variation, now: Date): { priceCents: number; special: MenuSpecial | null } {
  const special = activeSpecialFor(menu, product, variation, now);
  return { priceCents: special ? special.specialPriceCents : variation.priceCents, special };
}
