import { EVENT_SUBJECTS, OrderStatusEvent } from "@orderline/contracts";
import type { Database } from "@orderline/db";
import { consumeEvent, type NatsConnection } from "@orderline/nats";
import type { Logger } from "@orderline/telemetry";
import type { Queue } from "bullmq";
import type { Kysely } from "kysely";
import { readyOrdersWithoutCall } from "./repositories/orders.ts";
import { every } from "./periodic.ts";
import { enqueueReadyCall, enqueueReceipt } from "./queues.ts";

/**
 * The order service's status events (core NATS, queue group "worker": one replica handles each): `ready` →
 * the order-ready call job, `submitted` of a voice order → the receipt SMS job. Job ids make repeats harmless.
 */
export function subscribeOrderEvents(deps: { nc: NatsConnection; prefix: string; db: Kysely<Database>; readyQueue: Queue; receiptQueue: Queue; logger: Logger }) {
  const { logger } = deps;
  const subs = (["ready", "submitted"] as const).map((state) =>
    deps.nc.subscribe(EVENT_SUBJECTS.orderStatus("*", state, deps.prefix), {
      queue: "worker",
      callback: (err, msg) => {
        if (err) return void logger.error({ err }, "order event subscription failed");
        let event: OrderStatusEvent;
        try {
          event = OrderStatusEvent.parse(msg.json());
        } catch (e) {
          return void logger.warn({ subject: msg.subject, problem: e instanceof Error ? e.message : String(e) }, "ignored an order event that does not match its contract");
        }
        // In the trace of the request that changed the order (a call's submit_order): its job continues it.
        void consumeEvent(msg, { name: "order_status", group: "worker" }, () => handle(event)).catch((e: unknown) =>
          logger.error({ err: e, orderId: event.orderId }, "could not enqueue the job for an order event"),
        );
      },
    }),
  );
  async function handle(event: OrderStatusEvent): Promise<void> {
    if (event.to === "ready") {
      await enqueueReadyCall(deps.readyQueue, { orderId: event.orderId, locationId: event.locationId });
      return;
    }
    const order = await deps.db.selectFrom("orders").select("channel").where("id", "=", event.orderId).executeTakeFirst();
    if (order?.channel !== "voice") return;
    await enqueueReceipt(deps.receiptQueue, { orderId: event.orderId, locationId: event.locationId });
  }
  return {
    async close() {
      for (const s of subs) s.unsubscribe();
    },
  };
}

/** Orders that became ready this long ago at most are still worth a call when their event was missed. */
const SWEEP_WINDOW_MINUTES = 120;

/**
 * Core NATS events are fire-and-forget: an order that turned ready while no worker listened would never be
 * called. Every `intervalMs` the ready orders of the last two hours without a ready-call outcome are enqueued
 * (job ids and the recorded outcome keep that to one call per order, whichever replica finds them).
 */
export function startReadySweep(deps: { db: Kysely<Database>; readyQueue: Queue; intervalMs: number; logger: Logger }): { stop(): void } {
  return every(
    deps.intervalMs,
    "ready-order sweep",
    async () => {
      const orders = await readyOrdersWithoutCall(deps.db, SWEEP_WINDOW_MINUTES);
      for (const o of orders) await enqueueReadyCall(deps.readyQueue, { orderId: o.id, locationId: o.location_id });
    },
    deps.logger,
  );
}
