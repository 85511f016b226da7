import { type MenuLocation, type SpeechLanguage, speechLanguage, speechLanguageOf } from "@orderline/catalog";
import { type RequestEnvelope, ToolFailure } from "@orderline/contracts";
import type { Order } from "@orderline/db";
import type { OrderContext } from "../context.ts";
import { ORDER_MESSAGES, type OrderMessages } from "../domain/messages.ts";
import {
  type CallScope,
  type Db,
  findLatestPlacedOrder,
  lockDraft,
  type OrderTotalsUpdate,
  type StoredLine,
  updateDraftTotals,
} from "../repositories/orders.ts";

export function scopeOf(envelope: RequestEnvelope): CallScope {
  return { locationId: envelope.locationId, callSid: envelope.callSid, orderSessionId: envelope.orderSessionId };
}

/** The language this call's tool results are said in (the envelope's, else the location's) and its messages. */
export interface Speech {
  language: SpeechLanguage;
  say: OrderMessages;
}

export function speechFor(envelope: RequestEnvelope, location: MenuLocation): Speech {
  const language = speechLanguage(envelope, location);
  return { language, say: ORDER_MESSAGES[language] };
}

/**
 * The location's ordering settings, straight from the cached menu snapshot (kept fresh by catalog change
 * events). An unknown or inactive location ⇒ unknown_location (thrown by the catalog loader).
 */
export async function requireLocation(ctx: OrderContext, envelope: RequestEnvelope): Promise<MenuLocation> {
  return (await ctx.menus(envelope.locationId, speechLanguageOf(envelope.language))).location;
}

/** Why there is no draft to work on: the order was already placed, or none was started. */
export async function noDraftFailure(db: Db, scope: CallScope, say: OrderMessages): Promise<ToolFailure> {
  const placed = await findLatestPlacedOrder(db, scope);
  if (placed) {
    return new ToolFailure("order_not_editable", say.alreadyPlaced(placed.order_number), {
      orderId: placed.id,
      orderNumber: placed.order_number,
      state: placed.state,
    });
  }
  return new ToolFailure("no_open_order", say.noOpenOrder);
}

export interface DraftChange<R> {
  reply: R;
  /** The draft's recomputed totals, written together with the stored reply. */
  totals: OrderTotalsUpdate;
}

/**
 * Runs a change to this call's draft in one transaction with the draft row locked, so the changes of one cart
 * are serialized. With `envelope.requestId` the reply is stored in the same transaction and a retry of that
 * requestId returns it unchanged (at most once). A ToolFailure rolls everything back.
 */
export async function mutateDraft<R>(
  ctx: OrderContext,
  envelope: RequestEnvelope,
  tool: string,
  change: (tx: Db, draft: Order, lines: StoredLine[], location: MenuLocation, now: Date, speech: Speech) => Promise<DraftChange<R>>,
): Promise<R> {
  const scope = scopeOf(envelope);
  const now = ctx.clock();
  const location = await requireLocation(ctx, envelope);
  const speech = speechFor(envelope, location);
  return ctx.db.transaction().execute(async (tx) => {
    // Read under the lock: a retry racing its own original waits for it, then sees its reply.
    const { draft, replay, lines } = await lockDraft(tx, scope, envelope.requestId, { withLines: true });
    if (replay) {
      if (replay.tool !== tool) {
        throw new ToolFailure("invalid_arguments", speech.say.requestReused, {
          problem: `requestId ${envelope.requestId} was already used for ${replay.tool}`,
        });
      }
      return replay.reply as R;
    }
    if (!draft) throw await noDraftFailure(tx, scope, speech.say);
    const { reply, totals } = await change(tx, draft, lines, location, now, speech);
    const applied = envelope.requestId === undefined ? undefined : { callSid: envelope.callSid, requestId: envelope.requestId, tool, reply };
    await updateDraftTotals(tx, draft.id, totals, now, applied);
    return reply;
  });
}
