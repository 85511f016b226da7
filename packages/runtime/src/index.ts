import { commonEnv, databaseUrl, integer, loadConfigOrExit } from "@orderline/config";
import { createDb, type DbHandle } from "@orderline/db";
import { connectNats, drainNats, type NatsConnection } from "@orderline/nats";
import { createLogger, createMetrics, initTracing, installSignalHandlers, type Logger, type Metrics, startOpsServer } from "@orderline/telemetry";
import { z } from "zod";

/** Environment every Postgres-backed NATS tool service shares; services spread it into their own schema. */
export function toolServiceEnv(opts: { opsPort?: number; poolSize?: number; maxPoolSize?: number } = {}) {
  return {
    // NATS_URL, NATS_SUBJECT_PREFIX, LOG_LEVEL, OTEL_EXPORTER_OTLP_ENDPOINT (optional), OPS_PORT, SHUTDOWN_GRACE_MS
    ...commonEnv({ opsPort: opsPort(opts) }),
    /** Postgres, the system of record. */
    DATABASE_URL: databaseUrl(),
    /** Pooled connections per replica. */
    DATABASE_POOL_SIZE: integer({ min: 1, max: opts.maxPoolSize ?? 200, default: opts.poolSize ?? 10 }),
  };
}
const opsPort = (opts: { opsPort?: number }) => opts.opsPort ?? 9464;

const BaseEnv = z.object(toolServiceEnv());
export type ToolServiceEnv = z.output<typeof BaseEnv>;

export interface ToolServiceDeps<E> {
  env: E;
  db: DbHandle["db"];
  nc: NatsConnection;
  logger: Logger;
  metrics: Metrics;
}

/** What `start` returns: how to stop serving and, optionally, what else readiness depends on (e.g. Redis). */
export interface RunningService {
  stop(): Promise<void>;
  /** Checked by /readyz after Postgres and NATS (a service may already have an unrelated `ready`). */
  isReady?(): Promise<boolean>;
}

/**
 * Runs a tool service as a process: parses its environment (exit 78 with every problem listed), sets up
 * tracing, logging and metrics, connects Postgres and NATS, starts the service, serves /healthz /readyz
 * /metrics, and on SIGTERM/SIGINT fails readiness first, then stops serving, drains NATS and closes the
 * rest in order.
 */
export async function runToolService<E extends ToolServiceEnv>(opts: {
  name: string;
  envSchema: z.ZodType<E, Record<string, unknown>>;
  /** Extra pino redaction paths (PII the service handles). */
  redact?: string[];
  start: (deps: ToolServiceDeps<E>) => RunningService | Promise<RunningService>;
}): Promise<void> {
  const env: E = loadConfigOrExit(opts.envSchema);
  const tracing = initTracing({ service: opts.name, ...(env.OTEL_EXPORTER_OTLP_ENDPOINT ? { otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT } : {}) });
  const logger = createLogger({ service: opts.name, level: env.LOG_LEVEL, ...(opts.redact ? { redact: opts.redact } : {}) });
  const metrics = createMetrics({ service: opts.name });
  const dbHandle = createDb(env.DATABASE_URL, { max: env.DATABASE_POOL_SIZE, applicationName: opts.name });
  const nc = await connectNats({ url: env.NATS_URL, name: opts.name, logger });

  const service = await opts.start({ env, db: dbHandle.db, nc, logger, metrics });

  const ops = await startOpsServer({
    port: env.OPS_PORT,
    metrics,
    ready: async () => {
      if (nc.isClosed() || nc.isDraining()) return false;
      await dbHandle.pool.query("SELECT 1");
      return service.isReady ? service.isReady() : true;
    },
  });
  logger.info({ opsPort: ops.port, subjectPrefix: env.NATS_SUBJECT_PREFIX }, `${opts.name} started`);

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
}

export * from "./catalog-events.ts";
export { addTracedJob, jobTraceContext, traceJobOptions } from "./job-trace.ts";
export * from "./worker.ts";
