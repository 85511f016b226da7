import express from "express";
import { errMessage } from "../conversation/call-records.ts";
import { handOffInline, handoffRequestFor, transferTwiml } from "../conversation/handoff.ts";
import { followCallerLanguage, openTextCall, type TextCallDeps } from "../conversation/text-call.ts";
import type { TurnEnd } from "../conversation/text-engine.ts";
import { repromptText } from "../domain/instructions.ts";
import type { CallSession } from "../state/session.ts";
import { gatherTurn, hangup, langOf, sayThenHangup, texts } from "../twiml.ts";
import { sendTwiml, twilioParam } from "../twilio-http.ts";

export interface GatherDeps extends TextCallDeps {
  /** Speech hints (item names) of a location. */
  hints: (session: CallSession) => Promise<string[]>;
}

/** Wall-clock budget of one turn: Twilio gives a webhook 15 s; past this the caller is asked again. */
const TURN_DEADLINE_MS = 10_000;

/**
 * The `<Gather input="speech">` transport (docs/PROTOCOLS.md §10): every caller turn is one signed webhook
 * carrying `SpeechResult` and `Confidence`; the answer is the reply inside the next `<Gather>` (so the caller
 * can talk over it), or the hand-off. Empty or unclear speech is asked again; twice in a row goes to staff.
 * Stateless between turns: any pod answers any turn from Redis.
 */
export function gatherRouter(deps: GatherDeps): express.Router {
  const { config, store, logger, metrics } = deps;
  const router = express.Router();

  router.post("/voice/gather", async (req, res) => {
    const callSid = twilioParam(req, "CallSid");
    if (!callSid) return void res.status(400).type("text/plain").send("CallSid is required\n");
    const session = await store.getSession(callSid).catch(() => null);
    if (!session || session.phase === "ended" || session.phase === "transferred") return void sendTwiml(res, hangup());
    const call = openTextCall(deps, session);
    const lang = () => langOf(session.language);
    const hints = await deps.hints(session).catch(() => []);
    const again = (say: string) => sendTwiml(res, gatherTurn({ publicBaseUrl: config.PUBLIC_BASE_URL, language: session.language, say, hints }));
    try {
      const raw = twilioParam(req, "SpeechResult");
      const text = (raw ?? "").trim().slice(0, config.MAX_UTTERANCE_CHARS);
      const confidenceText = twilioParam(req, "Confidence");
      const confidence = confidenceText === undefined || confidenceText === "" ? undefined : Number(confidenceText);
      const unclear = confidence !== undefined && Number.isFinite(confidence) && confidence < config.GATHER_MIN_CONFIDENCE;
      // An engine that re-prompts itself (the local agent) counts these misses with the turns it did not understand.
      const engineReprompts = call.conversation.engineHandlesUnclearSpeech;
      if ((text === "" || unclear) && !engineReprompts) {
        const n = await store.incr(callSid, "emptyTurns");
        await call.records.event("reprompt", { transport: "gather", empty: text === "", confidence: confidence ?? null, inARow: n });
        if (n < 2) return void again(repromptText(lang(), unclear));
        const done = await handOff(call.session, { kind: "handoff", reason: "other", summary: "The caller could not be understood twice in a row on the ordering line." });
        return void (typeof done === "string" ? sendTwiml(res, done) : again(done.speech || repromptText(lang(), true)));
      }
      await store.patch(callSid, { emptyTurns: 0 });
      await followCallerLanguage(store, session, text);
      const spoken: string[] = [];
      const signal = AbortSignal.timeout(TURN_DEADLINE_MS);
      const outcome = await call.conversation.callerTurn(text, (s) => spoken.push(s), signal, confidence !== undefined && Number.isFinite(confidence) ? confidence : undefined);
      if (spoken.length > 0) await call.records.transcript("assistant", spoken.join(" "));
      const reply = spoken.join(" ");
      switch (outcome.end.kind) {
        case "continue":
          return void again(reply || repromptText(lang(), true));
        case "hangup":
          return void sendTwiml(res, sayThenHangup(session.language, reply || texts(lang()).goodbye));
        default: {
          const done = await handOff(call.session, outcome.end, reply);
          // A callback request instead of a transfer: the caller hears when to expect the call and goes on.
          return void (typeof done === "string" ? sendTwiml(res, done) : again([reply, done.speech].filter(Boolean).join(" ") || repromptText(lang(), true)));
        }
      }
    } catch (err) {
      logger.error({ err, callSid }, "gather turn failed");
      metrics.errors.inc({ kind: "gather_turn" });
      await call.records.event("error", { phase: "gather_turn", message: errMessage(err) });
      const done = await handOff(session, { kind: "technical", why: "gather turn failed" }).catch(() => null);
      if (typeof done === "string") return void sendTwiml(res, done);
      return void sendTwiml(res, transferTwiml(session, handoffRequestFor(session, { kind: "technical", why: "gather turn failed" }, ""), planOpts).twiml);
    }
  });

  const planOpts = { publicBaseUrl: config.PUBLIC_BASE_URL, dialTimeoutSeconds: config.DIAL_TIMEOUT_SECONDS };

  /**
   * The hand-off as this webhook's answer: the TwiML (staff dialled, or the callback goodbye after a technical
   * failure), or — a callback request the caller stays on the line for — the words to say before the next turn.
   */
  async function handOff(session: CallSession, end: Exclude<TurnEnd, { kind: "continue" | "hangup" }>, spoken = ""): Promise<string | { speech: string }> {
    const records = openTextCall(deps, session).records;
    const plan = await handOffInline({ ...deps, ...planOpts }, records, session, handoffRequestFor(session, end, spoken), end.kind === "handoff");
    if (plan.kind === "twiml") return plan.twiml;
    return { speech: plan.kind === "callback" ? plan.decision.speech : "" };
  }

  return router;
}
