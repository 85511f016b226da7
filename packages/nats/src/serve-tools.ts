import type { Msg, NatsConnection, Subscription } from "@nats-io/transport-node";
import { ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { type RequestEnvelope, type ToolError, type ToolErrorCode, ToolFailure, type ToolReply, toolRequest } from "@orderline/contracts";
import { createLogger, type Logger, type Metrics } from "@orderline/telemetry";
import type { z } from "zod";
import { describeIssues } from "./errors.ts";
import type { HandlerContext, ToolHandler } from "./handler.ts";
import { extractTraceContext } from "./trace-headers.ts";

/** What the model hears when something broke on our side; the real error is only logged. */
export const INTERNAL_ERROR_MESSAGE = "Sorry, something went wrong on our side. Please try that again in a moment.";

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
  handlers: readonly ToolHandler[];
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
  handler: ToolHandler;
  subject: string;
  tool: string;
  request: z.ZodType<{ envelope: RequestEnvelope; args: unknown }>;
};

const tracer = trace.getTracer("@orderline/nats");

/**
 * Serves tool handlers over NATS request/reply in a queue group, so replicas share the load. Each request is
 * `{ envelope, args }` JSON; the reply is `{ ok: true, result }` or `{ ok: false, error: { code, message, details? } }`.
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
  const bound: Bound[] = opts.handlers.map((handler) => {
    const subject = `${opts.subjectPrefix ?? ""}${handler.subject}`;
    if (seen.has(subject)) throw new Error(`serveTools: two handlers for subject ${subject}`);
    seen.add(subject);
    served.set(subject, 0);
    return { handler, subject, tool: handler.tool ?? subject.slice(subject.lastIndexOf(".") + 1), request: toolRequest(handler.args) };
  });

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
      { kind: SpanKind.SERVER, attributes: { "messaging.system": "nats", "messaging.destination.name": b.subject, "orderline.tool": b.tool } },
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
    const parsed = b.request.safeParse(raw);
    if (!parsed.success) {
      const issues = describeIssues(parsed.error.issues).map((i) => ({
        // The model knows its arguments by name: "quantity", not "args.quantity".
        path: i.path === "args" ? "(arguments)" : i.path.startsWith("args.") ? i.path.slice(5) : i.path,
        message: i.message,
      }));
      const message = `Invalid arguments: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`;
      return failure("invalid_arguments", message, { issues });
    }
    const { envelope, args } = parsed.data;
    span.setAttributes({ "orderline.call_sid": envelope.callSid, "orderline.location_id": envelope.locationId });
    const log = logger.child({ tool: b.tool, callSid: envelope.callSid, locationId: envelope.locationId });
    const ctx: HandlerContext = { tool: b.tool, subject: b.subject, logger: log, span };
    try {
      const result = await b.handler.handle(args, envelope, ctx);
      if (b.handler.result) {
        const checked = b.handler.result.safeParse(result);
        if (!checked.success) {
          log.error({ issues: describeIssues(checked.error.issues) }, "tool result does not match its schema");
          span.setStatus({ code: SpanStatusCode.ERROR, message: "result does not match schema" });
          return failure("internal", INTERNAL_ERROR_MESSAGE);
        }
        return { ok: true, result: checked.data };
      }
      return { ok: true, result };
    } catch (err) {
      if (err instanceof ToolFailure) {
        span.setAttribute("orderline.error_code", err.code);
        return { ok: false, error: err.toJSON() };
      }
      log.error({ err }, "tool handler failed");
      span.recordException(err instanceof Error ? err : new Error(String(err)));
      span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.name : "error" });
      return failure("internal", INTERNAL_ERROR_MESSAGE);
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

function failure(code: ToolErrorCode, message: string, details?: Record<string, unknown>): { ok: false; error: ToolError } {
  return { ok: false, error: details ? { code, message, details } : { code, message } };
}
