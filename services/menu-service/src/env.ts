import { durationMs, integer } from "@orderline/config";
import { toolServiceEnv } from "@orderline/runtime";
import { z } from "zod";

/** The menu service's environment, parsed once at start (see @orderline/config). */
export const MenuServiceEnv = z.object({
  // NATS, OPS_PORT (9464), LOG_LEVEL, OTLP, SHUTDOWN_GRACE_MS, DATABASE_URL (a dedicated extra connection
  // LISTENs for catalog changes), DATABASE_POOL_SIZE (snapshot loads and wait-time counts)
  ...toolServiceEnv({ maxPoolSize: 100 }),
  /** Safety-net lifetime of a cached menu snapshot; changes are normally seen at once via NOTIFY. */
  MENU_CACHE_TTL_MS: durationMs(300_000),
  /** Most tool requests handled at once by this replica. */
  TOOL_CONCURRENCY: integer({ min: 1, max: 10_000, default: 256 }),
});
export type MenuServiceEnv = z.output<typeof MenuServiceEnv>;
