import { type Context, context, ROOT_CONTEXT, type Span, SpanStatusCode, trace } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";

// Used directly rather than through the global propagation API so a context stored as text (a Redis session, a
// BullMQ job) is continued even in a process that has not called initTracing.
const propagator = new W3CTraceContextPropagator();

type Carrier = Record<string, string>;
const getter = { keys: (c: Carrier) => Object.keys(c), get: (c: Carrier, key: string) => c[key] };
const setter = {
  set: (c: Carrier, key: string, value: string) => {
    c[key] = value;
  },
};

/** The W3C `traceparent` (and `tracestate` when there is one) of `ctx`'s span; empty without a valid span. */
export function traceCarrier(ctx: Context = context.active()): Carrier {
  const carrier: Carrier = {};
  propagator.inject(ctx, carrier, setter);
  return carrier;
}

/** The W3C `traceparent` of `ctx`'s span (default: the active one), or null when there is no valid span. */
export function traceparentOf(ctx: Context = context.active()): string | null {
  return traceCarrier(ctx)["traceparent"] ?? null;
}

/**
 * The context a stored `traceparent` (or carrier of `traceparent`/`tracestate`) names, on top of `base`
 * (default: the root context, so a stored call context is never mixed with whatever happens to be active).
 * Nothing or an unparsable value gives `base` back.
 */
export function contextFromTraceparent(stored: string | Carrier | null | undefined, base: Context = ROOT_CONTEXT): Context {
  if (!stored) return base;
  return propagator.extract(base, typeof stored === "string" ? { traceparent: stored } : stored, getter);
}

/**
 * The parent for work done for something whose trace is `fallback` (e.g. a call): the active context when its
 * span is in that same trace (a webhook's or a turn's span, so the work nests under it), otherwise `fallback`.
 */
export function activeWithin(fallback: Context): Context {
  const active = trace.getSpanContext(context.active());
  const wanted = trace.getSpanContext(fallback);
  if (active && (!wanted || active.traceId === wanted.traceId)) return context.active();
  return fallback;
}

/** Marks a span failed by `err`: the exception recorded, status ERROR with its message. */
export function failSpan(span: Span, err: unknown, message: string = err instanceof Error ? err.message : String(err)): void {
  span.recordException(err instanceof Error ? err : new Error(String(err)));
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}
