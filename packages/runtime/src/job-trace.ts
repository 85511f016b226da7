import { type Context, context, ROOT_CONTEXT, type Span, SpanKind, trace } from "@opentelemetry/api";
import { contextFromTraceparent, failSpan, traceCarrier } from "@orderline/telemetry";
import type { Job, JobsOptions, Queue } from "bullmq";

const tracer = trace.getTracer("@orderline/runtime");

/**
 * Job options carrying `ctx`'s trace context (default: the active one) in BullMQ's own propagation field,
 * `opts.telemetry.metadata` (stored with the job as `tm`; a JSON map of `traceparent`/`tracestate`, the format
 * of BullMQ's OpenTelemetry add-on). The payload stays exactly its contract.
 */
export function traceJobOptions<O extends JobsOptions>(opts: O = {} as O, ctx: Context = context.active()): O {
  const carrier = traceCarrier(ctx);
  if (!carrier["traceparent"]) return opts;
  return { ...opts, telemetry: { ...opts.telemetry, metadata: JSON.stringify(carrier) } };
}

/** The trace context a job was enqueued in (root when it carries none or it cannot be read). */
export function jobTraceContext(job: Pick<Job, "opts">): Context {
  const metadata = job.opts.telemetry?.metadata;
  if (!metadata) return ROOT_CONTEXT;
  try {
    const carrier = JSON.parse(metadata) as unknown;
    if (typeof carrier === "string") return contextFromTraceparent(carrier);
    if (carrier && typeof carrier === "object") return contextFromTraceparent(carrier as Record<string, string>);
  } catch {
    // A bare traceparent, not JSON.
    return contextFromTraceparent(metadata);
  }
  return ROOT_CONTEXT;
}

/**
 * `queue.add` under a PRODUCER span `send <queue>` (messaging semantic conventions), the job carrying that span's
 * context, so the worker's `process <queue>` span continues the trace the job was enqueued in (a call's finalize
 * job, an order's receipt SMS).
 */
export async function addTracedJob<T, J extends { id?: string | undefined }>(
  queue: { readonly name: string; add(name: string, data: T, opts: JobsOptions): Promise<J> },
  name: string,
  data: T,
  opts: JobsOptions = {},
): Promise<J> {
  return tracer.startActiveSpan(
    `send ${queue.name}`,
    { kind: SpanKind.PRODUCER, attributes: { "messaging.system": "bullmq", "messaging.operation.type": "send", "messaging.operation.name": "add", "messaging.destination.name": queue.name } },
    async (span) => {
      try {
        const job = await queue.add(name, data, traceJobOptions(opts));
        if (job.id) span.setAttribute("messaging.message.id", job.id);
        return job;
      } catch (err) {
        failSpan(span, err);
        throw err;
      } finally {
        span.end();
      }
    },
  );
}

/** Runs a job's processing inside a CONSUMER span `process <queue>` continuing the job's trace. */
export function processInSpan<R>(queueName: string, job: Job, run: (span: Span) => Promise<R>): Promise<R> {
  return tracer.startActiveSpan(
    `process ${queueName}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        "messaging.system": "bullmq",
        "messaging.operation.type": "process",
        "messaging.operation.name": "process",
        "messaging.destination.name": queueName,
        ...(job.id ? { "messaging.message.id": job.id } : {}),
        "orderline.job.attempt": job.attemptsMade + 1,
      },
    },
    jobTraceContext(job),
    async (span) => {
      try {
        return await run(span);
      } finally {
        span.end();
      }
    },
  );
}
