import { type Env, integer, parseEnv } from "@orderline/config";
import { toolServiceEnv } from "@orderline/runtime";
import { z } from "zod";

/** The order service's environment, parsed once at start (see @orderline/config). */
export const OrderServiceEnv = z.object({
  // NATS, OPS_PORT (9464), LOG_LEVEL, OTLP, SHUTDOWN_GRACE_MS, DATABASE_URL (system of record; a dedicated
  // extra connection LISTENs for menu changes), DATABASE_POOL_SIZE (per replica)
  ...toolServiceEnv(),
  /**
   * Most tool requests handled at once by this replica. Kept below DATABASE_POOL_SIZE so a handler never
   * waits for a connection inside its transaction (bench/order-load.ts: p99 add_item 12 ms at 8 vs 20 ms at 16).
   */
  TOOL_CONCURRENCY: integer({ min: 1, max: 10_000, default: 8 }),
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
