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

const LocationToken = z.union([z.uuid(), z.literal("*")]);

/**
 * The location a `catalogChanged` or `orderStatus` subject names, read back the way `EVENT_SUBJECTS` spells
 * it (any prefix). "*" when it names none a cache could hold: the safe answer is to drop everything.
 */
export function eventLocation(subject: string): string {
  const t = subject.split(".");
  const token = t.at(-2) === "catalog" ? t.at(-1) : t.at(-3) === "orders" ? t.at(-2) : undefined;
  const parsed = LocationToken.safeParse(token);
  return parsed.success ? parsed.data : "*";
}

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

/**
 * Staff-side order operations (not model tools): kitchen screens, the dashboard and the outbound-call
 * worker move orders through their states over NATS request/reply, answered by the order service.
 */
export const ORDER_ADMIN_SUBJECTS = {
  setState: (prefix = "") => `${prefix}orderline.orders.set_state`,
} as const;

export const SetOrderStateRequest = z.strictObject({
  orderId: z.uuid(),
  /** The caller's location: an order of another location is refused. */
  locationId: z.uuid(),
  to: OrderState,
  actor: z.string().min(1).max(100).describe('Who made the change, e.g. "staff:kitchen-1" or "dashboard:alice".'),
  note: z.string().max(500).optional(),
});
export type SetOrderStateRequest = z.infer<typeof SetOrderStateRequest>;

export const SetOrderStateResult = z.object({ orderId: z.uuid(), from: OrderState, to: OrderState, changed: z.boolean() });
export type SetOrderStateResult = z.infer<typeof SetOrderStateResult>;
