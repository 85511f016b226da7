import { checkLineQuantity, lineTotalCents } from "@orderline/catalog";
import type { ModifierRequest, RequestEnvelope, ToolArgs, ToolResult } from "@orderline/contracts";
import { buildCart, findLine, toCartLine } from "../cart.ts";
import type { OrderContext } from "../context.ts";
import { describeLine, readback } from "../domain/speech.ts";
import { menuReference, priceSelection } from "../menu.ts";
import { replaceLine, type StoredLine } from "../repositories/orders.ts";
import { checkOrderSize, pricedLine } from "./add-item.ts";
import { mutateDraft } from "./common.ts";

/**
 * Changes a line mid-call. Quantity alone keeps the line's snapshotted prices; a new size or new modifiers
 * re-resolve and re-price the line from the location's current menu.
 */
export async function updateItem(ctx: OrderContext, args: ToolArgs<"update_item">, envelope: RequestEnvelope): Promise<ToolResult<"update_item">> {
  return mutateDraft(ctx, envelope, "update_item", async (tx, draft, lines, location, now, { language, say }) => {
    const current = findLine(lines, args, await menuReference(ctx, envelope.locationId, args.line_id ? undefined : args.item), say);
    const quantity = checkLineQuantity(args.quantity ?? current.quantity, language);
    let next: StoredLine;
    if (args.size === undefined && args.modifiers === undefined) {
      next = { ...current, quantity, lineTotalCents: lineTotalCents(current.unitPriceCents, quantity) };
    } else {
      const selection = await priceSelection(ctx, envelope.locationId, now, {
        productId: current.productId,
        item: current.name,
        size: args.size ?? current.size ?? undefined,
        // Keep the caller's choices; defaults (the regular crust) are re-applied by the menu for the new size.
        modifiers:
          (args.modifiers as ModifierRequest[] | undefined) ?? current.modifiers.filter((m) => !m.isDefault).map((m) => ({ name: m.name, action: m.action })),
        language,
      });
      next = { ...current, ...pricedLine(selection, quantity, current.notes) };
    }
    await replaceLine(tx, draft.id, current.lineId, next, now);
    const all = lines.map((l) => (l.lineId === current.lineId ? next : l));
    checkOrderSize(all, say);
    const { cart, totals } = buildCart(draft, all, location, ctx.config);
    const line = toCartLine(next);
    let speech = say.updated(describeLine(next, language), readback(all, cart, language));
    if (cart.flags.largeOrder) speech += ` ${say.largeOrder}`;
    return { reply: { line, cart, speech }, totals: { ...totals, flags: cart.flags } };
  });
}
