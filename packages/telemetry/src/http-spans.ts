import type { IncomingMessage, ServerResponse } from "node:http";
import { type Attributes, type Context, context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";

const tracer = trace.getTracer("@orderline/telemetry");

export type HttpSpanOptions<Req extends IncomingMessage> = {
  /**
   * The span's parent, e.g. the context of the call a Twilio webhook belongs to. Default: the W3C trace
   * context of the request's headers, else a new trace. A parent that throws or takes longer than
   * `parentTimeoutMs` gives a new trace: tracing never holds a request up.
   */
  parent?: (req: Req) => Context | Promise<Context>;
  /** Budget for `parent` (default 250 ms). */
  parentTimeoutMs?: number;
  /** Attributes known from the request (e.g. `orderline.call_sid`), read before the handler runs. */
  attributes?: (req: Req) => Attributes;
};

/**
 * Express-style middleware giving every request a SERVER span named `METHOD route` (the matched route
 * pattern when the router set one, e.g. `POST /v1/orders/:id/ready-call`, else the path), with the HTTP
 * semantic-convention attributes (`http.request.method`, `url.path`, `http.route`,
 * `http.response.status_code`), status ERROR on a 5xx. The handlers run inside the span, so their tool calls,
 * SQL and enqueued jobs are its children and their log lines carry its `trace_id`.
 */
export function httpServerSpans<Req extends IncomingMessage>(opts: HttpSpanOptions<Req> = {}) {
  const headersParent = (req: IncomingMessage) => propagation.extract(ROOT_CONTEXT, req.headers);
  return (req: Req, res: ServerResponse, next: (err?: unknown) => void): void => {
    void parentOf(req).then((parent) => {
      const method = req.method ?? "GET";
      const path = pathOf(req);
      const span = tracer.startSpan(
        `${method} ${path}`,
        { kind: SpanKind.SERVER, attributes: { "http.request.method": method, "url.path": path, ...opts.attributes?.(req) } },
        parent,
      );
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        const route = routeOf(req);
        if (route) {
          span.setAttribute("http.route", route);
          span.updateName(`${method} ${route}`);
        }
        span.setAttribute("http.response.status_code", res.statusCode);
        if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${res.statusCode}` });
        if (!res.writableFinished) span.setAttribute("orderline.aborted", true);
        span.end();
      };
      res.once("finish", end);
      res.once("close", end);
      context.with(trace.setSpan(parent, span), () => next());
    });
  };

  async function parentOf(req: Req): Promise<Context> {
    if (!opts.parent) return headersParent(req);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<Context>((resolve) => {
      timer = setTimeout(() => resolve(ROOT_CONTEXT), opts.parentTimeoutMs ?? 250);
    });
    try {
      return await Promise.race([Promise.resolve().then(() => opts.parent!(req)), late]);
    } catch {
      return ROOT_CONTEXT;
    } finally {
      clearTimeout(timer);
    }
  }
}

function pathOf(req: IncomingMessage): string {
  const express = req as IncomingMessage & { originalUrl?: string };
  return (express.originalUrl ?? req.url ?? "/").split("?")[0] ?? "/";
}

/** The matched route pattern (Express sets `req.route` and `req.baseUrl`), when there is one. */
function routeOf(req: IncomingMessage): string | undefined {
  const r = req as IncomingMessage & { route?: { path?: unknown }; baseUrl?: string };
  return typeof r.route?.path === "string" ? `${r.baseUrl ?? ""}${r.route.path}` : undefined;
}
