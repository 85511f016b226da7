import type { Database } from "@orderline/db";
import type { Counter, Logger } from "@orderline/telemetry";
import express, { type NextFunction, type Request, type Response } from "express";
import type { Kysely } from "kysely";
import twilio from "twilio";
import { type ReadyCallFacts, readyCallSpeech, readyVoicemail, surveyScore } from "../domain/messages.ts";
import { finishNotification, getNotification, loadNotifiableOrder, setReadyCallOutcome } from "../repositories/orders.ts";
import { recordSurveyReply } from "../repositories/surveys.ts";
import { attemptStateOf } from "../twilio-client.ts";

export interface TwilioRouteDeps {
  db: Kysely<Database>;
  authToken: string;
  publicBaseUrl: string;
  outboundPerMinuteMicros: number;
  callsPlaced: Counter<"outcome">;
  logger: Logger;
}

const OPT_OUT = new Set(["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"]);
const OPT_IN = new Set(["START", "YES", "UNSTOP"]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => `&${{ "<": "lt", ">": "gt", "&": "amp", '"': "quot", "'": "apos" }[c]};`);
const twiml = (res: Response, body: string) => res.type("text/xml").send(`<?xml version="1.0" encoding="UTF-8"?><Response>${body}</Response>`);
const param = (req: Request, name: string): string | null => {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof v === "string" ? v : null;
};

/** Twilio signature over PUBLIC_BASE_URL + path + query and the form parameters; 403 otherwise. */
function signed(deps: TwilioRouteDeps) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const signature = req.header("x-twilio-signature");
    const params = req.body && typeof req.body === "object" ? (req.body as Record<string, unknown>) : {};
    if (!signature || !twilio.validateRequest(deps.authToken, signature, deps.publicBaseUrl + req.originalUrl, params)) {
      deps.logger.warn({ path: req.path, hasSignature: Boolean(signature) }, "webhook rejected: bad Twilio signature");
      res.status(403).type("text/plain").send(signature ? "invalid Twilio signature\n" : "missing X-Twilio-Signature header\n");
      return;
    }
    next();
  };
}

/** Twilio's webhooks for the worker: order-ready call TwiML (by AMD result) and status, inbound SMS STOP/START. */
export function twilioRouter(deps: TwilioRouteDeps): express.Router {
  const { db, logger } = deps;
  const router = express.Router();
  router.use(express.urlencoded({ extended: false, limit: "64kb" }));
  router.use(signed(deps));

  router.post("/order-ready/:attemptId/voice", async (req, res) => {
    const attemptId = String(req.params.attemptId);
    const attempt = UUID.test(attemptId) ? await getNotification(db, attemptId) : null;
    const order = attempt ? await loadNotifiableOrder(db, attempt.order_id) : null;
    if (!attempt || !order) return void twiml(res, "<Hangup/>");
    const answeredBy = param(req, "AnsweredBy");
    const facts: ReadyCallFacts = {
      customerName: order.customerName,
      orderNumber: order.orderNumber,
      locationName: order.location.name,
      orderType: order.orderType,
      language: order.location.language,
    };
    const lang = escapeXml(order.location.language);
    if (answeredBy === "fax") return void twiml(res, "<Hangup/>");
    const text = answeredBy?.startsWith("machine") ? readyVoicemail(facts) : readyCallSpeech(facts);
    await db.updateTable("order_notifications").set({ answered_by: answeredBy }).where("id", "=", attempt.id).execute();
    twiml(res, `<Say language="${lang}">${escapeXml(text)}</Say><Hangup/>`);
  });

  router.post("/order-ready/:attemptId/status", async (req, res) => {
    const attemptId = String(req.params.attemptId);
    const attempt = UUID.test(attemptId) ? await getNotification(db, attemptId) : null;
    const callStatus = param(req, "CallStatus") ?? "";
    const answeredBy = param(req, "AnsweredBy") ?? attempt?.answered_by ?? null;
    const state = attemptStateOf(callStatus, answeredBy);
    if (!attempt || !state) return void res.status(204).end();
    const duration = Number(param(req, "CallDuration") ?? "0") || 0;
    const changed = await finishNotification(db, attempt.id, {
      state,
      sid: param(req, "CallSid"),
      answeredBy,
      durationSeconds: duration,
      costMicros: Math.ceil(duration / 60) * deps.outboundPerMinuteMicros,
    });
    if (!changed) return void res.status(204).end();
    deps.callsPlaced.inc({ outcome: state });
    // A call whose dialling was never confirmed (the worker died) still gets its real outcome on the order.
    if (attempt.state === "unconfirmed" && (state === "answered" || state === "voicemail")) await setReadyCallOutcome(db, attempt.order_id, state, null);
    logger.info({ attemptId: attempt.id, orderId: attempt.order_id, state }, "order-ready call ended");
    res.status(204).end();
  });

  router.post("/sms/inbound", async (req, res) => {
    const from = param(req, "From");
    const to = param(req, "To");
    const keyword = (param(req, "Body") ?? "").trim().toUpperCase();
    const optOut = OPT_OUT.has(keyword) ? true : OPT_IN.has(keyword) ? false : null;
    if (optOut !== null && from && to) {
      const brand = await db
        .selectFrom("phone_numbers as p")
        .innerJoin("locations as l", "l.id", "p.location_id")
        .select("l.brand_id")
        .where("p.e164", "=", to)
        .executeTakeFirst();
      if (brand && /^\+[1-9]\d{6,14}$/.test(from)) {
        await db
          .insertInto("customers")
          .values({ brand_id: brand.brand_id, phone: from, sms_opt_out: optOut })
          .onConflict((oc) => oc.constraint("customers_brand_phone_key").doUpdateSet({ sms_opt_out: optOut }))
          .execute();
        logger.info({ optOut, messageSid: param(req, "MessageSid") }, "customer messaging preference recorded");
      } else logger.warn({ messageSid: param(req, "MessageSid") }, "STOP/START for a number that is not ours, or a sender that is not E.164");
    }
    // A 1–5 reply answers the newest survey sent to this caller from this number (48 h).
    const score = surveyScore(param(req, "Body") ?? "");
    if (score !== null && from && to) {
      const recorded = await recordSurveyReply(db, { from, to, score, at: new Date() });
      logger.info({ recorded, messageSid: param(req, "MessageSid") }, recorded ? "survey reply recorded" : "a 1–5 reply with no survey awaiting it");
    }
    // Twilio answers STOP/START itself on long codes; nothing more to say.
    twiml(res, "");
  });

  return router;
}
