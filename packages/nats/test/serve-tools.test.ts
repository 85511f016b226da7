import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { trace } from "@opentelemetry/api";
import { type RequestEnvelopeInput, serviceQueue, TOOLS, ToolFailure, toolSubject } from "@orderline/contracts";
import { createLogger, createMetrics, initTracing, type ReadableSpan } from "@orderline/telemetry";
import { z } from "zod";
import {
  connectNats,
  defineHandler,
  drainNats,
  INTERNAL_ERROR_MESSAGE,
  type NatsConnection,
  NatsRequestError,
  requestTool,
  serveTools,
  type ToolHandler,
} from "../src/index.ts";

const NATS_URL = process.env["NATS_URL"] ?? "nats://127.0.0.1:4222";
const tracing = initTracing({ service: "nats-test", inMemory: true });

let nc: NatsConnection;
before(async () => {
  nc = await connectNats({ url: NATS_URL, name: "nats-test" });
});
after(async () => {
  await drainNats(nc);
  await tracing.shutdown();
});

const envelope = (): RequestEnvelopeInput => ({ callSid: `CA${randomUUID().replaceAll("-", "")}`, locationId: randomUUID(), orderSessionId: randomUUID() });
const prefix = () => `test-${randomUUID().slice(0, 8)}.`;
const quiet = () => createLogger({ service: "nats-test", level: "silent" });

