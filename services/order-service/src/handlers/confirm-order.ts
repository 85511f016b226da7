import type { RequestEnvelope, ToolArgs, ToolResult } from "@orderline/contracts";
import type { OrderContext } from "../context.ts";
import { finishConfirmation } from "./finish-confirmation.ts";

/** The customer confirmed on the call: CONFIRMED, or UPDATED when the order changed on the call (see finishConfirmation). */
export async function confirmOrder(ctx: OrderContext, args: ToolArgs<"confirm_order">, envelope: RequestEnvelope): Promise<ToolResult<"confirm_order">> {
  return finishConfirmation(ctx, envelope, { kind: "confirm", notes: args.notes });
}
