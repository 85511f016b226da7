import { runToolService } from "@orderline/runtime";
import { OrderServiceEnv } from "./env.ts";
import { SERVICE_NAME, startOrderService } from "./service.ts";

await runToolService({
  name: SERVICE_NAME,
  envSchema: OrderServiceEnv,
  redact: ["*.customer_phone", "*.callerPhone", "*.phone"],
  start: ({ env, db, nc, logger, metrics }) =>
    startOrderService({
      db,
      nc,
      subjectPrefix: env.NATS_SUBJECT_PREFIX,
      logger,
      metrics,
      // The menu cache LISTENs for catalog changes on its own connection.
      databaseUrl: env.DATABASE_URL,
      concurrency: env.TOOL_CONCURRENCY,
      config: {
        largeOrder: { totalCents: env.LARGE_ORDER_TOTAL_CENTS, itemCount: env.LARGE_ORDER_ITEM_COUNT },
        rewardPointsPerDollar: env.REWARD_POINTS_PER_DOLLAR,
      },
    }),
});