/** A promise with its resolve function, for holding a handler until the test lets it go. */
function gate<T = void>() {
  let open!: (v: T) => void;
  const promise = new Promise<T>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

const AddArgs = z.strictObject({ name: z.string().min(1), quantity: z.number().int().min(1) });

describe("serveTools + requestTool", () => {
  it("round-trips a request and continues the caller's trace on the service side", async () => {
    const p = prefix();
    const metrics = createMetrics({ service: "nats-test", defaultMetrics: false });
    const add = defineHandler(AddArgs, async (args, env, ctx) => {
      ctx.logger.debug("adding");
      return { line: `${args.quantity} x ${args.name}`, callSid: env.callSid, tool: ctx.tool };
    });
    const server = serveTools(nc, {
      service: "order-service",
      subjectPrefix: p,
      handlers: [{ subject: "orderline.tools.order.add_item", ...add }],
      logger: quiet(),
      metrics,
    });
    const env = envelope();
    const tracer = trace.getTracer("test");
    const { reply, callerTraceId, callerSpanId } = await tracer.startActiveSpan("caller", async (span) => {
      const r = await requestTool(nc, `${p}orderline.tools.order.add_item`, { envelope: env, args: { name: "Margherita", quantity: 2 } });
      span.end();
      return { reply: r, callerTraceId: span.spanContext().traceId, callerSpanId: span.spanContext().spanId };
    });
    assert.deepEqual(reply, { ok: true, result: { line: "2 x Margherita", callSid: env.callSid, tool: "add_item" } });
    await server.stop();
    assert.equal(server.served.get(`${p}orderline.tools.order.add_item`), 1);

    await tracing.flush();
    const spans = tracing.exporter.getFinishedSpans().filter((s: ReadableSpan) => s.spanContext().traceId === callerTraceId);
    const client = spans.find((s) => s.name === "call add_item");
    const serverSpan = spans.find((s) => s.name === "serve add_item");
    assert.ok(client, "client span recorded in the caller's trace");
    assert.ok(serverSpan, "server span recorded in the caller's trace");
    assert.equal(client.parentSpanContext?.spanId, callerSpanId);
    assert.equal(serverSpan.parentSpanContext?.spanId, client.spanContext().spanId);
    assert.equal(serverSpan.parentSpanContext?.isRemote, true);
    assert.equal(serverSpan.attributes["orderline.call_sid"], env.callSid);
    assert.equal(serverSpan.attributes["orderline.outcome"], "ok");
    // Messaging semantic conventions on both sides of the request.
    assert.equal(client.attributes["messaging.system"], "nats");
    assert.equal(client.attributes["messaging.operation.type"], "send");
    assert.equal(client.attributes["messaging.destination.name"], `${p}orderline.tools.order.add_item`);
    assert.equal(serverSpan.attributes["messaging.operation.type"], "process");
    assert.equal(serverSpan.attributes["messaging.consumer.group.name"], "order-service");
    assert.equal(serverSpan.attributes["messaging.message.body.size"], client.attributes["messaging.message.body.size"]);

    const counter = await metrics.registry.getSingleMetric("orderline_tool_requests_total")!.get();
    assert.deepEqual(
      counter.values.map((v) => [v.labels, v.value]),
      [[{ tool: "add_item", outcome: "ok" }, 1]],
    );
    const hist = await metrics.registry.getSingleMetricAsString("orderline_tool_duration_seconds");
    assert.match(hist, /^orderline_tool_duration_seconds_count\{service="nats-test",tool="add_item",outcome="ok"\} 1$/m);
    assert.match(hist, /^orderline_tool_duration_seconds_bucket\{le="\+Inf",service="nats-test",tool="add_item",outcome="ok"\} 1$/m);
  });

  it("plugs into the tool registry: subject, queue, args and result schemas from contracts", async () => {
    const p = prefix();
    const def = TOOLS.get_wait_time;
    const server = serveTools(nc, {
      service: "menu-service",
      queue: serviceQueue(def.service),
      handlers: [
        {
          subject: toolSubject("get_wait_time", p),
          ...defineHandler(
            def.args,
            (args) => ({ orderType: args.order_type, minutes: 20, openOrders: 3, speech: "About twenty minutes." }),
            { result: def.result },
          ),
        },
      ],
      logger: quiet(),
    });
    const reply = await requestTool(nc, toolSubject("get_wait_time", p), { envelope: envelope(), args: { order_type: "pickup" } }, { result: def.result });
    assert.deepEqual(reply, { ok: true, result: { orderType: "pickup", minutes: 20, openOrders: 3, speech: "About twenty minutes." } });
    const bad = await requestTool(nc, toolSubject("get_wait_time", p), { envelope: envelope(), args: { order_type: "drone" } });
    assert.ok(!bad.ok);
    assert.equal(bad.error.code, "invalid_arguments");
    assert.match(bad.error.message, /order_type: /);
    await server.stop();
  });

  it("tells no responders apart from a timeout", async () => {
    const p = prefix();
    const held = gate();
    const server = serveTools(nc, {
      service: "menu-service",
      handlers: [{ subject: `${p}slow`, ...defineHandler(z.object({}), async () => held.promise.then(() => "late")) }],
      logger: quiet(),
    });
    const noOne = await requestTool(nc, `${p}nobody`, { envelope: envelope(), args: {} }).catch((e: unknown) => e);
    assert.ok(noOne instanceof NatsRequestError);
    assert.equal(noOne.kind, "no_responders");
    assert.equal(noOne.subject, `${p}nobody`);

    const slow = await requestTool(nc, `${p}slow`, { envelope: envelope(), args: {} }, { timeoutMs: 150 }).catch((e: unknown) => e);
    assert.ok(slow instanceof NatsRequestError);
    assert.equal(slow.kind, "timeout");
    held.open();
    await server.stop();
  });

  it("answers invalid_arguments naming each bad field, for bad args, a bad envelope and malformed JSON", async () => {
    const p = prefix();
    const server = serveTools(nc, {
      service: "order-service",
      subjectPrefix: p,
      handlers: [{ subject: "add_item", ...defineHandler(AddArgs, (a) => a.quantity) }],
      logger: quiet(),
    });
    const bad = await requestTool(nc, `${p}add_item`, { envelope: envelope(), args: { quantity: 0, colour: "red" } });
    assert.equal(bad.ok, false);
    assert.ok(!bad.ok);
    assert.equal(bad.error.code, "invalid_arguments");
    assert.equal(
      bad.error.message,
      'Invalid arguments: name: Invalid input: expected string, received undefined; quantity: Too small: expected number to be >=1; (arguments): Unrecognized key: "colour"',
    );
    assert.deepEqual(
      (bad.error.details!["issues"] as { path: string }[]).map((i) => i.path),
      ["name", "quantity", "(arguments)"],
    );

    const badEnvelope = await requestTool(nc, `${p}add_item`, {
      envelope: { ...envelope(), locationId: "downtown" },
      args: { name: "Cola", quantity: 1 },
    });
    assert.ok(!badEnvelope.ok);
    assert.equal(badEnvelope.error.code, "invalid_arguments");
    assert.match(badEnvelope.error.message, /envelope\.locationId: /);

    const malformed = await nc.request(`${p}add_item`, "{not json", { timeout: 2000 });
    assert.deepEqual(malformed.json(), { ok: false, error: { code: "invalid_arguments", message: "The request is not valid JSON." } });

    const good = await requestTool(nc, `${p}add_item`, { envelope: envelope(), args: { name: "Cola", quantity: 3 } }, { result: z.number() });
    assert.deepEqual(good, { ok: true, result: 3 });
    await server.stop();
  });

  it("passes a ToolFailure through with its code, message and details", async () => {
    const p = prefix();
    const server = serveTools(nc, {
      service: "menu-service",
      handlers: [
        {
          subject: `${p}lookup`,
          ...defineHandler(z.object({ query: z.string() }), (args) => {
            throw new ToolFailure("not_on_menu", `We don't have ${args.query}. Did you mean the Pepperoni Pizza?`, { candidates: ["Pepperoni Pizza"] });
          }),
        },
      ],
      logger: quiet(),
    });
    const reply = await requestTool(nc, `${p}lookup`, { envelope: envelope(), args: { query: "pineapple pizza" } });
    assert.deepEqual(reply, {
      ok: false,
      error: {
        code: "not_on_menu",
        message: "We don't have pineapple pizza. Did you mean the Pepperoni Pizza?",
        details: { candidates: ["Pepperoni Pizza"] },
      },
    });
    await server.stop();
  });

  it("turns an unexpected exception into internal, logging the stack but never sending the message", async () => {
    const p = prefix();
    const lines: string[] = [];
    const logger = createLogger({
      service: "nats-test",
      destination: new Writable({
        write(chunk, _enc, cb) {
          lines.push(String(chunk));
          cb();
        },
      }),
    });
    const handlers: ToolHandler[] = [
      {
        subject: `${p}boom`,
        ...defineHandler(z.object({}), () => {
          throw new Error("connect ECONNREFUSED postgres://app:hunter2@db:5432");
        }),
      },
      {
        subject: `${p}wrong_result`,
        ...defineHandler(z.object({}), () => ({ priceCents: 1.5 }) as { priceCents: number }, {
          result: z.object({ priceCents: z.number().int() }),
        }),
      },
    ];
    const server = serveTools(nc, { service: "order-service", handlers, logger });
    const reply = await requestTool(nc, `${p}boom`, { envelope: envelope(), args: {} });
    assert.deepEqual(reply, { ok: false, error: { code: "internal", message: INTERNAL_ERROR_MESSAGE } });
    assert.doesNotMatch(JSON.stringify(reply), /hunter2|ECONNREFUSED/);
    const wrong = await requestTool(nc, `${p}wrong_result`, { envelope: envelope(), args: {} });
    assert.deepEqual(wrong, { ok: false, error: { code: "internal", message: INTERNAL_ERROR_MESSAGE } });
    await server.stop();

    const logged = lines.map((l) => JSON.parse(l) as { msg: string; tool?: string; trace_id?: string; callSid?: string; err?: { stack?: string } });
    const failed = logged.find((l) => l.msg === "tool handler failed");
    assert.equal(failed?.tool, "boom");
    assert.match(failed?.callSid ?? "", /^CA/);
    assert.match(failed?.trace_id ?? "", /^[0-9a-f]{32}$/, "handler logs carry the request's trace id");
    assert.match(failed?.err?.stack ?? "", /ECONNREFUSED[\s\S]*serve-tools\.test\.ts/);
    assert.ok(logged.some((l) => l.msg === "tool result does not match its schema" && l.tool === "wrong_result"));
  });

  it("shares load between two servers in one queue group", async () => {
    const p = prefix();
    const make = () =>
      serveTools(nc, {
        service: "menu-service",
        handlers: [{ subject: `${p}ping`, ...defineHandler(z.object({ i: z.number() }), (a) => a.i) }],
        logger: quiet(),
      });
    const a = make();
    const b = make();
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => requestTool(nc, `${p}ping`, { envelope: envelope(), args: { i } })));
    assert.deepEqual(
      replies.map((r) => (r.ok ? r.result : null)),
      Array.from({ length: 50 }, (_, i) => i),
    );
    await Promise.all([a.stop(), b.stop()]);
    const servedA = a.served.get(`${p}ping`) ?? 0;
    const servedB = b.served.get(`${p}ping`) ?? 0;
    assert.equal(servedA + servedB, 50);
    assert.ok(servedA > 0 && servedB > 0, `both replicas served (a=${servedA}, b=${servedB})`);
  });

  it("stop() drains: a request in flight still gets its reply, later ones find no responders", async () => {
    const p = prefix();
    const started = gate();
    const release = gate();
    let handlerDone = false;
    const server = serveTools(nc, {
      service: "order-service",
      handlers: [
        {
          subject: `${p}submit_order`,
          ...defineHandler(z.object({}), async () => {
            started.open();
            await release.promise;
            handlerDone = true;
            return { orderId: "o-1" };
          }),
        },
      ],
      logger: quiet(),
    });
    const pending = requestTool(nc, `${p}submit_order`, { envelope: envelope(), args: {} }, { timeoutMs: 5000 });
    await started.promise;
    let doneWhenStopped: boolean | undefined;
    const stopped = server.stop().then(() => {
      doneWhenStopped = handlerDone;
    });
    release.open();
    assert.deepEqual(await pending, { ok: true, result: { orderId: "o-1" } });
    await stopped;
    assert.equal(doneWhenStopped, true, "stop() resolved only after the in-flight handler finished");
    const late = await requestTool(nc, `${p}submit_order`, { envelope: envelope(), args: {} }).catch((e: unknown) => e);
    assert.ok(late instanceof NatsRequestError);
    assert.equal(late.kind, "no_responders");
  });

  it("runs at most `concurrency` handlers at once and queues the rest", async () => {
    const p = prefix();
    const started: number[] = [];
    const releases = [gate(), gate()];
    const server = serveTools(nc, {
      service: "order-service",
      concurrency: 1,
      handlers: [
        {
          subject: `${p}work`,
          ...defineHandler(z.object({ n: z.number().int().min(0).max(1) }), async ({ n }) => {
            started.push(n);
            await releases[n]!.promise;
            return n;
          }),
        },
      ],
      logger: quiet(),
    });
    const first = requestTool(nc, `${p}work`, { envelope: envelope(), args: { n: 0 } }, { timeoutMs: 5000 });
    const second = requestTool(nc, `${p}work`, { envelope: envelope(), args: { n: 1 } }, { timeoutMs: 5000 });
    // Server and client share this connection: after a PING/PONG round trip both requests have been delivered.
    await nc.flush();
    await nc.flush();
    assert.deepEqual(started, [0], "the second request waits while the first runs");
    releases[0]!.open();
    assert.deepEqual(await first, { ok: true, result: 0 });
    releases[1]!.open();
    assert.deepEqual(await second, { ok: true, result: 1 });
    assert.deepEqual(started, [0, 1]);
    await server.stop();
  });

  it("rejects a reply that is not a tool reply, or whose result does not match the expected schema", async () => {
    const p = prefix();
    const sub = nc.subscribe(`${p}rogue`, {
      callback: (_err, msg) => {
        const { args } = msg.json<{ args: { mode: string } }>();
        msg.respond(args.mode === "garbage" ? "<html>" : JSON.stringify({ ok: true, result: { priceCents: "12.50" } }));
      },
    });
    const garbage = await requestTool(nc, `${p}rogue`, { envelope: envelope(), args: { mode: "garbage" } }).catch((e: unknown) => e);
    assert.ok(garbage instanceof NatsRequestError);
    assert.equal(garbage.kind, "bad_reply");
    const wrong = await requestTool(nc, `${p}rogue`, { envelope: envelope(), args: { mode: "wrong" } }, { result: z.object({ priceCents: z.number().int() }) }).catch(
      (e: unknown) => e,
    );
    assert.ok(wrong instanceof NatsRequestError);
    assert.equal(wrong.kind, "bad_reply");
    assert.match(wrong.message, /result\.priceCents/);
    sub.unsubscribe();
  });
});

describe("connectNats / drainNats", () => {
  it("fails fast when no server listens", async () => {
    await assert.rejects(connectNats({ url: "nats://127.0.0.1:1", name: "nowhere" }));
  });

  it("drains a connection and tolerates being called twice", async () => {
    const own = await connectNats({ url: NATS_URL, name: "drain-test" });
    await drainNats(own);
    assert.equal(own.isClosed(), true);
    await drainNats(own);
  });
});
