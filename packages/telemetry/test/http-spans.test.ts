import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { after, describe, it } from "node:test";
import { context, ROOT_CONTEXT, SpanKind, trace } from "@opentelemetry/api";
import { contextFromTraceparent, createLogger, httpServerSpans, initTracing, traceparentOf } from "../src/index.ts";

const tracing = initTracing({ service: "http-spans-test", inMemory: true });
after(() => tracing.shutdown());

type Handler = (req: IncomingMessage & { route?: { path: string } }, res: ServerResponse) => void;

async function serve(mw: ReturnType<typeof httpServerSpans>, handler: Handler) {
  const server = createServer((req, res) => mw(req, res, () => handler(req, res)));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe("httpServerSpans", () => {
  it("gives a request a SERVER span named by its route, continues the caller's traceparent, and is active in the handler", async () => {
    let inside: string | null = null;
    const app = await serve(httpServerSpans(), (req, res) => {
      req.route = { path: "/v1/orders/:id/ready-call" };
      inside = traceparentOf();
      res.writeHead(202).end();
    });
    try {
      const callerTrace = "0af7651916cd43dd8448eb211c80319c";
      const res = await fetch(`${app.base}/v1/orders/42/ready-call?x=1`, { method: "POST", headers: { traceparent: `00-${callerTrace}-b7ad6b7169203331-01` } });
      assert.equal(res.status, 202);
      await tracing.flush();
      const span = tracing.exporter.getFinishedSpans().find((s) => s.spanContext().traceId === callerTrace);
      assert.ok(span, "the span continues the caller's trace");
      assert.equal(span.name, "POST /v1/orders/:id/ready-call");
      assert.equal(span.kind, SpanKind.SERVER);
      assert.equal(span.parentSpanContext?.spanId, "b7ad6b7169203331");
      assert.deepEqual(
        [span.attributes["http.request.method"], span.attributes["url.path"], span.attributes["http.route"], span.attributes["http.response.status_code"]],
        ["POST", "/v1/orders/42/ready-call", "/v1/orders/:id/ready-call", 202],
      );
      assert.equal(inside, `00-${callerTrace}-${span.spanContext().spanId}-01`, "the handler runs inside the request's span");
    } finally {
      await app.close();
    }
  });

  it("takes its parent from `parent` (e.g. a call's stored traceparent), marks a 5xx as an error, and falls back to a new trace when the parent is slow", async () => {
    const stored = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    let slow = false;
    const app = await serve(
      httpServerSpans({
        parent: (req) => (slow ? new Promise(() => {}) : contextFromTraceparent(req.headers["x-call"] === "1" ? stored : null)),
        parentTimeoutMs: 50,
        attributes: () => ({ "orderline.call_sid": "CA1" }),
      }),
      (_req, res) => res.writeHead(500).end(),
    );
    try {
      await fetch(`${app.base}/voice/gather`, { method: "POST", headers: { "x-call": "1" } });
      slow = true;
      await fetch(`${app.base}/voice/status`, { method: "POST" });
      await tracing.flush();
      const spans = tracing.exporter.getFinishedSpans();
      const gather = spans.find((s) => s.name === "POST /voice/gather")!;
      assert.equal(gather.spanContext().traceId, "4bf92f3577b34da6a3ce929d0e0e4736");
      assert.equal(gather.parentSpanContext?.spanId, "00f067aa0ba902b7");
      assert.equal(gather.attributes["orderline.call_sid"], "CA1");
      assert.equal(gather.status.code, 2, "a 5xx is an error");
      const status = spans.find((s) => s.name === "POST /voice/status")!;
      assert.equal(status.parentSpanContext, undefined, "a parent that does not come in time gives a new trace");
    } finally {
      await app.close();
    }
  });
});

describe("trace context helpers", () => {
  it("stores a span's context as a traceparent and restores it, ignoring whatever is active", () => {
    const span = trace.getTracer("test").startSpan("call");
    const stored = traceparentOf(trace.setSpan(ROOT_CONTEXT, span));
    span.end();
    assert.match(stored ?? "", /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const other = trace.getTracer("test").startSpan("other");
    const restored = context.with(trace.setSpan(ROOT_CONTEXT, other), () => contextFromTraceparent(stored));
    other.end();
    assert.equal(trace.getSpanContext(restored)?.spanId, span.spanContext().spanId);
    assert.equal(traceparentOf(ROOT_CONTEXT), null);
    assert.equal(contextFromTraceparent("garbage"), ROOT_CONTEXT);
  });

  it("puts trace_id and span_id of the active span on every log line", () => {
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk, _enc, cb) {
        lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
        cb();
      },
    });
    const logger = createLogger({ service: "s", destination });
    const span = trace.getTracer("test").startSpan("turn");
    context.with(trace.setSpan(ROOT_CONTEXT, span), () => logger.info("inside"));
    span.end();
    logger.info("outside");
    assert.equal(lines[0]!["trace_id"], span.spanContext().traceId);
    assert.equal(lines[0]!["span_id"], span.spanContext().spanId);
    assert.equal("trace_id" in lines[1]!, false);
  });
});
