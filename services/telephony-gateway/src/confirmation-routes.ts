import { propagation, context } from "@opentelemetry/api";
import { confirmationSessionId, type ToolResult } from "@orderline/contracts";
import type { Database } from "@orderline/db";
import express from "express";
import type { Kysely } from "kysely";
import { connectTwiml } from "./conversation/connect-twiml.ts";
import { effectiveSettings } from "./conversation/settings.ts";
import { openTextCall, type TextCallDeps } from "./conversation/text-call.ts";
import { confirmationGreeting, confirmationTrouble } from "./domain/confirmation-instructions.ts";
import { findLocationById, recordCallStart } from "./repositories/calls.ts";
import { newCallSession } from "./state/new-session.ts";
import type { CallSession } from "./state/session.ts";
import { hangup, langOf, sayAndHangup } from "./twiml.ts";
import { sendTwiml, twilioParam } from "./twilio-http.ts";

export interface ConfirmationRouteDeps extends TextCallDeps {
  db: Kysely<Database>;
  hints: (session: CallSession) => Promise<string[]>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * `POST /voice/confirmation/:orderId` (signed): the worker's confirmation call reached a person (AMD said human)
 * and redirected the call here. The call gets a session like an inbound one — the location's transport and engine
 * — keyed to the order's confirmation session, with the confirmation tool set and a greeting built from the order
 * as the order service reads it back (the first review also hands the order to this call). An order that is not
 * CALLED any more (confirmed, failed) is not talked about: the call hangs up.
 */
export function confirmationRouter(deps: ConfirmationRouteDeps): express.Router {
  const { config, db, store, logger } = deps;
  const connectDeps = { ...deps, publicBaseUrl: config.PUBLIC_BASE_URL };
  const router = express.Router();

  router.post("/voice/confirmation/:orderId", async (req, res) => {
    const callSid = twilioParam(req, "CallSid");
    const orderId = String(req.params.orderId);
    // Outbound: From is our number, To the customer.
    const ours = twilioParam(req, "From");
    const customerPhone = twilioParam(req, "To");
    if (!callSid || !ours || !customerPhone || !UUID.test(orderId)) return void res.status(400).type("text/plain").send("CallSid, From, To and an order id are required\n");
    const existing = await store.getSession(callSid);
    if (existing) return void sendTwiml(res, await connectTwiml(connectDeps, existing, { kind: "greeting" }));
    const order = await db
      .selectFrom("orders")
      .select(["location_id", "confirmation_state", "customer_name", "customer_phone"])
      .where("id", "=", orderId)
      .executeTakeFirst();
    if (order?.confirmation_state !== "called" || order.customer_phone !== customerPhone) {
      logger.warn({ callSid, orderId, state: order?.confirmation_state ?? null }, "confirmation call for an order that is not being called: hanging up");
      return void sendTwiml(res, hangup());
    }
    const location = await findLocationById(db, order.location_id, ours);
    if (!location) return void sendTwiml(res, hangup());
    const { maxConcurrentCalls: _m, settings, ...place } = location;
    const carrier: Record<string, string> = {};
    propagation.inject(context.active(), carrier);
    const draft = newCallSession({
      callSid,
      location: { ...place, conversation: effectiveSettings(settings, location.language, config) },
      from: ours,
      callerPhone: customerPhone,
      to: customerPhone,
      customer: { name: order.customer_name, lastOrderSummary: null },
      traceparent: carrier.traceparent ?? null,
      orderSessionId: confirmationSessionId(orderId),
      confirmation: { orderId, greeting: "" },
    });
    const reply = await openTextCall(deps, draft).tools.request("review_order", {}, `review-${callSid}`).catch(() => null);
    if (!reply?.ok) {
      logger.error({ callSid, orderId, error: reply && !reply.ok ? reply.error.code : "unreachable" }, "confirmation call: the order service could not read the order");
      const lang = langOf(location.language);
      return void sendTwiml(res, sayAndHangup(lang, confirmationTrouble(lang)));
    }
    const review = reply.result as ToolResult<"review_order">;
    const greeting = confirmationGreeting(langOf(draft.language), {
      customerName: order.customer_name,
      locationName: location.name,
      items: review.itemsSpeech,
      totalCents: review.cart.totalCents,
      unmatched: review.unmatched,
    });
    const { created, session } = await store.createSession({ ...draft, confirmation: { orderId, greeting } });
    if (created) {
      await recordCallStart(db, { callSid, locationId: location.id, from: ours, to: customerPhone, direction: "outbound" });
      await store.appendEvents(callSid, [
        { type: "call_started", at: session.startedAt, data: { direction: "outbound", purpose: "confirmation", orderId, transport: session.transport, engine: session.engine } },
      ]);
    }
    logger.info({ callSid, orderId, transport: session.transport, engine: session.engine }, "confirmation call connected");
    sendTwiml(res, await connectTwiml(connectDeps, session, { kind: "greeting" }));
  });

  return router;
}
