import express, { type Request, type Response } from "express";
import { errMessage } from "../conversation/call-records.ts";
import { handOffInline, handoffRequestFor } from "../conversation/handoff.ts";
import { followCallerLanguage, openTextCall, type TextCallDeps } from "../conversation/text-call.ts";
import type { TurnEnd } from "../conversation/text-engine.ts";
import { repromptText } from "../domain/instructions.ts";
import type { CallSession } from "../state/session.ts";
import { gatherTurn, hangup, langOf, sayThenHangup, texts } from "../twiml.ts";

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
  const xml = (res: Response, body: string) => res.status(200).type("text/xml").send(body);
  const param = (req: Request, name: string): string | undefined => {
    const v = (req.body as Record<string, unknown> | undefined)?.[name];
    return typeof v === "string" ? v : undefined;
  };

  router.post("/voice/gather", async (req, res) => {
    const callSid = param(req, "CallSid");
    if (!callSid) return void res.status(400).type("text/plain").send("CallSid is required\n");
    const session = await store.getSession(callSid).catch(() => null);
    if (!session || session.phase === "ended" || session.phase === "transferred") return void xml(res, hangup());
    const call = openTextCall(deps, session);
    const lang = () => langOf(session.language);
    const hints = await deps.hints(session).catch(() => []);
    const again = (say: string) => xml(res, gatherTurn({ publicBaseUrl: config.PUBLIC_BASE_URL, language: session.language, say, hints }));
    try {
      const raw = param(req, "SpeechResult");
      const text = (raw ?? "").trim().slice(0, config.MAX_UTTERANCE_CHARS);
      const confidenceText = param(req, "Confidence");
      const confidence = confidenceText === undefined || confidenceText === "" ? undefined : Number(confidenceText);
      const unclear = confidence !== undefined && Number.isFinite(confidence) && confidence < config.GATHER_MIN_CONFIDENCE;
      // An engine that re-prompts itself (the local agent) counts these misses with the turns it did not understand.
      const engineReprompts = call.conversation.engineHandlesUnclearSpeech;
      if ((text === "" || unclear) && !engineReprompts) {
        const n = await store.incr(callSid, "emptyTurns");
        await call.records.event("reprompt", { transport: "gather", empty: text === "", confidence: confidence ?? null, inARow: n });
        if (n < 2) return void again(repromptText(lang(), unclear));
        return void xml(res, await handOff(call.session, { kind: "handoff", reason: "other", summary: "The caller could not be understood twice in a row on the ordering line." }));
      }
      await store.patch(callSid, { emptyTurns: 0 });
      await followCallerLanguage(store, session, text);
      if (text !== "") await call.records.transcript("caller", text);
      const spoken: string[] = [];
      const signal = AbortSignal.timeout(TURN_DEADLINE_MS);
      const outcome = await call.conversation.turn(text, (s) => spoken.push(s), signal, confidence !== undefined && Number.isFinite(confidence) ? confidence : undefined);
      if (spoken.length > 0) await call.records.transcript("assistant", spoken.join(" "));
      const reply = spoken.join(" ");
      switch (outcome.end.kind) {
        case "continue":
          return void again(reply || repromptText(lang(), true));
        case "hangup":
          return void xml(res, sayThenHangup(session.language, reply || texts(lang()).goodbye));
        default:
          return void xml(res, await handOff(call.session, outcome.end, reply));
      }
    } catch (err) {
      logger.error({ err, callSid }, "gather turn failed");
      metrics.errors.inc({ kind: "gather_turn" });
      await call.records.event("error", { phase: "gather_turn", message: errMessage(err) });
      return void xml(res, await handOff(session, { kind: "technical", why: "gather turn failed" }));
    }
  });

  /** The hand-off as this webhook's answer. */
  async function handOff(session: CallSession, end: Exclude<TurnEnd, { kind: "continue" | "hangup" }>, spoken = ""): Promise<string> {
    const records = openTextCall(deps, session).records;
    const opts = { publicBaseUrl: config.PUBLIC_BASE_URL, dialTimeoutSeconds: config.DIAL_TIMEOUT_SECONDS };
    return handOffInline(deps, records, session, handoffRequestFor(session, end, spoken), opts);
  }

  return router;
}
