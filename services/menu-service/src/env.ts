import { commonEnv, databaseUrl, durationMs, integer } from "@orderline/config";
import { z } from "zod";

/** The menu service's environment, parsed once at start (see @orderline/config). */
export const MenuServiceEnv = z.object({
  // NATS_URL, NATS_SUBJECT_PREFIX, LOG_LEVEL, OTEL_EXPORTER_OTLP_ENDPOINT (optional), OPS_PORT (9464), SHUTDOWN_GRACE_MS
  ...commonEnv({ opsPort: 9464 }),
  /** Postgres with the catalog; a dedicated extra connection LISTENs for catalog changes. */
  DATABASE_URL: databaseUrl(),
  /** Pooled connections for snapshot loads and wait-time counts. */
  DATABASE_POOL_SIZE: integer({ min: 1, max: 100, default: 10 }),
  /** Safety-net lifetime of a cached menu snapshot; changes are normally seen at once via NOTIFY. */
  MENU_CACHE_TTL_MS: durationMs(300_000),
  /** Most tool requests handled at once by this replica. */
  TOOL_CONCURRENCY: integer({ min: 1, max: 10_000, default: 256 }),
});
export type MenuServiceEnv = z.output<typeof MenuServiceEnv>;
