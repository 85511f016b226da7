import { OPEN_KITCHEN_STATES, type OrderType } from "@orderline/contracts";
import type { Database } from "@orderline/db";
import type { Kysely } from "kysely";
import type { LocationMenu } from "./types.ts";

/** Orders the kitchen absorbs without slowing down. */
export const WAIT_FREE_ORDERS = 3;
/** Extra minutes per open order beyond WAIT_FREE_ORDERS. */
export const WAIT_MINUTES_PER_ORDER = 2;
/** The queue adds at most this many minutes (a backlog beyond it is a staffing problem, not a quote). */
export const WAIT_MAX_QUEUE_MINUTES = 45;

export interface WaitEstimate {
  minutes: number;
  /** Orders of this location currently in the kitchen (OPEN_KITCHEN_STATES). */
  openOrders: number;
}

/** Pure part of the estimate: prep (+ delivery) minutes plus the queue penalty, capped. */
export function waitMinutesFor(menu: LocationMenu, orderType: OrderType, openOrders: number): number {
  const base = menu.location.defaultPrepMinutes + (orderType === "delivery" ? menu.location.deliveryExtraMinutes : 0);
  const queue = Math.min(WAIT_MAX_QUEUE_MINUTES, Math.max(0, openOrders - WAIT_FREE_ORDERS) * WAIT_MINUTES_PER_ORDER);
  return base + queue;
}

/**
 * Current wait for a new pickup or delivery order at the menu's location: the location's prep minutes
 * (+ delivery minutes for delivery) plus WAIT_MINUTES_PER_ORDER per open kitchen order beyond
 * WAIT_FREE_ORDERS, the queue part capped at WAIT_MAX_QUEUE_MINUTES. Open orders are read live
 * (not from the cached snapshot). `now` is accepted for symmetry with the other helpers.
 */
export async function estimateWaitMinutes(db: Kysely<Database>, menu: LocationMenu, orderType: OrderType, _now: Date = new Date()): Promise<WaitEstimate> {
  const openOrders = await countOpenKitchenOrders(db, menu.location.id);
  return { minutes: waitMinutesFor(menu, orderType, openOrders), openOrders };
}

/** Orders of the location currently in OPEN_KITCHEN_STATES (read live). */
export async function countOpenKitchenOrders(db: Kysely<Database>, locationId: string): Promise<number> {
  const row = await db
    .selectFrom("orders")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("location_id", "=", locationId)
    .where("state", "in", [...OPEN_KITCHEN_STATES])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
