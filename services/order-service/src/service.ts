import { createCatalogCache, loadLocationMenu } from "@orderline/catalog";
import {
  CONFIRMATION_SUBJECTS,
  CreateConfirmationOrderRequest,
  CreateConfirmationOrderResult,
  EVENT_SUBJECTS,
  eventLocation,
  ORDER_ADMIN_SUBJECTS,
  type RequestEnvelope,
  SetOrderStateRequest,
  SetOrderStateResult,
  serviceQueue,
} from "@orderline/contracts";
import type { Database } from "@orderline/db";
import { defineRequest, type NatsConnection, publishEvent, serveTools, toolHandlers } from "@orderline/nats";
import { catalogEvents } from "@orderline/runtime";
import { createLogger, type Logger, type Metrics } from "@orderline/telemetry";
import type { Kysely } from "kysely";
import { DEFAULT_CONFIG, type OrderContext, type OrderServiceConfig } from "./context.ts";
import { addItem } from "./handlers/add-item.ts";
import { cancelOrder } from "./handlers/cancel-order.ts";
import { confirmOrder } from "./handlers/confirm-order.ts";
import { createConfirmationOrder } from "./handlers/create-confirmation-order.ts";
import { getOrderSummary } from "./handlers/get-order-summary.ts";
import { removeItem } from "./handlers/remove-item.ts";
import { reviewOrder } from "./handlers/review-order.ts";
import { setOrderState } from "./handlers/set-order-state.ts";
import { startOrder } from "./handlers/start-order.ts";
import { submitOrder } from "./handlers/submit-order.ts";
import { updateItem } from "./handlers/update-item.ts";
import { pruneToolRequests } from "./repositories/orders.ts";

export const SERVICE_NAME = "order-service";

export interface StartOrderServiceOptions {
  db: Kysely<Database>;
  nc: NatsConnection;
  /** When given, the menu cache LISTENs for catalog changes on its own connection (else: NATS events + TTL). */
  databaseUrl?: string;
  /** Prefix of every subject served and published (isolates test stacks). Default "". */
  subjectPrefix?: string;
  logger?: Logger;
  metrics?: Metrics;
  /** Injected time source (tests pick a time outside opening hours). Default `() => new Date()`. */
  clock?: () => Date;
  config?: Partial<OrderServiceConfig>;
  /** Handlers running at once per replica (default 64). */
  concurrency?: number;
  /** How long stored replies of applied requests are kept for retries (default 2 days); pruned hourly. */
  replyRetentionMs?: number;
  /** Called after each tool request with its handler time in ms (bench: service-side latency). */
  onHandled?: (tool: string, ms: number) => void;
}

export interface OrderService {
  /** Stops serving (in-flight requests finish), then stops the catalog cache. Safe to call twice. */
  stop(): Promise<void>;
}

/** Serves the order tools (queue group "order-service") and staff-side state changes over NATS. */
export function startOrderService(opts: StartOrderServiceOptions): OrderService {
  const prefix = opts.subjectPrefix ?? "";
  const logger = opts.logger ?? createLogger({ service: SERVICE_NAME });
  const clock = opts.clock ?? (() => new Date());
  const config: OrderServiceConfig = {
    largeOrder: { ...DEFAULT_CONFIG.largeOrder, ...opts.config?.largeOrder },
    rewardPointsPerDollar: opts.config?.rewardPointsPerDollar ?? DEFAULT_CONFIG.rewardPointsPerDollar,
  };
  const catalog = createCatalogCache({
    db: opts.db,
    ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {}),
    load: (db, locationId) => loadLocationMenu(db, locationId, clock()),
    onError: (err) => logger.warn({ err }, "catalog cache listener problem"),
  });
  // The menu service (staff menu control), other replicas and admin tools announce catalog changes on NATS
  // too: drop the snapshot at once.
  const catalogChanges = catalogEvents(opts.nc, { prefix, invalidate: (id) => catalog.invalidate(id), logger });
  const stateChanges = opts.metrics?.counter({
    name: "orderline_order_state_changes_total",
    help: "Order state changes committed by the order service (to = new state; submitted = orders placed).",
    labelNames: ["to"] as const,
  });
  const ctx: OrderContext = {
    db: opts.db,
    clock,
    config,
    logger,
    menus: (locationId, language) => catalog.get(locationId, language),
    publishStatus(event) {
      stateChanges?.inc({ to: event.to });
      try {
        publishEvent(opts.nc, EVENT_SUBJECTS.orderStatus(event.locationId, event.to, prefix), event, { name: "order_status" });
      } catch (err) {
        // Postgres is the record; a lost event is logged, never turned into a failed order.
        logger.error({ err, orderId: event.orderId, to: event.to }, "could not publish order status event");
      }
    },
    publishConfirmation(event) {
      try {
        opts.nc.publish(CONFIRMATION_SUBJECTS.stateChanged(event.locationId, event.state, prefix), JSON.stringify(event));
      } catch (err) {
        logger.error({ err, orderId: event.orderId, state: event.state }, "could not publish confirmation state event");
      }
    },
    announceCatalogChange: catalogChanges.announce,
  };

  // Bench hook: service-side time of each tool request.
  const timed =
    <A, R>(name: string, run: (ctx: OrderContext, args: A, envelope: RequestEnvelope) => Promise<R>) =>
    async (args: A, envelope: RequestEnvelope): Promise<R> => {
      const started = performance.now();
      try {
        return await run(ctx, args, envelope);
      } finally {
        opts.onHandled?.(name, performance.now() - started);
      }
    };
  const handlers = toolHandlers(
    "order",
    {
      start_order: timed("start_order", startOrder),
      add_item: timed("add_item", addItem),
      update_item: timed("update_item", updateItem),
      remove_item: timed("remove_item", removeItem),
      get_order_summary: timed("get_order_summary", getOrderSummary),
      submit_order: timed("submit_order", submitOrder),
      review_order: timed("review_order", reviewOrder),
      confirm_order: timed("confirm_order", confirmOrder),
      cancel_order: timed("cancel_order", cancelOrder),
    },
    { subjectPrefix: prefix },
  );
  const server = serveTools(opts.nc, {
    service: SERVICE_NAME,
    queue: serviceQueue("order"),
    handlers,
    // Staff-side state changes (no envelope): the same reply and error path as the tools.
    requests: [
      defineRequest(ORDER_ADMIN_SUBJECTS.setState(prefix), "set_order_state", SetOrderStateRequest, (request) => setOrderState(ctx, request), {
        result: SetOrderStateResult,
      }),
      // Orders from outside (sheet rows, forms) that the customer confirms by phone (docs/CONFIRMATION.md).
      defineRequest(CONFIRMATION_SUBJECTS.createOrder(prefix), "create_confirmation_order", CreateConfirmationOrderRequest, (request) => createConfirmationOrder(ctx, request), {
        result: CreateConfirmationOrderResult,
      }),
    ],
    logger,
    ...(opts.metrics ? { metrics: opts.metrics } : {}),
    ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
  });

  const retention = opts.replyRetentionMs ?? 2 * 24 * 3_600_000;
  const prune = () =>
    pruneToolRequests(opts.db, new Date(Date.now() - retention)).then(
      (n) => n > 0 && logger.info({ deleted: n }, "pruned stored tool replies"),
      (err: unknown) => logger.warn({ err }, "could not prune stored tool replies"),
    );
  const pruneTimer = setInterval(prune, 3_600_000);
  pruneTimer.unref();

  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= (async () => {
        clearInterval(pruneTimer);
        catalogChanges.stop();
        await server.stop();
        await catalog.close();
      })();
      return stopping;
    },
  };
}
