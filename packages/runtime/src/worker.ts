import { formatIssues } from "@orderline/contracts";
import { failSpan, type Logger, type Metrics } from "@orderline/telemetry";
import { DelayedError, type Job, Queue, UnrecoverableError, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { Gauge, type Registry } from "prom-client";
import type { z } from "zod";
import { processInSpan } from "./job-trace.ts";

/** A job whose payload does not match its contract: failed at once with the reason, never retried. */
export class JobPayloadError extends UnrecoverableError {
  override readonly name = "JobPayloadError";
}

export interface JobContext {
  job: Job;
  /** Aborted when the worker starts shutting down: a long wait should `postpone` its job instead of holding it. */
  signal: AbortSignal;
  logger: Logger;
  /** Puts the job back in its queue, to run again at `runAt` (ms since epoch). Never returns. */
  postpone(runAt: number, why: string): Promise<never>;
}

export interface RegisterWorkerOptions<T> {
  /** Queue name (from `QUEUES` in @orderline/contracts). */
  queue: string;
  /** The job payload's contract; a payload that fails it is failed with a JobPayloadError. */
  schema: z.ZodType<T>;
  /** ioredis connection with `maxRetriesPerRequest: null` (BullMQ blocks on it). */
  connection: Redis;
  /** BullMQ key prefix (`redisKeys(prefix).bullPrefix()`). */
  prefix: string;
  process: (data: T, ctx: JobContext) => Promise<unknown>;
  logger: Logger;
  metrics: Metrics;
  concurrency?: number;
  /** How long a job's lock lasts without renewal; a dead worker's job is picked up again after it (default 30 s). */
  lockDurationMs?: number;
  /** How often stalled jobs (lock lost) are looked for (default 30 s). */
  stalledIntervalMs?: number;
  /**
   * A failed-for-good job stays in Redis (for inspection) with this instead of its payload: personal data in a
   * payload must not linger there after the job gave up.
   */
  scrubFailed?: (data: unknown) => unknown;
}

export interface RegisteredWorker {
  readonly queueName: string;
  readonly worker: Worker;
  /** For producers and the queue-depth gauge. */
  readonly queue: Queue;
  /** Stops taking jobs, lets the jobs in hand finish (or postpone themselves), closes the queue handle. */
  close(): Promise<void>;
}

const JOB_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
const DEPTH_STATES = ["waiting", "active", "delayed", "failed", "prioritized", "waiting-children"] as const;

// Queues whose depth a registry reports, so one gauge serves every worker registered on it.
const depthQueues = new WeakMap<Registry, Set<Queue>>();

function queueDepthGauge(registry: Registry, queue: Queue): void {
  let queues = depthQueues.get(registry);
  if (!queues) {
    const set = new Set<Queue>();
    queues = set;
    depthQueues.set(registry, set);
    new Gauge({
      name: "worker_queue_depth",
      help: "Jobs in a BullMQ queue by state, read from Redis at scrape time",
      labelNames: ["queue", "state"],
      registers: [registry],
      async collect() {
        for (const q of set) {
          const counts = await q.getJobCounts(...DEPTH_STATES).catch(() => null);
          if (!counts) continue;
          for (const s of DEPTH_STATES) this.set({ queue: q.name, state: s }, counts[s] ?? 0);
        }
      },
    });
  }
  queues.add(queue);
}

/**
 * Registers a BullMQ worker the way every OrderLine worker runs: the payload checked against its contract
 * first (a bad one fails at once, unretried, with every problem named), metrics (jobs by outcome, run time,
 * time waited in the queue, queue depth), failure logging without the payload (it may hold personal data),
 * and a `close()` for the ordered shutdown.
 */
export function registerWorker<T>(opts: RegisterWorkerOptions<T>): RegisteredWorker {
  const { metrics, logger } = opts;
  const jobs = metrics.counter({
    name: "worker_jobs_total",
    help: "Jobs processed, by queue and outcome (completed, retry, failed, invalid, postponed)",
    labelNames: ["queue", "outcome"],
  });
  const duration = metrics.histogram({ name: "worker_job_duration_seconds", help: "Time a job ran, by queue", labelNames: ["queue"], buckets: JOB_BUCKETS_SECONDS });
  const waited = metrics.histogram({ name: "worker_job_wait_seconds", help: "Time a job waited in its queue before it ran", labelNames: ["queue"], buckets: JOB_BUCKETS_SECONDS });
  const shutdown = new AbortController();
  const log = logger.child({ queue: opts.queue });

  const processor = (job: Job, token?: string): Promise<unknown> =>
    // One CONSUMER span per run, in the trace the job was enqueued in; its log lines carry that trace id.
    processInSpan(opts.queue, job, async (span) => {
      const started = performance.now();
      if (job.processedOn) waited.observe({ queue: opts.queue }, Math.max(0, job.processedOn - (job.delay ? job.timestamp + job.delay : job.timestamp)) / 1000);
      try {
        const parsed = opts.schema.safeParse(job.data);
        if (!parsed.success) throw new JobPayloadError(`${opts.queue} job ${job.id} does not match its contract: ${formatIssues(parsed.error.issues, "(payload)")}`);
        const ctx: JobContext = {
          job,
          signal: shutdown.signal,
          logger: log.child({ jobId: job.id }),
          async postpone(runAt, why) {
            jobs.inc({ queue: opts.queue, outcome: "postponed" });
            log.info({ jobId: job.id, runAt: new Date(runAt).toISOString(), why }, "job postponed");
            await job.moveToDelayed(runAt, token);
            throw new DelayedError(why);
          },
        };
        const result = await opts.process(parsed.data, ctx);
        span.setAttribute("orderline.outcome", "completed");
        return result;
      } catch (err) {
        if (err instanceof DelayedError) span.setAttribute("orderline.outcome", "postponed");
        else {
          span.setAttribute("orderline.outcome", err instanceof JobPayloadError ? "invalid" : "failed");
          failSpan(span, err);
        }
        throw err;
      } finally {
        duration.observe({ queue: opts.queue }, (performance.now() - started) / 1000);
      }
    });

  const worker = new Worker(opts.queue, processor, {
    connection: opts.connection,
    prefix: opts.prefix,
    concurrency: opts.concurrency ?? 4,
    ...(opts.lockDurationMs ? { lockDuration: opts.lockDurationMs } : {}),
    ...(opts.stalledIntervalMs ? { stalledInterval: opts.stalledIntervalMs } : {}),
  });
  worker.on("completed", () => jobs.inc({ queue: opts.queue, outcome: "completed" }));
  worker.on("failed", (job, err) => {
    if (err instanceof DelayedError || err.name === "DelayedError") return;
    const invalid = err instanceof JobPayloadError || err.name === "JobPayloadError";
    const final = invalid || err instanceof UnrecoverableError || !job || job.attemptsMade >= (job.opts.attempts ?? 1);
    jobs.inc({ queue: opts.queue, outcome: invalid ? "invalid" : final ? "failed" : "retry" });
    const fields = { jobId: job?.id, attemptsMade: job?.attemptsMade, attempts: job?.opts.attempts, reason: err.message };
    if (!final) return void log.warn(fields, "job failed; it will be retried");
    log.error(fields, "job failed for good");
    if (job && opts.scrubFailed) {
      const scrub = opts.scrubFailed;
      void job.updateData(scrub(job.data)).catch((err: unknown) => log.error({ jobId: job.id, reason: err instanceof Error ? err.message : String(err) }, "could not scrub a failed job"));
    }
  });
  worker.on("error", (err) => log.error({ err }, "worker error"));

  const queue = new Queue(opts.queue, { connection: opts.connection, prefix: opts.prefix });
  queueDepthGauge(metrics.registry, queue);

  return {
    queueName: opts.queue,
    worker,
    queue,
    async close() {
      shutdown.abort();
      await worker.close();
      depthQueues.get(metrics.registry)?.delete(queue);
      await queue.close();
    },
  };
}
