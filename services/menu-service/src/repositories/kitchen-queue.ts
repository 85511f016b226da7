import { countOpenKitchenOrders } from "@orderline/catalog";
import type { Database } from "@orderline/db";
import type { Kysely } from "kysely";

export interface KitchenQueue {
  /** Orders in the location's kitchen: remembered up to `ttlMs`, one query at a time per location. */
  openOrders(locationId: string): Promise<number>;
  /** Forget a location's count (an order there changed state), or every one with "*". */
  invalidate(locationId: string): void;
}

/**
 * Open-order counts for wait estimates. At hundreds of requests per second a count per request would make
 * get_wait_time the only tool waiting on Postgres; the order service announces every state change over
 * NATS (EVENT_SUBJECTS.orderStatus), which drops the location's count, and `ttlMs` bounds staleness if an
 * event is missed.
 */
export function createKitchenQueue(db: Kysely<Database>, ttlMs = 2_000): KitchenQueue {
  const counts = new Map<string, { value: Promise<number>; at: number }>();
  return {
    async openOrders(locationId) {
      const hit = counts.get(locationId);
      if (hit && Date.now() - hit.at < ttlMs) return hit.value;
      const entry = { value: countOpenKitchenOrders(db, locationId), at: Date.now() };
      counts.set(locationId, entry);
      try {
        return await entry.value;
      } catch (err) {
        if (counts.get(locationId) === entry) counts.delete(locationId);
        throw err;
      }
    },
    invalidate(locationId) {
      if (locationId === "*") counts.clear();
      else counts.delete(locationId);
    },
  };
}
