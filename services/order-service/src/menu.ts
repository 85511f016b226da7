/**
 * The order service's use of the shared menu domain (@orderline/catalog): item resolution, sizes, modifiers,
 * availability, hours and wait estimates are the menu service's code, not a copy.
 */
import {
  alternativesFor,
  estimateWaitMinutes,
  availabilityOf,
  type LocationMenu,
  openStatus,
  type Product,
  priceLine,
  productById,
  resolveItem,
  resolveItemOrThrow,
  resolveModifiers,
  resolveSize,
  type SpeechLanguage,
  variationPriceAt,
} from "@orderline/catalog";
import { type ModifierAction, type ModifierRequest, type OrderType, ToolFailure } from "@orderline/contracts";
import type { MenuReference } from "./cart.ts";
import type { OrderContext } from "./context.ts";
import { ORDER_MESSAGES, type OrderMessages } from "./domain/messages.ts";
import type { Db, StoredLine } from "./repositories/orders.ts";

export interface PricedSelection {
  productId: string;
  variationId: string;
  name: string;
  /** Null for a product that comes in one size only. */
  size: string | null;
  unitPriceCents: number;
  modifiers: { modifierId: string; groupName: string; name: string; action: ModifierAction; priceCents: number; isDefault: boolean }[];
  /** Quantity heard inside the item phrase ("two cokes"). */
  spokenQuantity?: number | undefined;
}

export interface SelectionRequest {
  /** Re-pricing an existing line: the product it snapshotted (resolved by id, not by name). */
  productId?: string | null;
  item: string;
  size?: string | undefined;
  modifiers: ModifierRequest[];
  /** The language failures are said in (default English). */
  language?: SpeechLanguage;
}

export async function menuFor(ctx: OrderContext, locationId: string, language?: SpeechLanguage): Promise<LocationMenu> {
  return ctx.menus(locationId, language);
}

/** Throws out_of_stock / unavailable with available alternatives when the product can't be ordered now. */
export function assertAvailable(menu: LocationMenu, product: Product, now: Date, say: OrderMessages): void {
  const availability = availabilityOf(menu, product, now);
  if (availability.available) return;
  const alternatives = alternativesFor(menu, product, now);
  const names = alternatives.map((a) => a.name);
  const details = alternatives.map((a) => ({ productId: a.id, name: a.name }));
  const notNow = availability.reason === "outside_serving_hours";
  throw new ToolFailure(notNow ? "unavailable" : "out_of_stock", say.itemUnavailable(product.name, notNow ? "not_now" : "sold_out", names), {
    productId: product.id,
    reason: availability.reason,
    alternatives: details,
  });
}

/** Resolves item, size and modifiers against the location's menu and prices one unit — never from the model. */
export async function priceSelection(ctx: OrderContext, locationId: string, now: Date, req: SelectionRequest): Promise<PricedSelection> {
  const menu = await menuFor(ctx, locationId);
  const language = req.language ?? "en";
  let product: Product;
  let variation: Product["variations"][number] | undefined;
  let spokenQuantity: number | undefined;
  let sizePhrase = req.size;
  if (req.productId) {
    product = productById(menu, req.productId, language);
  } else {
    const match = resolveItemOrThrow(menu, req.item, language);
    product = match.product;
    spokenQuantity = match.quantity;
    if (sizePhrase === undefined) {
      variation = match.variation;
      sizePhrase = match.sizePhrase;
    }
  }
  // A sold-out item is refused before its size is asked for.
  assertAvailable(menu, product, now, ORDER_MESSAGES[language]);
  variation ??= resolveSize(product, sizePhrase, language);
  const modifiers = resolveModifiers(menu, product, req.modifiers, language);
  // The location's price, or a running special's when lower; then the one line pricing rule (catalog).
  const base = variationPriceAt(menu, product, variation, now);
  const unit = priceLine(variation, modifiers, 1, { basePriceCents: base.priceCents }).unitPriceCents;
  return {
    productId: product.id,
    variationId: variation.id,
    name: product.name,
    size: product.variations.length > 1 ? variation.name : null,
    unitPriceCents: unit,
    modifiers: modifiers.map((m) => ({
      modifierId: m.modifierId,
      groupName: m.groupName,
      name: m.name,
      action: m.action,
      priceCents: m.priceCents,
      isDefault: m.defaulted,
    })),
    spokenQuantity,
  };
}

/** Submit-time re-check: every line's product still on the menu and available now. */
export function assertLinesAvailable(menu: LocationMenu, lines: readonly StoredLine[], now: Date, say: OrderMessages): void {
  const problems: { lineId: string; name: string; reason: string; alternatives: unknown[] }[] = [];
  for (const line of lines) {
    const product = line.productId ? menu.products.find((p) => p.id === line.productId) : undefined;
    if (!product) {
      problems.push({ lineId: line.lineId, name: line.name, reason: "not_on_menu", alternatives: [] });
      continue;
    }
    const availability = availabilityOf(menu, product, now);
    if (!availability.available) {
      const alternatives = alternativesFor(menu, product, now).map((a) => ({ productId: a.id, name: a.name }));
      problems.push({ lineId: line.lineId, name: line.name, reason: availability.reason ?? "unavailable", alternatives });
    }
  }
  if (problems.length === 0) return;
  throw new ToolFailure(
    "unavailable",
    say.linesUnavailable(problems.map((p) => p.name)),
    { lines: problems },
  );
}

/** Refuses with `closed` (and the next opening time) when the location is not open now. */
export function assertOpen(menu: LocationMenu, now: Date, say: OrderMessages): void {
  const status = openStatus(menu, now);
  if (status.openNow) return;
  const next = status.nextOpening;
  throw new ToolFailure("closed", say.closed(next, status.localNow), {
    nextOpening: next ? next.toUTC().toISO() : null,
    nextOpeningLocal: next ? next.toISO() : null,
  });
}

/** Minutes until a new order of this type would be ready (the menu service's estimate, shared). */
export async function estimateWait(db: Db, menu: LocationMenu, orderType: OrderType, now: Date): Promise<number> {
  return (await estimateWaitMinutes(db, menu, orderType, now)).minutes;
}

/** The product (and size) a spoken name means on this location's menu, if it clearly means one. */
export async function menuReference(ctx: OrderContext, locationId: string, spoken: string | undefined): Promise<MenuReference | undefined> {
  if (spoken === undefined) return undefined;
  const r = resolveItem(await menuFor(ctx, locationId), spoken);
  return r.kind === "match" ? { productId: r.product.id, variationId: r.variation?.id } : undefined;
}
