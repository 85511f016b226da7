import { commonEnv, databaseUrl, type Env, integer, parseEnv } from "@orderline/config";
import { z } from "zod";

/** The order service's environment, parsed once at start (see @orderline/config). */
export const OrderServiceEnv = z.object({
  // NATS_URL, NATS_SUBJECT_PREFIX, LOG_LEVEL, OTEL_EXPORTER_OTLP_ENDPOINT (optional), OPS_PORT (9464), SHUTDOWN_GRACE_MS
  ...commonEnv({ opsPort: 9464 }),
  /** System of record for carts, orders and customers; a dedicated extra connection LISTENs for menu changes. */
  DATABASE_URL: databaseUrl(),
  /** Pooled connections per replica. */
  DATABASE_POOL_SIZE: integer({ min: 1, max: 200, default: 10 }),
  /** Most tool requests handled at once by this replica (default 2 per pooled connection). */
  TOOL_CONCURRENCY: integer({ min: 1, max: 10_000, default: 20 }),
  /** Orders above this total (cents) are flagged large so the gateway can offer staff. */
  LARGE_ORDER_TOTAL_CENTS: integer({ min: 1, max: 100_000_000, default: 25_000 }),
  /** Orders with more items than this are flagged large (catering). */
  LARGE_ORDER_ITEM_COUNT: integer({ min: 1, max: 10_000, default: 20 }),
  /** Reward points per whole dollar of subtotal. */
  REWARD_POINTS_PER_DOLLAR: integer({ min: 0, max: 100, default: 1 }),
});
export type OrderServiceEnv = z.output<typeof OrderServiceEnv>;

export function parseOrderServiceEnv(env: Env = process.env): OrderServiceEnv {
  return parseEnv(OrderServiceEnv, env);
}
