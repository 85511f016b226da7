import { EVENT_SUBJECTS, eventLocation } from "@orderline/contracts";
import type { NatsConnection } from "@orderline/nats";
import type { Logger } from "@orderline/telemetry";

export interface CatalogEvents {
  /**
   * After this replica committed a change of a location's menu (staff 86'd an item, an order counted an
   * ingredient down to zero): drops the local snapshot at once and publishes `EVENT_SUBJECTS.catalogChanged`
   * for every other replica. Never throws: a lost event is logged (the catalog triggers' NOTIFY still says it).
   */
  announce(locationId: string): void;
  /** Stops listening for the events. */
  stop(): void;
}

/**
 * The NATS side of menu-snapshot freshness, shared by every service that caches menus: every
 * `catalogChanged` event (of any replica, any service) drops that location's snapshot, or all with "*".
 */
export function catalogEvents(nc: NatsConnection, opts: { prefix: string; invalidate: (locationId: string) => void; logger: Logger }): CatalogEvents {
  const subscription = nc.subscribe(EVENT_SUBJECTS.catalogChangedAll(opts.prefix), {
    callback: (err, msg) => {
      if (err) {
        opts.logger.warn({ err }, "catalog event subscription error");
        return;
      }
      opts.invalidate(eventLocation(msg.subject));
    },
  });
  return {
    announce(locationId) {
      opts.invalidate(locationId);
      try {
        nc.publish(EVENT_SUBJECTS.catalogChanged(locationId, opts.prefix), "{}");
      } catch (err) {
        opts.logger.error({ err, locationId }, "could not publish the catalog change event (NOTIFY still invalidates)");
      }
    },
    stop() {
      if (!subscription.isClosed()) subscription.unsubscribe();
    },
  };
}
