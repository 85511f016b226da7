import { headers, type Msg, type NatsConnection } from "@nats-io/transport-node";
import { context, ROOT_CONTEXT, SpanKind, trace } from "@opentelemetry/api";
import { failSpan } from "@orderline/telemetry";
import { extractTraceContext, injectTraceHeaders, messagingAttributes } from "./trace-headers.ts";

const tracer = trace.getTracer("@orderline/nats");

/**
 * Publishes an event (core NATS, fire-and-forget) as JSON with the active trace context in its headers, under a
 * PRODUCER span `publish <name>`: whoever consumes it with `consumeEvent` continues the trace (an order's
 * `submitted` event → the worker's receipt job stays in the call's trace). `name` labels the span; the subject
 * may hold ids. Throws what `nc.publish` throws (e.g. the connection is closed).
 */
export function publishEvent(nc: NatsConnection, subject: string, event: unknown, opts: { name: string }): void {
  const body = JSON.stringify(event);
  const span = tracer.startSpan(`publish ${opts.name}`, { kind: SpanKind.PRODUCER, attributes: messagingAttributes("publish", subject, { bodySize: Buffer.byteLength(body) }) });
  try {
    nc.publish(subject, body, { headers: injectTraceHeaders(headers(), trace.setSpan(context.active(), span)) });
  } catch (err) {
    failSpan(span, err);
    throw err;
  } finally {
    span.end();
  }
}

/**
 * Runs `handle` for a received event inside a CONSUMER span `process <name>` whose parent is the trace context
 * of the event's headers (a new trace when it has none); the span ends when `handle`'s promise settles.
 */
export function consumeEvent<T>(msg: Msg, opts: { name: string; group?: string }, handle: () => Promise<T>): Promise<T> {
  const attributes = messagingAttributes("process", msg.subject, { bodySize: msg.data.length, group: opts.group });
  return tracer.startActiveSpan(`process ${opts.name}`, { kind: SpanKind.CONSUMER, attributes }, extractTraceContext(msg.headers, ROOT_CONTEXT), async (span) => {
    try {
      return await handle();
    } catch (err) {
      failSpan(span, err);
      throw err;
    } finally {
      span.end();
    }
  });
}
