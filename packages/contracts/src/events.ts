import { z } from "zod";
import { OrderState } from "./enums.ts";

/** NATS subjects for events (fire-and-forget; Postgres stays the record). */
export const EVENT_SUBJECTS = {
  /** Order state changes: `{prefix}orderline.events.orders.{locationId}.{state}`. */
  orderStatus: (locationId: string, state: string, prefix = "") => `${prefix}orderline.events.orders.${locationId}.${state}`,
  orderStatusAll: (prefix = "") => `${prefix}orderline.events.orders.>`,
  /** Menu data changed at a location ("*" for chain-wide): caches invalidate. */
  catalogChanged: (locationId: string, prefix = "") => `${prefix}orderline.events.catalog.${locationId}`,
  catalogChangedAll: (prefix = "") => `${prefix}orderline.events.catalog.>`,
} as const;

export const OrderStatusEvent = z.object({
  orderId: z.uuid(),
  locationId: z.uuid(),
  orderNumber: z.number().int().nullable(),
  from: OrderState.nullable(),
  to: OrderState,
  at: z.iso.datetime(),
  actor: z.string(),
});
export type OrderStatusEvent = z.infer<typeof OrderStatusEvent>;
