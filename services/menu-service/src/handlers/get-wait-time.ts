import { localTime, openStatus, waitMinutesFor } from "@orderline/catalog";
import type { RequestEnvelope, ToolArgs, ToolResult } from "@orderline/contracts";
import { type MenuDeps, menuAndSpeech } from "./deps.ts";

/** get_wait_time(order_type): prep (+ delivery) time plus the kitchen queue (same formula as the order service's). */
export async function getWaitTime(deps: MenuDeps, args: ToolArgs<"get_wait_time">, envelope: RequestEnvelope): Promise<ToolResult<"get_wait_time">> {
  const { menu, say } = await menuAndSpeech(deps, envelope);
  const now = deps.clock();
  const openOrders = await deps.kitchen.openOrders(menu.location.id);
  const minutes = waitMinutesFor(menu, args.order_type, openOrders);
  let speech = say.wait(args.order_type, minutes);
  if (args.order_type === "delivery" && menu.location.deliveryPostalCodes.length === 0) speech = say.noDelivery;
  const status = openStatus(menu, now);
  if (!status.openNow) speech += say.closedThough(status.nextOpening, localTime(menu, now));
  return { orderType: args.order_type, minutes, openOrders, speech };
}
