import { type CatalogCache, createCatalogCache } from "@orderline/catalog";
import {
  AGENT_MENU_SUBJECT,
  AgentMenu,
  AgentMenuRequest,
  EVENT_SUBJECTS,
  eventLocation,
  MENU_CONTROL_SUBJECTS,
  MenuStockRequest,
  MenuStockResult,
  SetIngredientCountRequest,
  SetIngredientInStockRequest,
  SetIngredientStockResult,
  SetItemSoldOutRequest,
  SetItemSoldOutResult,
  serviceQueue,
} from "@orderline/contracts";
import type { Database } from "@orderline/db";
import { defineRequest, type NatsConnection, serveTools, toolHandlers } from "@orderline/nats";
import { catalogEvents } from "@orderline/runtime";
import { createLogger, type Logger, type Metrics } from "@orderline/telemetry";
import type { Kysely } from "kysely";
import { agentMenu } from "./handlers/agent-menu.ts";
import { checkAvailability } from "./handlers/check-availability.ts";
import type { MenuDeps } from "./handlers/deps.ts";
import { createKitchenQueue } from "./repositories/kitchen-queue.ts";
import { getHours } from "./handlers/get-hours.ts";
import { getItemDetails } from "./handlers/get-item-details.ts";
import { getLocation } from "./handlers/get-location.ts";
import { getMenu } from "./handlers/get-menu.ts";
import { getSpecials } from "./handlers/get-specials.ts";
import { getWaitTime } from "./handlers/get-wait-time.ts";
import { type MenuControlDeps, menuStock, setIngredientCount, setIngredientInStock, setItemSoldOut } from "./handlers/menu-control.ts";

export const SERVICE_NAME = "menu-service";

export interface StartMenuServiceOptions {
  db: Kysely<Database>;
  nc: NatsConnection;
  /** Prefix of every subject ("" in production; a random one per test stack). */
  subjectPrefix?: string;
  logger?: Logger;
  metrics?: Metrics;
  /** The current instant (default: the real clock). */
  clock?: () => Date;
  /** When given, catalog changes are seen at once through Postgres LISTEN on a dedicated connection. */
  databaseUrl?: string;
  /** Safety-net lifetime of a cached snapshot (default 5 min). */
  cacheTtlMs?: number;
  /** Safety-net lifetime of a location's open-order count; order status events drop it at once (default 2 s). */
  openOrdersTtlMs?: number;
  /** Most requests handled at once (default 256). */
  concurrency?: number;
}

export interface MenuService {
  /** Stops taking requests, finishes those in flight, stops listening for catalog changes. */
  stop(): Promise<void>;
  cache: CatalogCache;
  /** Requests answered so far by this replica, per subject. */
  served: Map<string, number>;
  /** Resolves once the LISTEN connection is up (immediately without databaseUrl). */
  ready(): Promise<void>;
}

