import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkMetricName, createMetrics, LATENCY_BUCKETS_SECONDS, MetricConflictError, MetricNameError } from "./metrics.ts";

describe("createMetrics", () => {
  it("collects default process metrics labelled with the service", async () => {
    const m = createMetrics({ service: "order-service" });
    const text = await m.registry.metrics();
    assert.match(text, /^process_cpu_user_seconds_total\{service="order-service"\} /m);
    assert.match(text, /^nodejs_eventloop_lag_seconds\{service="order-service"\} /m);
  });

  it("makes counters and latency histograms on its own registry, once per name", async () => {
    const m = createMetrics({ service: "order-service", defaultMetrics: false });
    const c = m.counter({ name: "orders_submitted_total", help: "Orders submitted.", labelNames: ["channel"] as const });
    c.inc({ channel: "voice" });
    assert.equal(m.counter({ name: "orders_submitted_total", help: "Orders submitted.", labelNames: ["channel"] as const }), c);
    const h = m.histogram({ name: "db_query_seconds", help: "Query time.", labelNames: ["query"] as const });
    h.observe({ query: "menu" }, 0.003);
    const g = m.gauge({ name: "calls_active", help: "Calls in progress." });
    g.set(2);
    const text = await m.registry.metrics();
    assert.match(text, /^orders_submitted_total\{channel="voice",service="order-service"\} 1$/m);
    assert.match(text, /^db_query_seconds_bucket\{le="0.0025",service="order-service",query="menu"\} 0$/m);
    assert.match(text, /^db_query_seconds_bucket\{le="0.005",service="order-service",query="menu"\} 1$/m);
    assert.match(text, /^calls_active\{service="order-service"\} 2$/m);
    const buckets = [...text.matchAll(/^db_query_seconds_bucket\{le="([^"]+)"/gm)].map((x) => x[1]);
    assert.deepEqual(buckets, [...LATENCY_BUCKETS_SECONDS.map(String), "+Inf"]);
    assert.equal(LATENCY_BUCKETS_SECONDS[0], 0.0005);
    assert.equal(LATENCY_BUCKETS_SECONDS.at(-1), 5);
  });

  it("keeps registries of different services apart and refuses a name reused with another type", () => {
    const a = createMetrics({ service: "a", defaultMetrics: false });
    const b = createMetrics({ service: "b", defaultMetrics: false });
    const ca = a.counter({ name: "x_total", help: "x" });
    const cb = b.counter({ name: "x_total", help: "x" });
    assert.notEqual(ca, cb);
    assert.throws(() => a.gauge({ name: "x_total", help: "x" }), MetricConflictError);
  });
});

describe("checkMetricName", () => {
  it("accepts the conventional names used across the services", () => {
    for (const [kind, name] of [
      ["counter", "gateway_calls_total"],
      ["histogram", "orderline_tool_duration_seconds"],
      ["gauge", "gateway_active_calls"],
      ["gauge", "worker_queue_depth"],
    ] as const) {
      assert.doesNotThrow(() => checkMetricName(kind, name), name);
    }
  });

  it("refuses a counter without _total, _total on anything else, non-base units and bad characters, saying why", () => {
    const m = createMetrics({ service: "s", defaultMetrics: false });
    assert.throws(() => m.counter({ name: "calls", help: "x" }), { name: "MetricNameError", message: /"calls": a counter's name ends in _total/ });
    assert.throws(() => m.gauge({ name: "calls_total", help: "x" }), /only counters end in _total \(this is a gauge\)/);
    assert.throws(() => m.histogram({ name: "tool_latency_ms", help: "x" }), /base units \(_seconds, _bytes\)/);
    assert.throws(() => m.counter({ name: "payload_kb_total", help: "x" }), MetricNameError);
    assert.throws(() => m.gauge({ name: "Active-Calls", help: "x" }), /snake_case/);
  });
});
