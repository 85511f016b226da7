import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { SpanKind, trace } from "@opentelemetry/api";
import { createLogger, createMetrics, initTracing } from "@orderline/telemetry";
import { waitFor } from "@orderline/testing/wait-for";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { z } from "zod";
import { addTracedJob, jobTraceContext, type RegisteredWorker, registerWorker, traceJobOptions } from "../src/index.ts";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const tracing = initTracing({ service: "runtime-trace-test", inMemory: true });

describe("job trace propagation (real Redis)", () => {
  const prefix = `test-${randomBytes(4).toString("hex")}:bull`;
  const name = "runtime-trace-test";
  let connection: Redis;
  let queue: Queue;
  let registered: RegisteredWorker | undefined;
  const logLines: Record<string, unknown>[] = [];
  const logger = createLogger({ service: "runtime-trace-test", destination: { write: (l: string) => void logLines.push(JSON.parse(l) as Record<string, unknown>) } });
  const done = new Set<number>();

  before(async () => {
    connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    queue = new Queue(name, { connection, prefix });
    registered = registerWorker({
      queue: name,
      schema: z.object({ n: z.number().int() }),
      connection,
      prefix,
      logger,
      metrics: createMetrics({ service: "runtime-trace-test", defaultMetrics: false }),
      process: async (data, ctx) => {
        ctx.logger.info({ n: data.n }, "processing");
        if (data.n === 2 && ctx.job.attemptsMade === 0) throw new Error("transient");
        done.add(data.n);
      },
    });
  });
  after(async () => {
    await registered?.close();
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close();
    await connection.quit();
    await tracing.shutdown();
  });

  test("a job enqueued inside a trace is processed in a CONSUMER span that is the child of its `send` span; its log lines carry the trace id", async () => {
    const traceId = await trace.getTracer("test").startActiveSpan("webhook", async (span) => {
      await addTracedJob(queue, "x", { n: 1 });
      span.end();
      return span.spanContext().traceId;
    });
    await waitFor(() => done.has(1), { message: "job 1 to be processed" });
    const process = await waitFor(
      async () => {
        await tracing.flush();
        return tracing.exporter.getFinishedSpans().find((s) => s.name === `process ${name}` && s.spanContext().traceId === traceId);
      },
      { message: "the process span to end" },
    );
    const send = tracing.exporter.getFinishedSpans().find((s) => s.name === `send ${name}` && s.spanContext().traceId === traceId);
    assert.ok(send, "the send span is in the caller's trace");
    assert.equal(send.kind, SpanKind.PRODUCER);
    assert.equal(process.kind, SpanKind.CONSUMER);
    assert.equal(process.parentSpanContext?.spanId, send.spanContext().spanId);
    assert.equal(process.attributes["messaging.destination.name"], name);
    assert.equal(process.attributes["orderline.outcome"], "completed");
    const line = logLines.find((l) => l["msg"] === "processing" && l["n"] === 1);
    assert.equal(line?.["trace_id"], traceId);
    assert.equal(line?.["span_id"], process.spanContext().spanId);
  });

  test("a retried job's every run is a span in the same trace, the failed run marked as an error", async () => {
    const parent = "00-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-bbbbbbbbbbbbbbbb-01";
    const opts = traceJobOptions({ attempts: 2, backoff: { type: "fixed", delay: 10 } }, jobTraceContext({ opts: { telemetry: { metadata: JSON.stringify({ traceparent: parent }) } } }));
    assert.equal(opts.attempts, 2);
    await queue.add("x", { n: 2 }, opts);
    await waitFor(() => done.has(2), { message: "job 2 to succeed on its second run" });
    const runs = await waitFor(
      async () => {
        await tracing.flush();
        const r = tracing.exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === "a".repeat(32));
        return r.length === 2 && r;
      },
      { message: "both runs' spans" },
    );
    assert.deepEqual(
      runs.map((s) => [s.parentSpanContext?.spanId, s.attributes["orderline.job.attempt"], s.attributes["orderline.outcome"], s.status.code]),
      [
        ["b".repeat(16), 1, "failed", 2],
        ["b".repeat(16), 2, "completed", 0],
      ],
    );
  });

  test("a job without trace context starts its own trace", async () => {
    const job = await queue.add("x", { n: 3 });
    const span = await waitFor(
      async () => {
        await tracing.flush();
        return tracing.exporter.getFinishedSpans().find((s) => s.attributes["messaging.message.id"] === job.id);
      },
      { message: "job 3's span" },
    );
    assert.equal(span.parentSpanContext, undefined);
  });
});
