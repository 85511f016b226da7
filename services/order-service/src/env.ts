import { databaseUrl, type Env, integer, logLevel, natsSubjectPrefix, natsUrl, parseEnv, port } from "@orderline/config";
import { z } from "zod";

export const OrderServiceEnv = z.object({
  /** System of record for carts, orders and customers. */
  DATABASE_URL: databaseUrl(),
  /** Tool requests arrive over NATS request/reply (queue group "order-service"). */
  NATS_URL: natsUrl(),
  /** Isolates a stack (tests, previews) sharing one NATS server. */
  NATS_SUBJECT_PREFIX: natsSubjectPrefix(),
  /** /healthz, /readyz and /metrics. */
  OPS_PORT: port(9464),
  LOG_LEVEL: logLevel(),
  /** Orders above this total (cents) are flagged large so the gateway can offer staff. */
  LARGE_ORDER_TOTAL_CENTS: integer({ min: 1, max: 100_000_000, default: 25_000 }),
  /** Orders with more items than this are flagged large (catering). */
  LARGE_ORDER_ITEM_COUNT: integer({ min: 1, max: 10_000, default: 20 }),
  /** Reward points per whole dollar of subtotal. */
  REWARD_POINTS_PER_DOLLAR: integer({ min: 0, max: 100, default: 1 }),
  /** Postgres pool size per replica. */
  DATABASE_POOL_SIZE: integer({ min: 1, max: 200, default: 10 }),
});
export type OrderServiceEnv = z.output<typeof OrderServiceEnv>;

export function parseOrderServiceEnv(env: Env = process.env): OrderServiceEnv {
  return parseEnv(OrderServiceEnv, env);
}
