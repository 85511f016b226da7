import { localTime, openStatus, waitMinutesFor } from "@orderline/catalog";
import type { RequestEnvelope, ToolArgs, ToolResult } from "@orderline/contracts";
import { whenSpoken } from "../domain/speech.ts";
import { type MenuDeps, menuOf } from "./deps.ts";

/** get_wait_time(order_type): prep (+ delivery) time plus the kitchen queue (same formula as the order service's). */
export async function getWaitTime(deps: MenuDeps, args: ToolArgs<"get_wait_time">, envelope: RequestEnvelope): Promise<ToolResult<"get_wait_time">> {
  const menu = await menuOf(deps, envelope);
  const now = deps.clock();
  const openOrders = await deps.kitchen.openOrders(menu.location.id);
  const minutes = waitMinutesFor(menu, args.order_type, openOrders);
  let speech = `A ${args.order_type} order takes about ${minutes} minutes right now.`;
  if (args.order_type === "delivery" && menu.location.deliveryPostalCodes.length === 0) {
    speech = "Sorry, this restaurant doesn't deliver; pickup is available.";
  }
  const status = openStatus(menu, now);
  if (!status.openNow) {
    speech += status.nextOpening
      ? ` We're closed right now, though; we open ${whenSpoken(status.nextOpening, localTime(menu, now))}.`
      : " We're closed right now, though.";
  }
  return { orderType: args.order_type, minutes, openOrders, speech };
}
