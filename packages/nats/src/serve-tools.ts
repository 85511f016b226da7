import type { Msg, NatsConnection, Subscription } from "@nats-io/transport-node";
import { ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { describeIssues, type ToolReply, toolRequest } from "@orderline/contracts";
import { createLogger, type Logger, type Metrics } from "@orderline/telemetry";
import type { z } from "zod";
import type { HandlerContext, RequestHandler, ToolHandler } from "./handler.ts";
import { errorReply, failure, INTERNAL_ERROR_MESSAGE, invalidRequest } from "./reply.ts";
import { extractTraceContext, messagingAttributes } from "./trace-headers.ts";

export type ServeToolsOptions = {
  /** Service name, e.g. "menu-service": default queue group, logs and span attributes. */
  service: string;
  /** Queue group shared by replicas; defaults to `service`. */
  queue?: string;
  /**
   * Prepended to every handler's subject. Leave unset when subjects are already complete (e.g. built with
   * `toolSubject(name, prefix)`); set it when they are not (`toolSubject(name)` + prefix here).
   */
  subjectPrefix?: string;
  /** Tool handlers: requests are `{ envelope, args }`. */
  handlers?: readonly ToolHandler[];
  /** Handlers of requests that are not tool calls (no envelope), served with the same reply and error path. */
  requests?: readonly RequestHandler[];
  logger?: Logger;
  /** When given: `orderline_tool_duration_seconds` histogram and `orderline_tool_requests_total` counter. */
  metrics?: Metrics;
  /** Most handlers running at once across all subjects; further requests wait in memory. Default 64. */
  concurrency?: number;
};

export type ToolServer = {
  /** Unsubscribes (draining what NATS already delivered), then waits for every in-flight and queued handler. */
  stop(): Promise<void>;
  /** Requests answered so far, per full subject (any outcome). */
  served: Map<string, number>;
};

type Bound = {
  subject: string;
  tool: string;
  parse: (raw: unknown) => z.ZodSafeParseResult<unknown>;
  /** How an invalid request is described: "Invalid arguments" without the "args." prefix, or "Invalid request". */
  invalid: { label: string; strip?: string };
  /** The call a tool request runs for (logs and span attributes). */
  scope: (data: unknown) => { callSid: string; locationId: string } | undefined;
  invoke: (data: unknown, ctx: HandlerContext) => Promise<unknown>;
  result: z.ZodType | undefined;
};

const tracer = trace.getTracer("@orderline/nats");

/**
 * Serves tool handlers over NATS request/reply in a queue group, so replicas share the load. Each tool request
 * is `{ envelope, args }` JSON (a `requests` handler's body is its own schema); the reply is
 * `{ ok: true, result }` or `{ ok: false, error: { code, message, details? } }` (reply.ts).
 */
export function serveTools(nc: NatsConnection, opts: ServeToolsOptions): ToolServer {
  const logger = opts.logger ?? createLogger({ service: opts.service });
  const queue = opts.queue ?? opts.service;
  const concurrency = Math.max(1, opts.concurrency ?? 64);
  const duration = opts.metrics?.histogram({
    name: "orderline_tool_duration_seconds",
    help: "Time to answer a tool request over NATS, by tool and outcome (ok or error code).",
    labelNames: ["tool", "outcome"] as const,
  });
  const requests = opts.metrics?.counter({
    name: "orderline_tool_requests_total",
    help: "Tool requests answered over NATS, by tool and outcome (ok or error code).",
    labelNames: ["tool", "outcome"] as const,
  });

  const served = new Map<string, number>();
  const seen = new Set<string>();
  const claim = (handlerSubject: string): string => {
    const subject = `${opts.subjectPrefix ?? ""}${handlerSubject}`;
    if (seen.has(subject)) throw new Error(`serveTools: two handlers for subject ${subject}`);
    seen.add(subject);
    served.set(subject, 0);
    return subject;
  };
  const bound: Bound[] = [
    ...(opts.handlers ?? []).map((handler): Bound => {
      const subject = claim(handler.subject);
      const request = toolRequest(handler.args);
      return {
        subject,
        tool: handler.tool ?? subject.slice(subject.lastIndexOf(".") + 1),
        parse: (raw) => request.safeParse(raw),
        invalid: { label: "Invalid arguments", strip: "args" },
        scope: (data) => {
          const { envelope } = data as z.output<typeof request>;
          return { callSid: envelope.callSid, locationId: envelope.locationId };
        },
        invoke: (data, ctx) => {
          const { envelope, args } = data as z.output<typeof request>;
          return Promise.resolve(handler.handle(args, envelope, ctx));
        },
        result: handler.result,
      };
    }),
    ...(opts.requests ?? []).map((handler): Bound => {
      const subject = claim(handler.subject);
      return {
        subject,
        tool: handler.tool,
        parse: (raw) => handler.request.safeParse(raw),
        invalid: { label: "Invalid request" },
        scope: () => undefined,
        invoke: (data, ctx) => Promise.resolve(handler.handle(data, ctx)),
        result: handler.result,
      };
    }),
  ];

  let running = 0;
  const backlog: { b: Bound; msg: Msg }[] = [];
  let idleWaiters: (() => void)[] = [];

  const admit = (b: Bound, msg: Msg) => {
    if (running >= concurrency) {
      backlog.push({ b, msg });
      return;
    }
    running++;
    void handle(b, msg).finally(() => {
      running--;
      const next = backlog.shift();
      if (next) admit(next.b, next.msg);
      else if (running === 0) {
        for (const w of idleWaiters) w();
        idleWaiters = [];
      }
    });
  };

  const handle = async (b: Bound, msg: Msg): Promise<void> => {
    const started = performance.now();
    const parent = extractTraceContext(msg.headers, ROOT_CONTEXT);
    await tracer.startActiveSpan(
      `serve ${b.tool}`,
      {
        kind: SpanKind.SERVER,
        attributes: { ...messagingAttributes("process", b.subject, { bodySize: msg.data.length, group: queue }), "orderline.tool": b.tool },
      },
      parent,
      async (span) => {
        const reply = await execute(b, msg, span);
        const outcome = reply.ok ? "ok" : reply.error.code;
        span.setAttribute("orderline.outcome", outcome);
        let body: string;
        try {
          body = JSON.stringify(reply);
        } catch (err) {
          logger.error({ err, tool: b.tool }, "tool result is not serialisable to JSON");
          body = JSON.stringify(failure("internal", INTERNAL_ERROR_MESSAGE));
        }
        if (msg.reply) {
          try {
            msg.respond(body);
          } catch (err) {
            logger.warn({ err, tool: b.tool }, "could not send tool reply");
          }
        } else {
          logger.warn({ tool: b.tool, subject: b.subject }, "tool request without a reply subject ignored");
        }
        served.set(b.subject, (served.get(b.subject) ?? 0) + 1);
        const seconds = (performance.now() - started) / 1000;
        duration?.observe({ tool: b.tool, outcome }, seconds);
        requests?.inc({ tool: b.tool, outcome });
        span.end();
      },
    );
  };

  const execute = async (b: Bound, msg: Msg, span: Span): Promise<ToolReply<unknown>> => {
    let raw: unknown;
    try {
      raw = msg.json();
    } catch {
      return failure("invalid_arguments", "The request is not valid JSON.");
    }
    const parsed = b.parse(raw);
    if (!parsed.success) return invalidRequest(parsed.error.issues, b.invalid);
    const scope = b.scope(parsed.data);
    if (scope) span.setAttributes({ "orderline.call_sid": scope.callSid, "orderline.location_id": scope.locationId });
    const log = logger.child({ tool: b.tool, ...scope });
    const ctx: HandlerContext = { tool: b.tool, subject: b.subject, logger: log, span };
    try {
      const result = await b.invoke(parsed.data, ctx);
      if (b.result) {
        const checked = b.result.safeParse(result);
        if (!checked.success) {
          log.error({ issues: describeIssues(checked.error.issues) }, "tool result does not match its schema");
          span.setStatus({ code: SpanStatusCode.ERROR, message: "result does not match schema" });
          return failure("internal", INTERNAL_ERROR_MESSAGE);
        }
        return { ok: true, result: checked.data };
      }
      return { ok: true, result };
    } catch (err) {
      return errorReply(err, log, span);
    }
  };

  const subs: Subscription[] = bound.map((b) =>
    nc.subscribe(b.subject, {
      queue,
      callback: (err, msg) => {
        if (err) {
          logger.error({ err, subject: b.subject }, "tool subscription error");
          return;
        }
        admit(b, msg);
      },
    }),
  );
  logger.info({ queue, subjects: bound.map((b) => b.subject) }, "serving tools");

  let stopping: Promise<void> | undefined;
  return {
    served,
    stop() {
      stopping ??= (async () => {
        await Promise.all(
          subs.map(async (s) => {
            if (s.isClosed()) return;
            try {
              await s.drain();
            } catch (err) {
              if (!nc.isClosed()) logger.warn({ err }, "could not drain tool subscription");
            }
          }),
        );
        if (running > 0 || backlog.length > 0) await new Promise<void>((resolve) => idleWaiters.push(resolve));
        logger.info({ served: Object.fromEntries(served) }, "stopped serving tools");
      })();
      return stopping;
    },
  };
}
