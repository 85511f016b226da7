import type { RequestEnvelope, ToolArgs, ToolResult } from "@orderline/contracts";
import type { OrderContext } from "../context.ts";
import { finishConfirmation } from "./finish-confirmation.ts";

/** The customer does not want the order: cancelled, CANCELLED with the final JSON (action "cancel"). */
export async function cancelOrder(ctx: OrderContext, args: ToolArgs<"cancel_order">, envelope: RequestEnvelope): Promise<ToolResult<"cancel_order">> {
  const { confirmationState, finalOrder, speech } = await finishConfirmation(ctx, envelope, { kind: "cancel", notes: args.reason });
  return { confirmationState, finalOrder, speech };
}
