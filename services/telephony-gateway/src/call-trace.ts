import { type Context, context, ROOT_CONTEXT, type Span, trace } from "@opentelemetry/api";
import { activeWithin, contextFromTraceparent, httpServerSpans } from "@orderline/telemetry";
import type express from "express";
import type { CallSession } from "./state/session.ts";
import type { CallStore } from "./state/store.ts";
import { twilioParam } from "./twilio-http.ts";

const tracer = trace.getTracer("telephony-gateway");

/**
 * One trace per call. The incoming webhook's span is the call's root; its `traceparent` is kept in the call's
 * Redis session, so every later piece of the call — another webhook (any pod), the media stream, a relay turn,
 * a tool call, the finalize job — becomes a span of that trace.
 */
export function callContext(session: Pick<CallSession, "traceparent">): Context {
  return contextFromTraceparent(session.traceparent);
}

/** Runs `fn` in the call's trace: under the active span when it already belongs to the call, else under the root. */
export function withinCall<T>(session: Pick<CallSession, "traceparent">, fn: () => T): T {
  return context.with(activeWithin(callContext(session)), fn);
}

/** A span of the call (a stream, a turn) under the active span of the call or its root; its context for children. */
export function startCallSpan(session: Pick<CallSession, "traceparent" | "callSid">, name: string, attributes: Record<string, string> = {}): { span: Span; ctx: Context } {
  const parent = activeWithin(callContext(session));
  const span = tracer.startSpan(name, { attributes: { "orderline.call_sid": session.callSid, ...attributes } }, parent);
  return { span, ctx: trace.setSpan(parent, span) };
}

/**
 * A SERVER span for every Twilio webhook: `/voice/incoming` starts the call's trace, any other webhook with a
 * `CallSid` is a child of the call's root (its traceparent read from the session, bounded: a slow Redis gives
 * the webhook a trace of its own rather than holding it up).
 */
export function webhookSpans(store: CallStore) {
  return httpServerSpans<express.Request>({
    parent: async (req) => {
      const callSid = twilioParam(req, "CallSid");
      if (!callSid || req.path === "/voice/incoming") return ROOT_CONTEXT;
      return contextFromTraceparent(await store.traceparent(callSid));
    },
    attributes: (req) => {
      const callSid = twilioParam(req, "CallSid");
      return callSid ? { "orderline.call_sid": callSid } : {};
    },
  });
}
