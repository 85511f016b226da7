import { SpanStatusCode, trace } from "@opentelemetry/api";
import { speakablePhone } from "@orderline/catalog";
import type { Database } from "@orderline/db";
import { type Logger, traceparentOf } from "@orderline/telemetry";
import express from "express";
import type { Kysely } from "kysely";
import { parsePhoneNumberFromString } from "libphonenumber-js";
import type { GatewayConfig } from "./env.ts";
import { webhookSpans } from "./call-trace.ts";
import type { CallFinalizer } from "./finalize.ts";
import type { GatewayMetrics } from "./metrics.ts";
import { findLocationByNumber, findReturningCustomer, recordCallStart, type RoutedLocation } from "./repositories/calls.ts";
import type { CallSession } from "./state/session.ts";
import type { CallStore } from "./state/store.ts";
import { twilioSignatureCheck } from "./twilio-signature.ts";
import { cartOfSummaryReply, cartSummary } from "./conversation/cart-summary.ts";
import { connectTwiml } from "./conversation/connect-twiml.ts";
import { effectiveSettings } from "./conversation/settings.ts";
import { newCallSession } from "./state/new-session.ts";
import { openTextCall, type TextCallDeps } from "./conversation/text-call.ts";
import { fallbackDial, hangup, langOf, sayAndHangup, texts } from "./twiml.ts";
import { sendTwiml, twilioParam } from "./twilio-http.ts";

export interface WebhookDeps extends TextCallDeps {
  config: GatewayConfig;
  db: Kysely<Database>;
  store: CallStore;
  finalizer: CallFinalizer;
  metrics: GatewayMetrics;
  logger: Logger;
  /** Speech hints (item names) of a call's location. */
  hints: (session: CallSession) => Promise<string[]>;
}

const TERMINAL_STATUSES = new Set(["completed", "busy", "failed", "no-answer", "canceled"]);
/** A stream whose heartbeat is older than this is considered gone (its pod died). */
const STALE_HEARTBEAT_MS = 30_000;
/** Locations seen recently, so the static fallback can still dial the store while Postgres is down. */
const ROUTE_CACHE_MAX = 10_000;

class DeadlineError extends Error {
  override readonly name = "DeadlineError";
}

function withDeadline<T>(p: Promise<T>, ms: number): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(t)),
    new Promise<never>((_, reject) => {
      t = setTimeout(() => reject(new DeadlineError(`no answer within ${ms} ms`)), ms);
    }),
  ]);
}

