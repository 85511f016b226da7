import type { RequestEnvelope, ToolArgs, ToolResult } from "@orderline/contracts";
import { buildCart, findLine, toCartLine } from "../cart.ts";
import type { OrderContext } from "../context.ts";
import { describeLine, readback } from "../domain/speech.ts";
import { menuReference } from "../menu.ts";
import { deleteLine } from "../repositories/orders.ts";
import { mutateDraft } from "./common.ts";

export async function removeItem(ctx: OrderContext, args: ToolArgs<"remove_item">, envelope: RequestEnvelope): Promise<ToolResult<"remove_item">> {
  return mutateDraft(ctx, envelope, "remove_item", async (tx, draft, lines, location, _now, { language, say }) => {
    const line = findLine(lines, args, await menuReference(ctx, envelope.locationId, args.line_id ? undefined : args.item), say);
    await deleteLine(tx, draft.id, line.lineId);
    const rest = lines.filter((l) => l.lineId !== line.lineId);
    const { cart, totals } = buildCart(draft, rest, location, ctx.config);
    const removed = toCartLine(line);
    const speech = say.removed(describeLine(line, language), rest.length === 0 ? null : readback(rest, cart, language));
    return { reply: { removed, cart, speech }, totals: { ...totals, flags: cart.flags } };
  });
}
