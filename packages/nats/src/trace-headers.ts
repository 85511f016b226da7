import { type Attributes, type Context, context, type TextMapGetter, type TextMapSetter } from "@opentelemetry/api";
import { headers as createHeaders, Match, type MsgHdrs } from "@nats-io/transport-node";
import { W3CTraceContextPropagator } from "@orderline/telemetry";

// Used directly rather than through the global propagation API so trace context crosses NATS even in a process
// that has not called initTracing (it then simply forwards what it received).
const propagator = new W3CTraceContextPropagator();

const setter: TextMapSetter<MsgHdrs> = {
  set: (carrier, key, value) => carrier.set(key, value),
};

const getter: TextMapGetter<MsgHdrs | undefined> = {
  keys: (carrier) => (carrier ? carrier.keys() : []),
  get: (carrier, key) => (carrier?.has(key, Match.IgnoreCase) ? carrier.get(key, Match.IgnoreCase) : undefined),
};

/** Writes W3C `traceparent`/`tracestate` of `ctx` (default: the active context) into NATS headers. */
export function injectTraceHeaders(headers: MsgHdrs = createHeaders(), ctx: Context = context.active()): MsgHdrs {
  propagator.inject(ctx, headers, setter);
  return headers;
}

/** The context carried by `traceparent`/`tracestate` NATS headers, on top of `ctx` (default: the active one). */
export function extractTraceContext(headers: MsgHdrs | undefined, ctx: Context = context.active()): Context {
  return propagator.extract(ctx, headers, getter);
}

/**
 * Messaging semantic-convention attributes of a NATS span: `request` and `publish` send, `process` consumes;
 * `destination` is the subject.
 */
export function messagingAttributes(operation: "request" | "publish" | "process", destination: string, opts: { bodySize?: number; group?: string | undefined } = {}): Attributes {
  return {
    "messaging.system": "nats",
    "messaging.operation.name": operation,
    "messaging.operation.type": operation === "process" ? "process" : "send",
    "messaging.destination.name": destination,
    ...(opts.bodySize === undefined ? {} : { "messaging.message.body.size": opts.bodySize }),
    ...(opts.group ? { "messaging.consumer.group.name": opts.group } : {}),
  };
}
