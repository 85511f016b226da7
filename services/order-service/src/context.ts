import type { LocationMenu, SpeechLanguage } from "@orderline/catalog";
import type { ConfirmationStateEvent, OrderStatusEvent } from "@orderline/contracts";
import type { Database } from "@orderline/db";
import type { Logger } from "@orderline/telemetry";
import type { Kysely } from "kysely";
import type { LargeOrderThresholds } from "./domain/flags.ts";

export interface OrderServiceConfig {
  largeOrder: LargeOrderThresholds;
  rewardPointsPerDollar: number;
}

export const DEFAULT_CONFIG: OrderServiceConfig = {
  largeOrder: { totalCents: 25_000, itemCount: 20 },
  rewardPointsPerDollar: 1,
};

/** Everything a handler needs; built once by startOrderService. */
export interface OrderContext {
  db: Kysely<Database>;
  clock: () => Date;
  config: OrderServiceConfig;
  logger: Logger;
  /**
   * The location's menu snapshot (cached; invalidated by catalog change events; loaded at `clock()`).
   * `language`: what an unknown_location failure is said in.
   */
  menus(locationId: string, language?: SpeechLanguage): Promise<LocationMenu>;
  /** Publishes an order status event on NATS (after the transaction that recorded it committed). */
  publishStatus(event: OrderStatusEvent): void;
  /** Publishes a confirmation state change on NATS (after the transaction that recorded it committed). */
  publishConfirmation(event: ConfirmationStateEvent): void;
  /**
   * After a committed change of the location's menu (an order counted an ingredient down to zero): drops this
   * replica's snapshot and publishes the NATS catalogChanged event for every other replica.
   */
  announceCatalogChange(locationId: string): void;
}
