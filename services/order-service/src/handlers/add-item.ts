import { checkLineQuantity, lineTotalCents } from "@orderline/catalog";
import { type ModifierRequest, type RequestEnvelope, ToolFailure, type ToolArgs, type ToolResult } from "@orderline/contracts";
import { buildCart, toCartLine } from "../cart.ts";
import type { OrderContext } from "../context.ts";
import type { OrderMessages } from "../domain/messages.ts";
import { describeLine, readback } from "../domain/speech.ts";
import { type PricedSelection, priceSelection } from "../menu.ts";
import { insertLine, type NewLine, replaceLine, type StoredLine, type StoredModifier } from "../repositories/orders.ts";
import { mutateDraft } from "./common.ts";

/** No phone order is this big; beyond it the caller is asked to talk to staff (the large-order flag fires far earlier). */
export const MAX_ORDER_ITEMS = 200;

export function checkOrderSize(lines: readonly { quantity: number }[], say: OrderMessages): void {
  const items = lines.reduce((n, l) => n + l.quantity, 0);
  if (items > MAX_ORDER_ITEMS) {
    throw new ToolFailure("invalid_quantity", say.orderTooBig(MAX_ORDER_ITEMS), {
      itemCount: items,
      max: MAX_ORDER_ITEMS,
    });
  }
}

/** A cart line priced from the location's menu: names and prices are snapshotted here, never taken from the model. */
export function pricedLine(selection: PricedSelection, quantity: number, notes: string | null): NewLine {
  return {
    productId: selection.productId,
    variationId: selection.variationId,
    name: selection.name,
    size: selection.size,
    quantity,
    unitPriceCents: selection.unitPriceCents,
    lineTotalCents: lineTotalCents(selection.unitPriceCents, quantity),
    notes,
    modifiers: selection.modifiers.map((m) => ({ ...m })),
  };
}

const sameModifiers = (a: readonly StoredModifier[], b: readonly StoredModifier[]): boolean =>
  a.length === b.length && a.every((m, i) => m.modifierId === b[i]!.modifierId && m.action === b[i]!.action);

/** Resolves the item like the menu service does, prices it from the location's menu and adds (or merges) a line. */
export async function addItem(ctx: OrderContext, args: ToolArgs<"add_item">, envelope: RequestEnvelope): Promise<ToolResult<"add_item">> {
  return mutateDraft(ctx, envelope, "add_item", async (tx, draft, lines, location, now, { language, say }) => {
    const selection = await priceSelection(ctx, envelope.locationId, now, {
      item: args.item,
      size: args.size,
      modifiers: args.modifiers as ModifierRequest[],
      language,
    });
    // "two cokes" said in the item name counts when the model left quantity at its default of 1.
    const quantity = checkLineQuantity(args.quantity !== 1 ? args.quantity : (selection.spokenQuantity ?? 1), language);
    const notes = args.notes ?? null;
    const modifiers: StoredModifier[] = selection.modifiers;
    const same = lines.find(
      (l) => l.variationId === selection.variationId && (l.notes ?? null) === notes && sameModifiers(l.modifiers, modifiers),
    );
    let line: StoredLine;
    if (same) {
      const merged = checkLineQuantity(same.quantity + quantity, language);
      line = { ...same, ...pricedLine(selection, merged, same.notes) };
      await replaceLine(tx, draft.id, same.lineId, line, now);
    } else {
      const newLine = pricedLine(selection, quantity, notes);
      const position = lines.reduce((max, l) => Math.max(max, l.position), 0) + 1;
      const lineId = await insertLine(tx, draft.id, newLine, position, now);
      line = { ...newLine, lineId, position };
    }
    const all = same ? lines.map((l) => (l.lineId === line.lineId ? line : l)) : [...lines, line];
    checkOrderSize(all, say);
    const { cart, totals } = buildCart(draft, all, location, ctx.config);
    const cartLine = toCartLine(line);
    const added = describeLine({ ...line, quantity }, language);
    let speech = say.added(added, same ? line.quantity : null, readback(all, cart, language));
    if (cart.flags.largeOrder) speech += ` ${say.largeOrder}`;
    return { reply: { line: cartLine, cart, speech }, totals: { ...totals, flags: cart.flags } };
  });
}