/** Every Twilio webhook: form bodies, the signature check, then the call routes (and `transportRoutes`). */
export function webhookRouter(deps: WebhookDeps, transportRoutes: express.Router[] = []): express.Router {
  const { config, db, store, finalizer, metrics, logger } = deps;
  const connectDeps = { ...deps, publicBaseUrl: config.PUBLIC_BASE_URL };
  const router = express.Router();
  const routeCache = new Map<string, RoutedLocation>();
  const rememberRoute = (to: string, loc: RoutedLocation) => {
    routeCache.delete(to);
    routeCache.set(to, loc);
    if (routeCache.size > ROUTE_CACHE_MAX) routeCache.delete(routeCache.keys().next().value!);
  };

  router.use(express.urlencoded({ extended: false, limit: "64kb" }));
  router.use(twilioSignatureCheck(config, metrics, logger));
  router.use(webhookSpans(store));
  for (const r of transportRoutes) router.use(r);


  router.post("/voice/incoming", async (req, res) => {
    const callSid = twilioParam(req, "CallSid");
    const to = twilioParam(req, "To");
    const from = twilioParam(req, "From") ?? null;
    if (!callSid || !to) {
      res.status(400).type("text/plain").send("CallSid and To are required\n");
      return;
    }
    try {
      const body = await withDeadline(incoming(callSid, to, from), config.WEBHOOK_DEADLINE_MS);
      sendTwiml(res, body);
    } catch (err) {
      // Postgres or Redis down (or too slow): a static answer, fast. Never leave the caller in silence.
      const cached = routeCache.get(to);
      const staff = cached?.staffNumbers[0] ?? cached?.publicPhone ?? config.FALLBACK_TRANSFER_NUMBER ?? null;
      logger.error({ err, callSid, to }, "incoming call fallback: state unavailable");
      metrics.calls.inc({ outcome: "fallback" });
      metrics.errors.inc({ kind: err instanceof DeadlineError ? "webhook_deadline" : "webhook_dependency" });
      trace.getActiveSpan()?.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
      sendTwiml(res, fallbackDial(cached ? langOf(cached.language) : "en", staff, cached ? to : null));
    }
  });

  async function incoming(callSid: string, to: string, from: string | null): Promise<string> {
    // Read every time: a location's conversation settings must apply to the very next call. A cache dropped by
    // Postgres NOTIFY was tried: a change committed a moment before a call could still be missed (the e2e suite
    // caught it), since the notification reaches the gateway asynchronously.
    const location = await findLocationByNumber(db, to);
    if (!location) {
      metrics.calls.inc({ outcome: "unknown_number" });
      logger.warn({ callSid, to }, "call to a number that routes to no location");
      await recordCallStart(db, { callSid, locationId: null, from, to, disposition: "rejected" });
      return sayAndHangup("en", texts("en").unknownNumber);
    }
    rememberRoute(to, location);
    const lang = langOf(location.language);
    const parsed = from ? parsePhoneNumberFromString(from) : undefined;
    const callerPhone = parsed?.isValid() ? parsed.number : null;
    // The limits (Redis) and the returning-customer lookup (Postgres) go out together.
    const customerLookup = callerPhone ? findReturningCustomer(db, location.brandId, callerPhone) : Promise.resolve(null);
    customerLookup.catch(() => {}); // awaited below unless the call is refused
    const admitted = await store.admit(callSid, callerPhone, location.id, {
      callerMaxConcurrent: config.CALLER_MAX_CONCURRENT_CALLS,
      callerMaxPerHour: config.CALLER_MAX_CALLS_PER_HOUR,
      anonymousMaxConcurrent: config.ANONYMOUS_MAX_CONCURRENT_CALLS,
      anonymousMaxPerHour: config.ANONYMOUS_MAX_CALLS_PER_HOUR,
      locationMaxConcurrent: location.maxConcurrentCalls,
    });
    if (admitted !== "ok") {
      metrics.calls.inc({ outcome: admitted });
      logger.info({ callSid, location: location.id, outcome: admitted }, "incoming call refused by limits");
      await recordCallStart(db, { callSid, locationId: location.id, from, to, disposition: "rejected" });
      const phone = speakablePhone(location.publicPhone);
      const t = texts(lang);
      return sayAndHangup(lang, admitted === "location_busy" ? t.locationBusy(location.name, phone) : t.callerLimited(location.name, phone));
    }
    const customer = await customerLookup;
    // The call's row is written off the request: the caller waits for nothing but the TwiML (the finalize
    // worker creates the row if this insert never lands).
    void recordCallStart(db, { callSid, locationId: location.id, from, to }).catch((err: unknown) => logger.error({ err, callSid }, "recording the call start failed"));
    const { maxConcurrentCalls: _m, settings: stored, ...place } = location;
    const conversation = effectiveSettings(stored, location.language, config);
    const session = newCallSession({ callSid, location: { ...place, conversation }, from, callerPhone, to, customer, traceparent: traceparentOf() });
    const start = { transport: session.transport, engine: session.engine };
    const { created, session: stored2 } = await store.createSession(session);
    // The event and the stream token share one Redis round trip (one connection: sent back to back, in order).
    const started = created
      ? store.appendEvents(callSid, [
          { type: "call_started", at: session.startedAt, data: { to, returningCustomer: customer !== null, transport: start.transport, engine: start.engine } },
        ])
      : Promise.resolve();
    const [twiml] = await Promise.all([connectTwiml(connectDeps, stored2, { kind: "greeting" }), started]);
    metrics.calls.inc({ outcome: "connected" });
    logger.info({ callSid, location: location.id, returning: customer !== null, transport: stored2.transport }, "incoming call connected");
    return twiml;
  }

  router.post("/voice/after-stream", async (req, res) => {
    const callSid = twilioParam(req, "CallSid");
    if (!callSid) {
      res.status(400).type("text/plain").send("CallSid is required\n");
      return;
    }
    const callStatus = twilioParam(req, "CallStatus");
    try {
      const session = await withDeadline(store.getSession(callSid), config.WEBHOOK_DEADLINE_MS);
      if (!session) return void sendTwiml(res, hangup());
      const lang = langOf(session.location.language);
      if (session.phase === "transferring") {
        // The REST transfer failed and the bridge closed the stream: dial the store from TwiML instead.
        await store.patch(callSid, { phase: "transferred" });
        return void sendTwiml(res, fallbackDial(lang, session.location.staffNumbers[0] ?? session.location.publicPhone, session.location.dialledNumber));
      }
      if (session.phase === "ended" || session.phase === "transferred" || (callStatus && TERMINAL_STATUSES.has(callStatus))) {
        await finalizer.finalize(callSid, { reason: "after_stream_end" }).catch((err: unknown) => logger.error({ err, callSid }, "finalize failed"));
        return void sendTwiml(res, hangup());
      }
      if (session.transport !== "media_stream") {
        // Realtime could not hold the call: it continues on a text transport, cart and transcript intact.
        const reply = await openTextCall(deps, session).tools.request("get_order_summary", {}, `fallback-${Date.now()}`).catch(() => null);
        const cart = reply ? cartOfSummaryReply(reply) : null;
        logger.info({ callSid, transport: session.transport, engine: session.engine }, "call continues on a text transport");
        return void sendTwiml(res, await connectTwiml(connectDeps, session, { kind: "fallback", cartSummary: cart ? cartSummary(cart) : null }));
      }
      // The stream died while the call is live (a pod was killed): any pod picks the call up on a new stream.
      if (session.resumes >= config.MAX_STREAM_RESUMES) {
        await store.patch(callSid, { phase: "transferred", transferReason: "technical_failure" });
        return void sendTwiml(res, fallbackDial(lang, session.location.staffNumbers[0] ?? session.location.publicPhone, session.location.dialledNumber));
      }
      await store.incr(callSid, "resumes");
      logger.info({ callSid, resumes: session.resumes + 1 }, "stream ended while the call is live: reconnecting");
      sendTwiml(res, await connectTwiml(connectDeps, session, { kind: "greeting" }));
    } catch (err) {
      logger.error({ err, callSid }, "after-stream failed: static fallback");
      metrics.errors.inc({ kind: "after_stream" });
      sendTwiml(res, fallbackDial("en", config.FALLBACK_TRANSFER_NUMBER ?? null, null));
    }
  });

  router.post("/voice/status", async (req, res) => {
    const callSid = twilioParam(req, "CallSid");
    const status = twilioParam(req, "CallStatus");
    res.status(204).end();
    if (!callSid || !status) return;
    try {
      // A hint: it may come twice, late or never. Only a terminal status with no live stream ends the call here.
      const session = await store.getSession(callSid);
      if (!session) return;
      await store.patch(callSid, { lastCallStatus: status });
      if (!TERMINAL_STATUSES.has(status)) return;
      const streamLive = session.heartbeatAt > 0 && Date.now() - session.heartbeatAt < STALE_HEARTBEAT_MS;
      if (streamLive && session.phase === "live") return;
      await finalizer.finalize(callSid, { reason: `status_${status}` });
    } catch (err) {
      logger.error({ err, callSid, status }, "status callback handling failed");
    }
  });

  router.post("/voice/stream-status", async (req, res) => {
    res.status(204).end();
    const callSid = twilioParam(req, "CallSid");
    const event = twilioParam(req, "StreamEvent");
    if (callSid && event === "stream-error") {
      logger.warn({ callSid, error: twilioParam(req, "StreamError") }, "twilio reported a stream error");
      await store.appendEvents(callSid, [{ type: "error", at: new Date().toISOString(), data: { phase: "stream", message: twilioParam(req, "StreamError") ?? null } }]).catch(() => {});
    }
  });

  return router;
}
