import type { EscalationReason } from "@orderline/contracts";
import { EscalationReason as Reasons } from "@orderline/contracts";
import express from "express";
import { type HandoffRequest, handOffInline, handoffRequestFor } from "../conversation/handoff.ts";
import { connectTwiml, type ConnectDeps } from "../conversation/connect-twiml.ts";
import { openTextCall, type TextCallDeps } from "../conversation/text-call.ts";
import type { CallFinalizer } from "../finalize.ts";
import type { CallSession } from "../state/session.ts";
import { fallbackDial, hangup, langOf } from "../twiml.ts";
import { RelayHandoff } from "./relay-call.ts";
import { sendTwiml, twilioParam } from "../twilio-http.ts";

export interface RelayRouteDeps extends TextCallDeps, Omit<ConnectDeps, "publicBaseUrl"> {
  finalizer: CallFinalizer;
}

const TERMINAL = new Set(["completed", "busy", "failed", "no-answer", "canceled"]);

/**
 * ConversationRelay's Connect action (docs/PROTOCOLS.md §9): Twilio asks it when the relay session ends. Our
 * `end` message's `HandoffData` says why — staff, a technical failure, goodbye; with none the socket dropped
 * and a live call gets a new session (bounded), any pod resuming it from Redis.
 */
export function relayRouter(deps: RelayRouteDeps): express.Router {
  const { config, store, logger, finalizer } = deps;
  const router = express.Router();
  const planDeps = { ...deps, publicBaseUrl: config.PUBLIC_BASE_URL, dialTimeoutSeconds: config.DIAL_TIMEOUT_SECONDS };
  /** The hand-off as this webhook's answer (the relay session is over: a callback request says goodbye). */
  const handOff = async (records: Parameters<typeof handOffInline>[1], session: CallSession, req: HandoffRequest): Promise<string> => {
    const plan = await handOffInline(planDeps, records, session, req);
    return plan.kind === "twiml" ? plan.twiml : hangup();
  };

  router.post("/voice/relay-action", async (req, res) => {
    const callSid = twilioParam(req, "CallSid");
    if (!callSid) return void res.status(400).type("text/plain").send("CallSid is required\n");
    try {
      const session = await store.getSession(callSid);
      if (!session) return void sendTwiml(res, hangup());
      const records = openTextCall(deps, session).records;
      const handoff = parseHandoff(twilioParam(req, "HandoffData"));
      await records.event("stream_resumed", { transport: "relay", ended: true, sessionStatus: twilioParam(req, "SessionStatus") ?? null, handoff: handoff?.kind ?? null });
      if (handoff?.kind === "escalation") {
        // The escalation service's decision the relay session ended for, kept in the session.
        const decision = session.escalation && session.escalation.escalationId === handoff.escalationId ? session.escalation : undefined;
        const reason = session.transferReason ?? "other";
        const summary = session.transferSummary ?? "";
        return void sendTwiml(res, await handOff(records, session, { ...handoffRequestFor(session, { kind: "handoff", reason, summary }, ""), ...(decision ? { decision } : {}) }));
      }
      if (handoff?.kind === "transfer") {
        const reason: EscalationReason = Reasons.safeParse(handoff.reason).success ? (handoff.reason as EscalationReason) : "other";
        const end = { kind: "handoff" as const, reason, summary: handoff.summary, ...(handoff.fallback ? { decision: null } : {}) };
        return void sendTwiml(res, await handOff(records, session, handoffRequestFor(session, end, "")));
      }
      if (handoff?.kind === "technical") {
        return void sendTwiml(res, await handOff(records, session, handoffRequestFor(session, { kind: "technical", why: handoff.why }, "")));
      }
      const status = twilioParam(req, "CallStatus");
      if (handoff?.kind === "hangup" || session.phase === "ended" || session.phase === "transferred" || (status && TERMINAL.has(status))) {
        await finalizer.finalize(callSid, { reason: handoff?.kind === "hangup" ? "caller_done" : "relay_ended" }).catch((err: unknown) => logger.error({ err, callSid }, "finalize failed"));
        return void sendTwiml(res, hangup());
      }
      // The session ended without a word from us (a pod died, the socket dropped): the caller is still there.
      if (session.resumes >= config.MAX_STREAM_RESUMES) {
        return void sendTwiml(res, await handOff(records, session, handoffRequestFor(session, { kind: "technical", why: "relay session kept dropping" }, "")));
      }
      await store.incr(callSid, "resumes");
      logger.info({ callSid }, "relay session ended while the call is live: reconnecting");
      return void sendTwiml(res, await connectTwiml({ ...deps, publicBaseUrl: config.PUBLIC_BASE_URL }, session, { kind: "fallback", cartSummary: null }));
    } catch (err) {
      logger.error({ err, callSid }, "relay action failed: static fallback");
      deps.metrics.errors.inc({ kind: "relay_action" });
      const session = await store.getSession(callSid).catch(() => null);
      const staff = session?.location.staffNumbers[0] ?? session?.location.publicPhone ?? config.FALLBACK_TRANSFER_NUMBER ?? null;
      return void sendTwiml(res, fallbackDial(session ? langOf(session.language) : "en", staff, session?.location.dialledNumber ?? null));
    }
  });

  return router;
}

function parseHandoff(raw: string | undefined): RelayHandoff | null {
  if (!raw) return null;
  try {
    const parsed = RelayHandoff.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
