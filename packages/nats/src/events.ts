import { headers, type Msg, type NatsConnection } from "@nats-io/transport-node";
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { extractTraceContext, injectTraceHeaders } from "./trace-headers.ts";

const tracer = trace.getTracer("@orderline/nats");

/**
 * Publishes an event (core NATS, fire-and-forget) as JSON with the active trace context in its headers, under a
 * PRODUCER span `publish <name>`: whoever consumes it with `consumeEvent` continues the trace (an order's
 * `submitted` event → the worker's receipt job stays in the call's trace). `name` labels the span; the subject
 * may hold ids. Throws what `nc.publish` throws (e.g. the connection is closed).
 */
export function publishEvent(nc: NatsConnection, subject: string, event: unknown, opts: { name: string }): void {
  const span = tracer.startSpan(`publish ${opts.name}`, {
    kind: SpanKind.PRODUCER,
    attributes: { "messaging.system": "nats", "messaging.operation.name": "publish", "messaging.operation.type": "send", "messaging.destination.name": subject },
  });
  try {
    const body = JSON.stringify(event);
    span.setAttribute("messaging.message.body.size", Buffer.byteLength(body));
    nc.publish(subject, body, { headers: injectTraceHeaders(headers(), trace.setSpan(context.active(), span)) });
  } catch (err) {
    span.recordException(err instanceof Error ? err : new Error(String(err)));
    span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
    throw err;
  } finally {
    span.end();
  }
}

/**
 * Runs `handle` for a received event inside a CONSUMER span `process <name>` whose parent is the trace context
 * of the event's headers (a new trace when it has none); the span ends when `handle`'s promise settles.
 */
export async function consumeEvent<T>(msg: Msg, opts: { name: string; group?: string }, handle: () => Promise<T>): Promise<T> {
  const parent = extractTraceContext(msg.headers, ROOT_CONTEXT);
  return tracer.startActiveSpan(
    `process ${opts.name}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        "messaging.system": "nats",
        "messaging.operation.name": "process",
        "messaging.operation.type": "process",
        "messaging.destination.name": msg.subject,
        "messaging.message.body.size": msg.data.length,
        ...(opts.group ? { "messaging.consumer.group.name": opts.group } : {}),
      },
    },
    parent,
    async (span) => {
      try {
        return await handle();
      } catch (err) {
        span.recordException(err instanceof Error ? err : new Error(String(err)));
        span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
        throw err;
      } finally {
        span.end();
      }
    },
  );
}
