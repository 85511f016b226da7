import { SetCallbackStateArgs, type SetCallbackStateResult, ToolFailure } from "@orderline/contracts";
import type { EscalationContext } from "../context.ts";
import { setCallbackState } from "../repositories/callbacks.ts";

/** Staff mark a callback request done (or open again); only their own location's. */
export async function setCallbackStateHandler(ctx: EscalationContext, raw: unknown): Promise<SetCallbackStateResult> {
  const parsed = SetCallbackStateArgs.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "request"}: ${i.message}`).join("; ");
    throw new ToolFailure("invalid_arguments", `Invalid request: ${problems}`);
  }
  const a = parsed.data;
  const done = await setCallbackState(ctx.db, { id: a.callbackRequestId, locationId: a.locationId, to: a.to, actor: a.actor, note: a.note, now: ctx.clock() });
  if (!done) throw new ToolFailure("forbidden", `Callback request ${a.callbackRequestId} is not one of this location's.`);
  return { callbackRequestId: a.callbackRequestId, from: done.from, to: a.to, changed: done.changed };
}
