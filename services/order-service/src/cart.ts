import { type MenuLocation, nameKey } from "@orderline/catalog";
import { type Cart, type CartLine, type OrderType, ToolFailure } from "@orderline/contracts";
import type { Order } from "@orderline/db";
import type { OrderServiceConfig } from "./context.ts";
import { orderFlags } from "./domain/flags.ts";
import { ORDER_MESSAGES, type OrderMessages } from "./domain/messages.ts";
import { computeTotals, type Totals } from "./domain/money.ts";
import type { StoredLine } from "./repositories/orders.ts";

/** Shown for a snapshot whose catalog row was deleted since (FK set null): the line keeps its names and prices. */
const NIL_UUID = "00000000-0000-0000-0000-000000000000";

export function deliveryFeeFor(orderType: OrderType, location: MenuLocation): number {
  return orderType === "delivery" ? location.deliveryFeeCents : 0;
}

/** Totals of stored lines, recomputed from their snapshotted prices (never from a stored total). */
export function totalsOf(lines: readonly StoredLine[], orderType: OrderType, location: MenuLocation): Totals {
  return computeTotals(lines, { taxRatePpm: location.taxRatePpm, deliveryFeeCents: deliveryFeeFor(orderType, location) });
}

export function toCartLine(l: StoredLine): CartLine {
  return {
    lineId: l.lineId,
    productId: l.productId ?? NIL_UUID,
    variationId: l.variationId ?? NIL_UUID,
    name: l.name,
    size: l.size,
    quantity: l.quantity,
    unitPriceCents: l.unitPriceCents,
    modifiers: l.modifiers.map((m) => ({ modifierId: m.modifierId ?? NIL_UUID, name: m.name, action: m.action, priceCents: m.priceCents })),
    lineTotalCents: l.lineTotalCents,
    notes: l.notes,
  };
}

export function buildCart(
  order: Pick<Order, "id" | "order_type" | "state">,
  lines: readonly StoredLine[],
  location: MenuLocation,
  config: OrderServiceConfig,
): { cart: Cart; totals: Totals } {
  const totals = totalsOf(lines, order.order_type, location);
  const cart: Cart = {
    orderId: order.id,
    orderType: order.order_type,
    state: order.state,
    lines: lines.map(toCartLine),
    itemCount: totals.itemCount,
    subtotalCents: totals.subtotalCents,
    taxCents: totals.taxCents,
    deliveryFeeCents: totals.deliveryFeeCents,
    totalCents: totals.totalCents,
    flags: orderFlags(totals, config.largeOrder),
  };
  return { cart, totals };
}

/** What the menu says a spoken name is ("coke" → Coca-Cola), for lines the caller names by an alias. */
export interface MenuReference {
  productId: string;
  variationId?: string | undefined;
}

/**
 * A line_id, or a spoken name matched against the cart's lines (their snapshotted names first, then the
 * product the menu resolves the name to); several matching lines ⇒ ambiguous_line asking which one.
 */
export function findLine(
  lines: readonly StoredLine[],
  ref: { line_id?: string | undefined; item?: string | undefined },
  menuRef?: MenuReference,
  say: OrderMessages = ORDER_MESSAGES.en,
): StoredLine {
  if (ref.line_id !== undefined) {
    const line = lines.find((l) => l.lineId === ref.line_id);
    if (!line) throw new ToolFailure("line_not_found", say.lineIdNotFound, { lineId: ref.line_id });
    return line;
  }
  // Both sides through catalog's name normalisation (the one the menu resolves names with).
  const spoken = nameKey(ref.item ?? "");
  // "one coke": a leading count is not part of the name (but "2 liter coke" may be a size, so try both).
  const uncounted = spoken.replace(/^\d+ (?=\S)/, "");
  const describe = (l: StoredLine) => nameKey(`${l.size ?? ""} ${l.name}`);
  const scored = lines
    .map((l) => {
      const name = nameKey(l.name);
      const full = describe(l);
      return { l, score: Math.max(matchScore(spoken, name, full), matchScore(uncounted, name, full)) };
    })
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score);
  if (scored.length === 0 && menuRef) {
    for (const s of lines) {
      if (s.productId === menuRef.productId && (menuRef.variationId === undefined || s.variationId === menuRef.variationId)) scored.push({ l: s, score: 1 });
    }
  }
  if (scored.length === 0) {
    throw new ToolFailure("line_not_found", say.lineNotInOrder(ref.item ?? ""), {
      item: ref.item,
      lines: lines.map((l) => ({ lineId: l.lineId, name: l.name, size: l.size, quantity: l.quantity })),
    });
  }
  const best = scored.filter((s) => s.score === scored[0]!.score);
  if (best.length > 1) {
    const choices = best.map((s) => ({ lineId: s.l.lineId, name: s.l.name, size: s.l.size, quantity: s.l.quantity }));
    throw new ToolFailure("ambiguous_line", say.ambiguousLine(ref.item ?? "", choices), { choices });
  }
  return scored[0]!.l;
}

/** 3 = exact "size name", 2 = exact name, 1 = every spoken word appears in the line. */
function matchScore(spoken: string, name: string, full: string): number {
  if (spoken === "") return 0;
  if (spoken === full) return 3;
  if (spoken === name) return 2;
  const words = spoken.split(" ");
  const have = new Set(full.split(" "));
  return words.every((w) => have.has(w)) ? 1 : 0;
}
