import { clean, parseOrder } from "@orderline/agent";
import { type LocationMenu, resolveItem } from "@orderline/catalog";
import { MAX_LINE_QUANTITY } from "@orderline/contracts";
import type { IntakeLine, UnmatchedItem } from "./intake.ts";

/**
 * A sheet's `order_text` ("2x beef burgers, 1x fries", "3 large pepperoni pizzas and a coke") as order lines on the
 * location's menu. The sentence is split into items by the local agent's `parseOrder` and every item is resolved by
 * the catalog's `resolveItem` — the same reading a caller's words get. What names no single product goes to
 * `unmatched`, for the confirmation call to ask about.
 */

export type ParsedOrderText = { lines: IntakeLine[]; unmatched: UnmatchedItem[] };

/** Written multipliers: "2x", "2 x", "2×" (quantity first) and "burger x2" (quantity last). */
const LEADING_TIMES = /\b(\d{1,3})\s*[x×](?=\s|$)/gi;
const TRAILING_TIMES = /([^,;\n]+?)\s+[x×]\s*(\d{1,3})\b/gi;

/** Longest order_text read (a cell holds up to 50,000 characters; an order is a sentence). */
export const MAX_ORDER_TEXT = 500;

function normalizeTimes(text: string): string {
  return text.replace(TRAILING_TIMES, (_, item: string, n: string) => `${n} ${item.trim()}`).replace(LEADING_TIMES, "$1 ");
}

export function parseOrderText(menu: LocationMenu, orderText: string): ParsedOrderText {
  const lines: IntakeLine[] = [];
  const unmatched: UnmatchedItem[] = [];
  const parsed = parseOrder(menu, clean(normalizeTimes(orderText.slice(0, MAX_ORDER_TEXT))));
  for (const item of parsed.items) {
    const said = item.request.item;
    const r = resolveItem(menu, said);
    if (r.kind === "ambiguous") {
      unmatched.push({ text: said, quantity: item.request.quantity, reason: "ambiguous", candidates: r.candidates.map((p) => p.name) });
      continue;
    }
    if (r.kind === "not_found" || item.farOff) {
      const suggestions = r.kind === "not_found" && r.similar ? r.suggestions.map((p) => p.name) : [];
      unmatched.push({ text: said, quantity: item.request.quantity, reason: "not_on_menu", candidates: suggestions });
      continue;
    }
    if (r.sizePhrase !== undefined) {
      unmatched.push({ text: said, quantity: item.request.quantity, reason: "invalid_size", candidates: r.product.variations.map((v) => v.name) });
      continue;
    }
    const variation = r.variation ?? (r.product.variations.length === 1 ? r.product.variations[0] : undefined);
    lines.push({
      text: said,
      productId: r.product.id,
      name: r.product.name,
      variationId: variation?.id ?? null,
      size: variation?.name ?? null,
      quantity: Math.min(item.request.quantity, MAX_LINE_QUANTITY),
      modifiers: item.request.modifiers.map((m) => ({ name: m.name, action: m.action })),
    });
  }
  for (const text of parsed.unsupported) unmatched.push({ text, quantity: 1, reason: "unsupported", candidates: [] });
  return { lines, unmatched };
}
