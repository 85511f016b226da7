import type { Database } from "@orderline/db";
import type { Counter, Logger } from "@orderline/telemetry";
import type express from "express";
import type { Kysely } from "kysely";
import type { PublishConfirmation } from "../confirmation-events.ts";
import { failureReason } from "../domain/confirmation-failures.ts";
import { confirmationVoicemail } from "../domain/messages.ts";
import { failCalled, loadConfirmationOrder } from "../repositories/confirmations.ts";
import { attemptOf, escapeXml, param, recordCallStatus, signedTwilioRouter, twiml } from "./twilio-routes.ts";

export interface ConfirmationTwilioDeps {
  db: Kysely<Database>;
  authToken: string;
  publicBaseUrl: string;
  /** The gateway's public URL: a person who answers is handed to its conversation (`/voice/confirmation/:orderId`). */
  conversationBaseUrl: string | undefined;
  outboundPerMinuteMicros: number;
  publish: PublishConfirmation;
  calls: Counter<"outcome">;
  logger: Logger;
}

/**
 * Twilio's webhooks of a confirmation call: the Url request (with `AnsweredBy`, docs/PROTOCOLS.md §11) — a
 * machine gets a short voicemail, a person is redirected to the gateway's conversation — and the final status,
 * which fails an order still CALLED (no answer, busy, voicemail, hung up) and clears its lock.
 */
export function confirmationTwilioRouter(deps: ConfirmationTwilioDeps): express.Router {
  const { db, logger } = deps;
  const router = signedTwilioRouter(deps);

  router.post("/confirmation/:attemptId/voice", async (req, res) => {
    const attempt = await attemptOf(db, req);
    const order = attempt?.kind === "confirmation_call" ? await loadConfirmationOrder(db, attempt.order_id) : null;
    if (!attempt || !order) return void twiml(res, "<Hangup/>");
    const answeredBy = param(req, "AnsweredBy");
    await db.updateTable("order_notifications").set({ answered_by: answeredBy }).where("id", "=", attempt.id).execute();
    if (answeredBy === "fax") return void twiml(res, "<Hangup/>");
    const lang = escapeXml(order.location.language);
    if (answeredBy?.startsWith("machine")) {
      const text = confirmationVoicemail({ customerName: order.customer_name, locationName: order.location.name, publicPhone: order.location.publicPhone, language: order.location.language });
      return void twiml(res, `<Say language="${lang}">${escapeXml(text)}</Say><Hangup/>`);
    }
    if (order.confirmation_state !== "called" || !deps.conversationBaseUrl) {
      if (!deps.conversationBaseUrl) logger.error({ orderId: order.id }, "confirmation call answered but CONVERSATION_BASE_URL is not set");
      return void twiml(res, "<Hangup/>");
    }
    twiml(res, `<Redirect method="POST">${escapeXml(`${deps.conversationBaseUrl}/voice/confirmation/${order.id}`)}</Redirect>`);
  });

  router.post("/confirmation/:attemptId/status", async (req, res) => {
    const attempt = await attemptOf(db, req);
    if (attempt?.kind !== "confirmation_call") return void res.status(204).end();
    const recorded = await recordCallStatus(db, attempt, req, deps.outboundPerMinuteMicros);
    if (!recorded) return void res.status(204).end();
    const { state } = recorded;
    if (recorded.changed) deps.calls.inc({ outcome: state });
    const failed = await failCalled(db, attempt.order_id, failureReason(state));
    deps.publish(failed);
    logger.info({ attemptId: attempt.id, orderId: attempt.order_id, state, failed: failed !== null }, "confirmation call ended");
    res.status(204).end();
  });

  return router;
}