/** Wires the menu tools, staff menu control and the local agent's menu read on NATS (queue group `menu-service`) over a NOTIFY-fed catalog cache. */
export function startMenuService(opts: StartMenuServiceOptions): MenuService {
  const prefix = opts.subjectPrefix ?? "";
  const logger = opts.logger ?? createLogger({ service: SERVICE_NAME });
  const invalidations = opts.metrics?.counter({
    name: "orderline_menu_cache_invalidations_total",
    help: "Menu snapshots dropped because the catalog changed, by source (notify, event).",
    labelNames: ["source"] as const,
  });
  const lookups = opts.metrics?.counter({
    name: "orderline_menu_cache_lookups_total",
    help: "Menu snapshot lookups, by result (hit = from memory, miss = loaded from Postgres).",
    labelNames: ["result"] as const,
  });
  const cache = createCatalogCache({
    db: opts.db,
    ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {}),
    ...(opts.cacheTtlMs !== undefined ? { ttlMs: opts.cacheTtlMs } : {}),
    onError: (err) => logger.warn({ err }, "catalog change listener problem; menu snapshots expire after 1 s until it is back"),
    onLookup: (hit) => lookups?.inc({ result: hit ? "hit" : "miss" }),
    onInvalidate: (locationId, source) => {
      invalidations?.inc({ source: source === "notify" ? "notify" : "event" });
      logger.debug({ locationId, source }, "menu snapshot invalidated");
    },
  });
  const kitchen = createKitchenQueue(opts.db, opts.openOrdersTtlMs);
  const deps: MenuDeps = { db: opts.db, cache, kitchen, clock: opts.clock ?? (() => new Date()) };

  const handlers = toolHandlers(
    "menu",
    {
      get_menu: (args, envelope) => getMenu(deps, args, envelope),
      get_item_details: (args, envelope) => getItemDetails(deps, args, envelope),
      get_specials: (args, envelope) => getSpecials(deps, args, envelope),
      check_availability: (args, envelope) => checkAvailability(deps, args, envelope),
      get_hours: (args, envelope) => getHours(deps, args, envelope),
      get_location: (args, envelope) => getLocation(deps, args, envelope),
      get_wait_time: (args, envelope) => getWaitTime(deps, args, envelope),
    },
    { subjectPrefix: prefix },
  );

  // Catalog changes announced over NATS (staff menu control, the order service, admin tools): drop that
  // location's snapshot, or all.
  const events = catalogEvents(opts.nc, { prefix, invalidate: (id) => cache.invalidate(id), logger });

  // Order state changes (published by the order service): the kitchen queue of that location changed.
  const orderEvents = opts.nc.subscribe(EVENT_SUBJECTS.orderStatusAll(prefix), {
    callback: (err, msg) => {
      if (err) {
        logger.warn({ err }, "order event subscription error");
        return;
      }
      kitchen.invalidate(eventLocation(msg.subject));
    },
  });

  // Staff menu control: after a committed change this replica drops the snapshot at once and every replica
  // (menu and order services) hears the NATS event; the catalog triggers' NOTIFY says the same.
  const control: MenuControlDeps = { ...deps, announce: events.announce };
  const requests = [
    defineRequest(MENU_CONTROL_SUBJECTS.setItemSoldOut(prefix), "set_item_sold_out", SetItemSoldOutRequest, (r) => setItemSoldOut(control, r), {
      result: SetItemSoldOutResult,
    }),
    defineRequest(MENU_CONTROL_SUBJECTS.setIngredientInStock(prefix), "set_ingredient_in_stock", SetIngredientInStockRequest, (r) => setIngredientInStock(control, r), {
      result: SetIngredientStockResult,
    }),
    defineRequest(MENU_CONTROL_SUBJECTS.setIngredientCount(prefix), "set_ingredient_count", SetIngredientCountRequest, (r) => setIngredientCount(control, r), {
      result: SetIngredientStockResult,
    }),
    defineRequest(MENU_CONTROL_SUBJECTS.stock(prefix), "menu_stock", MenuStockRequest, (r) => menuStock(deps, r), { result: MenuStockResult }),
    // The local agent's whole-menu read (not a tool call of the conversation), from the cached snapshot.
    defineRequest(AGENT_MENU_SUBJECT(prefix), "agent_menu", AgentMenuRequest, (r) => agentMenu(deps, r), { result: AgentMenu }),
  ];

  const server = serveTools(opts.nc, {
    service: SERVICE_NAME,
    queue: serviceQueue("menu"),
    handlers,
    requests,
    logger,
    ...(opts.metrics ? { metrics: opts.metrics } : {}),
    concurrency: opts.concurrency ?? 256,
  });

  let stopping: Promise<void> | undefined;
  return {
    cache,
    served: server.served,
    ready: () => cache.ready(),
    stop() {
      stopping ??= (async () => {
        await server.stop();
        events.stop();
        if (!orderEvents.isClosed()) orderEvents.unsubscribe();
        await cache.close();
      })();
      return stopping;
    },
  };
}
