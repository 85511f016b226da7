import { type SetCallbackStateArgs, type SetCallbackStateResult, ToolFailure } from "@orderline/contracts";
import type { EscalationContext } from "../context.ts";
import { setCallbackState } from "../repositories/callbacks.ts";

/** Staff mark a callback request done (or open again); only their own location's. */
export async function setCallbackStateHandler(ctx: EscalationContext, a: SetCallbackStateArgs): Promise<SetCallbackStateResult> {
  const done = await setCallbackState(ctx.db, { id: a.callbackRequestId, locationId: a.locationId, to: a.to, actor: a.actor, note: a.note, now: ctx.clock() });
  if (!done) throw new ToolFailure("forbidden", `Callback request ${a.callbackRequestId} is not one of this location's.`);
  return { callbackRequestId: a.callbackRequestId, from: done.from, to: a.to, changed: done.changed };
}
