import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { SpanKind, trace } from "@opentelemetry/api";
import { initTracing } from "@orderline/telemetry";
import { connectNats, consumeEvent, drainNats, type NatsConnection, publishEvent } from "../src/index.ts";

const NATS_URL = process.env["NATS_URL"] ?? "nats://127.0.0.1:4222";
const tracing = initTracing({ service: "nats-events-test", inMemory: true });

let nc: NatsConnection;
before(async () => {
  nc = await connectNats({ url: NATS_URL, name: "nats-events-test" });
});
after(async () => {
  await drainNats(nc);
  await tracing.shutdown();
});

describe("publishEvent + consumeEvent", () => {
  it("carries the publisher's trace to the consumer: publish span child of the active span, process span child of the publish span", async () => {
    const subject = `test-${randomUUID().slice(0, 8)}.orderline.events.order.L1.submitted`;
    const received = new Promise<{ body: unknown; traceId: string | undefined }>((resolve) => {
      nc.subscribe(subject, {
        max: 1,
        callback: (_err, msg) => {
          void consumeEvent(msg, { name: "order_status", group: "worker" }, async () => ({ body: msg.json(), traceId: trace.getActiveSpan()?.spanContext().traceId })).then(resolve);
        },
      });
    });
    await trace.getTracer("test").startActiveSpan("submit_order", async (span) => {
      publishEvent(nc, subject, { orderId: "o1", to: "submitted" }, { name: "order_status" });
      span.end();
    });
    const got = await received;
    assert.deepEqual(got.body, { orderId: "o1", to: "submitted" });

    await tracing.flush();
    const spans = tracing.exporter.getFinishedSpans();
    const publish = spans.find((s) => s.name === "publish order_status")!;
    const process = spans.find((s) => s.name === "process order_status")!;
    const parent = spans.find((s) => s.name === "submit_order")!;
    assert.equal(publish.spanContext().traceId, parent.spanContext().traceId, "the publish span is in the publisher's trace");
    assert.equal(publish.kind, SpanKind.PRODUCER);
    assert.equal(publish.parentSpanContext?.spanId, parent.spanContext().spanId);
    assert.equal(process.kind, SpanKind.CONSUMER);
    assert.equal(process.spanContext().traceId, publish.spanContext().traceId);
    assert.equal(process.parentSpanContext?.spanId, publish.spanContext().spanId);
    assert.equal(process.parentSpanContext?.isRemote, true);
    assert.equal(got.traceId, publish.spanContext().traceId, "the handler runs inside the process span");
    assert.equal(process.attributes["messaging.destination.name"], subject);
    assert.equal(process.attributes["messaging.consumer.group.name"], "worker");
  });

  it("starts a new trace for an event published without one, and marks a failing handler's span as an error", async () => {
    const subject = `test-${randomUUID().slice(0, 8)}.plain`;
    const failed = new Promise<unknown>((resolve) => {
      nc.subscribe(subject, {
        max: 1,
        callback: (_err, msg) => {
          consumeEvent(msg, { name: "plain" }, async () => {
            throw new Error("could not enqueue");
          }).catch(resolve);
        },
      });
    });
    nc.publish(subject, "{}");
    assert.match(String(await failed), /could not enqueue/);
    await tracing.flush();
    const span = tracing.exporter.getFinishedSpans().find((s) => s.name === "process plain")!;
    assert.equal(span.parentSpanContext, undefined);
    assert.equal(span.status.code, 2);
  });
});
