import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { context, propagation, trace } from "@opentelemetry/api";
import { startOtlpReceiver } from "../src/otlp-receiver.ts";
import { initTracing, otlpTracesUrl, TracingAlreadyInitializedError } from "../src/tracing.ts";

describe("initTracing", () => {
  it("records spans in memory with the service name and propagates W3C trace context", async () => {
    const tracing = initTracing({ service: "order-service", inMemory: true });
    assert.equal(initTracing({ service: "order-service", inMemory: true }), tracing, "same options → same handle");
    assert.throws(() => initTracing({ service: "menu-service" }), TracingAlreadyInitializedError);

    const carrier: Record<string, string> = {};
    const ids = trace.getTracer("test").startActiveSpan("outer", (outer) => {
      const inner = trace.getTracer("test").startSpan("inner");
      propagation.inject(trace.setSpan(context.active(), inner), carrier);
      inner.end();
      outer.end();
      return { traceId: outer.spanContext().traceId, outerId: outer.spanContext().spanId, innerId: inner.spanContext().spanId };
    });
    await tracing.flush();
    const spans = tracing.exporter.getFinishedSpans();
    assert.deepEqual(spans.map((s) => s.name).sort(), ["inner", "outer"]);
    const inner = spans.find((s) => s.name === "inner")!;
    assert.equal(inner.spanContext().traceId, ids.traceId);
    assert.equal(inner.parentSpanContext?.spanId, ids.outerId);
    assert.equal(inner.resource.attributes["service.name"], "order-service");
    assert.equal(carrier["traceparent"], `00-${ids.traceId}-${ids.innerId}-01`);

    await tracing.shutdown();
    // After shutdown the process may initialise again (e.g. with other options).
    const again = initTracing({ service: "menu-service", inMemory: true });
    trace.getTracer("test").startSpan("after").end();
    await again.flush();
    assert.deepEqual(
      again.exporter.getFinishedSpans().map((s) => [s.name, s.resource.attributes["service.name"]]),
      [["after", "menu-service"]],
    );
    await again.shutdown();
  });

  it("exports spans over OTLP/HTTP to the configured collector", async () => {
    const collector = await startOtlpReceiver();
    try {
      const tracing = initTracing({ service: "escalation-service", otlpEndpoint: collector.url });
      assert.equal(tracing.exporter, undefined);
      const span = trace.getTracer("test").startSpan("transfer_to_human", { attributes: { "orderline.tool": "transfer_to_human", attempt: 2 } });
      const { traceId, spanId } = span.spanContext();
      span.end();
      await tracing.shutdown();
      assert.deepEqual(collector.rejected, []);
      assert.deepEqual(collector.spans, [
        {
          service: "escalation-service",
          name: "transfer_to_human",
          kind: "internal",
          traceId,
          spanId,
          parentSpanId: "",
          attributes: { "orderline.tool": "transfer_to_human", attempt: 2 },
          status: 0,
        },
      ]);
    } finally {
      await collector.close();
    }
  });

  it("builds the OTLP/HTTP traces URL from a collector base URL", () => {
    assert.equal(otlpTracesUrl("http://collector:4318"), "http://collector:4318/v1/traces");
    assert.equal(otlpTracesUrl("http://collector:4318/"), "http://collector:4318/v1/traces");
    assert.equal(otlpTracesUrl("https://otel.example.com/custom/v1/traces"), "https://otel.example.com/custom/v1/traces");
  });
});
