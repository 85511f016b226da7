import { loadConfigOrExit } from "@orderline/config";
import { createDb } from "@orderline/db";
import { connectNats, drainNats } from "@orderline/nats";
import { createLogger, createMetrics, initTracing, installSignalHandlers, startOpsServer } from "@orderline/telemetry";
import { OrderServiceEnv } from "./env.ts";
import { SERVICE_NAME, startOrderService } from "./service.ts";

// config → telemetry → db → NATS → serve → ops server → signals
const env = loadConfigOrExit(OrderServiceEnv);
const tracing = initTracing({ service: SERVICE_NAME, ...(env.OTEL_EXPORTER_OTLP_ENDPOINT ? { otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT } : {}) });
const logger = createLogger({ service: SERVICE_NAME, level: env.LOG_LEVEL, redact: ["*.customer_phone", "*.callerPhone", "*.phone"] });
const metrics = createMetrics({ service: SERVICE_NAME });
const dbHandle = createDb(env.DATABASE_URL, { max: env.DATABASE_POOL_SIZE, applicationName: SERVICE_NAME });
const nc = await connectNats({ url: env.NATS_URL, name: SERVICE_NAME, logger });

const service = startOrderService({
  db: dbHandle.db,
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
});

const ops = await startOpsServer({
  port: env.OPS_PORT,
  metrics,
  ready: async () => {
    if (nc.isClosed() || nc.isDraining()) return false;
    await dbHandle.pool.query("SELECT 1");
    return true;
  },
});
logger.info({ opsPort: ops.port, subjectPrefix: env.NATS_SUBJECT_PREFIX }, "order-service started");

installSignalHandlers({
  logger,
  timeoutMs: env.SHUTDOWN_GRACE_MS,
  steps: [
    { name: "stop serving", run: () => service.stop() },
    { name: "drain nats", run: () => drainNats(nc) },
    { name: "close postgres", run: () => dbHandle.close() },
    { name: "close ops server", run: () => ops.close() },
    { name: "flush traces", run: () => tracing.shutdown() },
  ],
});
