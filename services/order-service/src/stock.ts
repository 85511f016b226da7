/**
 * Stock at submit: the authoritative re-check of sold-out items and out-of-stock ingredients (read in the
 * submit transaction, not from the cached menu, so an item 86'd a moment ago is refused even before the
 * NOTIFY reached this replica) and the count-down of counted ingredients (`ingredientNeeds` of
 * @orderline/catalog: base ingredients and ingredient modifiers × line quantity).
 */
import { ingredientIsOut, ingredientNeeds, type LocationMenu, unitIngredients } from "@orderline/catalog";
import { ToolFailure } from "@orderline/contracts";
import type { OrderContext } from "./context.ts";
import type { OrderMessages } from "./domain/messages.ts";
import { assertLinesAvailable } from "./menu.ts";
import type { Db, StoredLine } from "./repositories/orders.ts";
import { lockStock, offMenuProducts, recordCountedOut, takeStock } from "./repositories/stock.ts";

/** Whether one item of the line uses the ingredient. */
function uses(menu: LocationMenu, line: StoredLine, ingredientId: string): boolean {
  const product = menu.products.find((p) => p.id === line.productId);
  return product !== undefined && unitIngredients(product, line.modifiers).has(ingredientId);
}

const uniqueNames = (lines: readonly StoredLine[]): string[] => [...new Set(lines.map((l) => l.name))];

/**
 * Refuses the order when one of its items is sold out or hidden now, an ingredient it needs is out, or a
 * counted ingredient has fewer units left than it needs; otherwise counts the counted ingredients down (rows
 * locked until commit: of two orders racing for the last unit, one gets it, the other is refused here). Returns
 * the ingredients this order brought to zero (recorded in menu_control_events): the caller announces the change
 * after commit (the catalog trigger NOTIFYs as well).
 */
export async function takeIngredients(
  tx: Db,
  e: { menu: LocationMenu; lines: readonly StoredLine[]; orderId: string; now: Date; say: OrderMessages },
): Promise<{ ingredientId: string; name: string }[]> {
  const locationId = e.menu.location.id;
  const productIds = [...new Set(e.lines.flatMap((l) => (l.productId ? [l.productId] : [])))];
  const off = await offMenuProducts(tx, locationId, productIds);
  const soldOut = e.lines.filter((l) => l.productId !== null && off.has(l.productId));
  if (soldOut.length > 0) {
    throw new ToolFailure("unavailable", e.say.linesUnavailable(uniqueNames(soldOut)), {
      lines: soldOut.map((l) => ({ lineId: l.lineId, name: l.name, reason: "sold_out", alternatives: [] })),
    });
  }

  const needs = ingredientNeeds(e.menu, e.lines);
  const rows = await lockStock(tx, locationId, [...needs.keys()]);
  const out = rows.filter((r) => ingredientIsOut(r.inStock, r.quantity));
  if (out.length > 0) {
    const affected = e.lines.filter((l) => out.some((r) => uses(e.menu, l, r.ingredientId)));
    throw new ToolFailure("unavailable", e.say.linesUnavailable(uniqueNames(affected)), {
      lines: affected.map((l) => ({ lineId: l.lineId, name: l.name, reason: "ingredient_out_of_stock", alternatives: [] })),
      missingIngredients: out.map((r) => r.name),
    });
  }
  const short = rows.find((r) => r.quantity !== null && r.quantity < needs.get(r.ingredientId)!);
  if (short) {
    const affected = e.lines.filter((l) => uses(e.menu, l, short.ingredientId));
    throw new ToolFailure("out_of_stock", e.say.notEnoughLeft(short.name, uniqueNames(affected)), {
      ingredientId: short.ingredientId,
      ingredient: short.name,
      left: short.quantity,
      needed: needs.get(short.ingredientId),
      lines: affected.map((l) => ({ lineId: l.lineId, name: l.name, quantity: l.quantity })),
    });
  }

  const counted = rows.filter((r) => r.quantity !== null);
  const after = await takeStock(
    tx,
    locationId,
    counted.map((r) => ({ ingredientId: r.ingredientId, units: needs.get(r.ingredientId)! })),
    e.now,
  );
  const zeroed = counted.filter((r) => after.get(r.ingredientId) === 0);
  await recordCountedOut(tx, {
    locationId,
    orderId: e.orderId,
    ingredients: zeroed.map((r) => ({ ingredientId: r.ingredientId, name: r.name, before: r.quantity! })),
    at: e.now,
  });
  return zeroed.map((r) => ({ ingredientId: r.ingredientId, name: r.name }));
}

export type CountedOut = { ingredientId: string; name: string }[];

/**
 * What every way of placing an order does in its transaction (submit_order on an inbound call, confirm_order on a
 * confirmation call): the lines must be on sale in the location's snapshot, then `takeIngredients` re-checks sold-out
 * items and out ingredients in the transaction and counts the counted ones down. Refusals are ToolFailures with the
 * spoken reason (`unavailable`, `out_of_stock`). Returns what `announceCountedOut` needs after commit.
 */
export async function reserveStock(tx: Db, e: { menu: LocationMenu; lines: readonly StoredLine[]; orderId: string; now: Date; say: OrderMessages }): Promise<CountedOut> {
  assertLinesAvailable(e.menu, e.lines, e.now, e.say);
  return takeIngredients(tx, e);
}

/** After the placing transaction committed: ingredients it counted down to zero take their items off the menu everywhere. */
export function announceCountedOut(ctx: Pick<OrderContext, "logger" | "announceCatalogChange">, locationId: string, countedOut: CountedOut): void {
  if (countedOut.length === 0) return;
  ctx.logger.info({ locationId, ingredients: countedOut.map((i) => i.name) }, "counted ingredients ran out; their items are off the menu");
  ctx.announceCatalogChange(locationId);
}
