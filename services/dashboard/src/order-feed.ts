import { EVENT_SUBJECTS, OrderStatusEvent } from "@orderline/contracts";
import type { Database } from "@orderline/db";
import type { NatsConnection } from "@orderline/nats";
import type { Logger } from "@orderline/telemetry";
import type { Kysely } from "kysely";
import { type BoardRow, boardOrder } from "./repositories/orders.ts";

export interface OrderFeedUpdate {
  event: OrderStatusEvent;
  /** The order as stored after the change (null if it is gone). */
  order: BoardRow | null;
}

/**
 * The order service's status events (core NATS, every replica hears all of them: no queue group), each with the
 * order read back once, fanned out to the listeners (the SSE streams), which filter by what their viewer may see.
 */
export function startOrderFeed(deps: { nc: NatsConnection; prefix: string; db: Kysely<Database>; logger: Logger; onListeners?: (n: number) => void }) {
  const listeners = new Set<(u: OrderFeedUpdate) => void>();
  const sub = deps.nc.subscribe(EVENT_SUBJECTS.orderStatusAll(deps.prefix), {
    callback: (err, msg) => {
      if (err) return void deps.logger.error({ err }, "order event subscription failed");
      const parsed = OrderStatusEvent.safeParse((() => {
        try {
          return msg.json();
        } catch {
          return null;
        }
      })());
      if (!parsed.success) return void deps.logger.warn({ subject: msg.subject }, "ignored an order event that does not match its contract");
      if (listeners.size === 0) return;
      void boardOrder(deps.db, parsed.data.orderId)
        .then((order) => {
          for (const l of listeners) l({ event: parsed.data, order });
        })
        .catch((e: unknown) => deps.logger.warn({ reason: e instanceof Error ? e.message : String(e) }, "could not read an order for the live board"));
    },
  });
  return {
    listen(fn: (u: OrderFeedUpdate) => void): () => void {
      listeners.add(fn);
      deps.onListeners?.(listeners.size);
      return () => {
        listeners.delete(fn);
        deps.onListeners?.(listeners.size);
      };
    },
    close() {
      sub.unsubscribe();
      listeners.clear();
    },
  };
}
export type OrderFeed = ReturnType<typeof startOrderFeed>;
