import type { ModifierAction, ModifierKind } from "@orderline/contracts";

/**
 * One immutable snapshot of a location's catalog, as the caller of that location sees it: chain data
 * with the location's prices, hidden products removed, sold-out and stock flags applied. Times are local
 * wall-clock strings "HH:MM" in `location.timezone`; dates are local "YYYY-MM-DD".
 */
export interface LocationMenu {
  location: MenuLocation;
  /** Categories with at least one visible product, in menu order. */
  categories: MenuCategory[];
  /** Every product visible at this location (active, not hidden), in menu order. */
  products: Product[];
  /** Specials that apply to this location (chain-wide or its own), active ones only; see `specialsOn`. */
  specials: MenuSpecial[];
  /** Weekly opening intervals; several per weekday allowed (lunch + dinner). */
  weeklyHours: WeeklyHours[];
  /** Dated exceptions (holidays, special hours) that replace the weekday's hours on that date. */
  exceptions: HoursException[];
  /** Ingredients marked out of stock at this location. */
  outOfStockIngredients: { id: string; name: string }[];
  /** When the snapshot was read (UTC). */
  loadedAt: Date;
}

export interface MenuLocation {
  id: string;
  brandId: string;
  slug: string;
  name: string;
  addressLine1: string;
  addressLine2: string | null;
  city: string;
  region: string;
  postalCode: string;
  country: string;
  crossStreets: string | null;
  directionsHint: string | null;
  parkingNote: string | null;
  /** IANA zone; every local time of this menu is in it. */
  timezone: string;
  /** Sales tax in parts per million (88 750 = 8.875 %). */
  taxRatePpm: number;
  /** E.164. */
  publicPhone: string;
  staffTransferNumbers: string[];
  /** Postal codes delivered to; empty = no delivery. */
  deliveryPostalCodes: string[];
  deliveryMinimumCents: number;
  deliveryFeeCents: number;
  /** Kitchen time for an order with an empty queue. */
  defaultPrepMinutes: number;
  /** Added on top of the prep time for delivery. */
  deliveryExtraMinutes: number;
  greeting: string | null;
  language: string;
}

export interface MenuCategory {
  id: string;
  slug: string;
  name: string;
  description: string | null;
  /** Number of visible products in it. */
  itemCount: number;
}

export interface Product {
  id: string;
  categoryId: string;
  categoryName: string;
  slug: string;
  name: string;
  /** How callers say it ("pep", "margarita"), as stored. */
  aliases: string[];
  /** Product allergens plus those of its ingredients, deduplicated, sorted. */
  allergens: string[];
  description: string | null;
  /** Local serving window ("HH:MM"), e.g. lunch only; end <= start means it runs past midnight. */
  servingWindow: { start: string; end: string } | null;
  /** Sizes, in menu order; at least one. */
  variations: Variation[];
  /** Modifier groups attached to the product, in order. */
  modifierGroups: ModifierGroup[];
  /** Base ingredients (product_ingredients). */
  ingredientIds: string[];
  /** Names of base ingredients out of stock at this location (non-empty ⇒ unavailable). */
  outOfStockIngredients: string[];
  /** Location override: sold out for now. */
  soldOut: boolean;
  soldOutNote: string | null;
}

export interface Variation {
  id: string;
  productId: string;
  slug: string;
  /** Size name ("Small", "Large", "20 oz"). */
  name: string;
  aliases: string[];
  /** Effective price at this location (per-location override applied), integer cents. */
  priceCents: number;
  /** Chain price before the location override. */
  basePriceCents: number;
  isDefault: boolean;
}

export interface ModifierGroup {
  id: string;
  slug: string;
  name: string;
  minSelections: number;
  maxSelections: number;
  modifiers: Modifier[];
}

export interface Modifier {
  id: string;
  groupId: string;
  slug: string;
  name: string;
  aliases: string[];
  /** "addon" = a choice that is added; "removable" = an ingredient that comes on it and can be left off. */
  kind: ModifierKind;
  /** Price of adding it (0 for removables). */
  priceCents: number;
  /** Price of "extra …" (replaces priceCents); null = extra not offered. */
  extraPriceCents: number | null;
  ingredientId: string | null;
  isDefault: boolean;
  /** False when its ingredient is out of stock at this location. */
  inStock: boolean;
}

export interface MenuSpecial {
  id: string;
  slug: string;
  name: string;
  description: string;
  /** ISO weekdays, 1 = Monday. */
  daysOfWeek: number[];
  /** Local "HH:MM"; both null = all day. */
  startTime: string | null;
  endTime: string | null;
  /** Local dates, inclusive; null = open-ended. */
  startsOn: string | null;
  endsOn: string | null;
  productId: string;
  /** null = every variation of the product. */
  variationId: string | null;
  specialPriceCents: number;
  /** Chain-wide (null) or this location's own. */
  locationId: string | null;
}

export interface WeeklyHours {
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
  isClosed: boolean;
  /** Local "HH:MM"; closesAt <= opensAt means the interval ends after midnight. */
  opensAt: string | null;
  closesAt: string | null;
}

export interface HoursException {
  /** Local date "YYYY-MM-DD". */
  date: string;
  isClosed: boolean;
  opensAt: string | null;
  closesAt: string | null;
  reason: string | null;
}

/** A modifier chosen for a line, validated against the product's groups and priced. */
export interface ResolvedModifier {
  modifierId: string;
  groupId: string;
  groupName: string;
  name: string;
  action: ModifierAction;
  /** What it adds to the unit price (0 for "no …"). */
  priceCents: number;
  /** True when added because the group has a default and the caller chose nothing in it. */
  defaulted: boolean;
}
