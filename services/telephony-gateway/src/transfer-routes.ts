import { DialCallStatus, type TransferDecision } from "@orderline/contracts";
import { callbackTwiml, dialTwiml, endTwiml, whisperTwiml } from "@orderline/handoff";
import type { Logger } from "@orderline/telemetry";
import express, { type Request, type Response } from "express";
import { CallRecords } from "./conversation/call-records.ts";
import { dialUrls, type EscalationDesk } from "./conversation/escalation.ts";
import type { GatewayConfig } from "./env.ts";
import type { CallSession } from "./state/session.ts";
import type { CallStore } from "./state/store.ts";
import { hangup, langOf, offerCallback, sayAndHangup, texts, transferDial, whisper } from "./twiml.ts";
import { sendTwiml, twilioParam } from "./twilio-http.ts";

export interface TransferRouteDeps {
  config: GatewayConfig;
  store: CallStore;
  escalation: EscalationDesk;
  logger: Logger;
}

/**
 * What Twilio asks while a caller is handed to staff: the whisper the staff member hears before bridging, the
 * `<Dial>` action (DialCallStatus → the escalation service's next decision: next number, callback goodbye, end),
 * and the gateway's own callback offer. A call the escalation service does not hold (it could not be reached)
 * gets the gateway's last resort: the next configured staff number, then a callback offer.
 */
export function transferRouter(deps: TransferRouteDeps): express.Router {
  const { config, store, escalation, logger } = deps;
  const router = express.Router();
  /** The dial decision this request is about, when the escalation service holds the call. */
  const decisionOf = (req: Request, session: CallSession | null) => {
    const id = twilioParam(req, "escalationId");
    return id && session?.escalation?.escalationId === id ? session.escalation : null;
  };

  const whisperHandler = async (req: Request, res: Response) => {
    const callSid = twilioParam(req, "callSid");
    const session = callSid ? await store.getSession(callSid).catch(() => null) : null;
    const decision = decisionOf(req, session);
    if (decision) return void sendTwiml(res, whisperTwiml(decision));
    const lang = session ? langOf(session.location.language) : "en";
    sendTwiml(res, whisper(lang, session?.transferSummary ?? "A caller from the ordering line."));
  };
  router.post("/voice/whisper", whisperHandler);
  router.get("/voice/whisper", whisperHandler);

  router.post("/voice/dial-result", async (req, res) => {
    const callSid = twilioParam(req, "callSid") ?? twilioParam(req, "CallSid");
    const dialStatus = twilioParam(req, "DialCallStatus") ?? "failed";
    const session = callSid ? await store.getSession(callSid).catch(() => null) : null;
    const attempt = Number(twilioParam(req, "attempt") ?? "0");
    const duration = Number(twilioParam(req, "DialCallDuration") ?? "");
    if (callSid) {
      const records = new CallRecords(store, callSid, logger);
      await records.event("transfer", { dialStatus, duration: Number.isFinite(duration) ? duration : null, attempt: Number.isInteger(attempt) ? attempt : null });
    }
    if (!session || !callSid) return void sendTwiml(res, hangup());
    const held = decisionOf(req, session);
    const status = DialCallStatus.safeParse(dialStatus);
    if (held && status.success && Number.isInteger(attempt)) {
      const next = await escalation.dialOutcome(session, {
        escalationId: held.escalationId,
        attempt,
        dialCallStatus: status.data,
        ...(Number.isFinite(duration) && duration >= 0 ? { dialCallDuration: Math.floor(duration) } : {}),
        ...(twilioParam(req, "DialCallSid") ? { dialCallSid: twilioParam(req, "DialCallSid")!.slice(0, 64) } : {}),
      });
      if (next) return void sendTwiml(res, await carryOut(session, next));
      // The service went away mid-transfer: the gateway's own last resort below.
    }
    if (dialStatus === "completed") return void sendTwiml(res, hangup());
    const lang = langOf(session.location.language);
    // Staff numbers are in order of preference: nobody answered this one, ring the next before giving up.
    const number = held ? session.location.staffNumbers.indexOf(held.target.number) : attempt;
    const nextNumber = Number.isInteger(number) ? session.location.staffNumbers[number + 1] : undefined;
    if (nextNumber) {
      return void sendTwiml(
        res,
        transferDial({
          lang,
          text: texts(lang).stillTrying,
          staffNumber: nextNumber,
          callerId: session.location.dialledNumber,
          publicBaseUrl: config.PUBLIC_BASE_URL,
          callSid,
          timeoutSeconds: config.DIAL_TIMEOUT_SECONDS,
          attempt: number + 1,
        }),
      );
    }
    sendTwiml(res, offerCallback(lang, config.PUBLIC_BASE_URL, callSid));
  });

  /** The escalation service's next decision after a dial attempt, as the `<Dial>` action's answer. */
  async function carryOut(session: CallSession, d: TransferDecision): Promise<string> {
    const callSid = session.callSid;
    switch (d.action) {
      case "dial":
        await store.patch(callSid, { escalation: d });
        return dialTwiml(d, dialUrls(config.PUBLIC_BASE_URL, callSid, d));
      case "callback":
        await store.patch(callSid, { callbackRequested: true });
        await new CallRecords(store, callSid, logger).event("callback_requested", { cause: d.cause, expectedBy: d.expectedBy, escalationId: d.escalationId, staffNotified: d.staffNotified });
        return callbackTwiml(d);
      case "end":
        if (d.answeredBy) await store.patch(callSid, { transferredTo: d.answeredBy });
        return endTwiml();
      case "none":
        return hangup();
    }
  }

  router.post("/voice/callback", async (req, res) => {
    const callSid = twilioParam(req, "callSid") ?? twilioParam(req, "CallSid");
    const digits = twilioParam(req, "Digits");
    const speech = (twilioParam(req, "SpeechResult") ?? "").toLowerCase();
    const yes = digits === "1" || /\b(yes|yeah|sure|please|s[ií])\b/.test(speech);
    const session = callSid ? await store.getSession(callSid).catch(() => null) : null;
    const lang = session ? langOf(session.location.language) : "en";
    if (yes && callSid) {
      await store.patch(callSid, { callbackRequested: true }).catch(() => {});
      await new CallRecords(store, callSid, logger).event("transfer", { callbackRequested: true });
    }
    sendTwiml(res, sayAndHangup(lang, yes ? texts(lang).callbackYes : texts(lang).callbackNo));
  });

  return router;
}
