import type { CallbackDecision, DialDecision, EscalationReason } from "@orderline/contracts";
import { callbackTwiml, dialTwiml } from "@orderline/handoff";
import type { Logger } from "@orderline/telemetry";
import type { GatewayMetrics } from "../metrics.ts";
import type { CallSession } from "../state/session.ts";
import type { CallStore } from "../state/store.ts";
import { langOf, offerCallback, texts, transferDial } from "../twiml.ts";
import type { CallRecords } from "./call-records.ts";
import { dialUrls, type EscalationDesk } from "./escalation.ts";

export interface HandoffRequest {
  reason: EscalationReason;
  /** One or two sentences for staff. */
  summary: string;
  /** What the caller hears before the gateway's own dial of the store (service unreachable), in the call's language. */
  sayText: string;
  /**
   * The escalation service's decision when it was asked already (the model's transfer_to_human); null: it could
   * not be reached, the gateway dials the store itself; absent: ask it now.
   */
  decision?: DialDecision | null;
}

export interface PlanDeps {
  store: CallStore;
  escalation: EscalationDesk;
  metrics: GatewayMetrics;
  logger: Logger;
  publicBaseUrl: string;
  dialTimeoutSeconds: number;
}

/** How a hand-off is carried out. */
export type HandoffPlan =
  /** Answer (or redirect the call to) `twiml`: staff is dialled, or the caller hears the callback goodbye. */
  | { kind: "twiml"; twiml: string; to: string | null; via: "escalation" | "gateway"; callback: boolean; decision: DialDecision | CallbackDecision | null }
  /** A callback request was stored and the caller stays with the assistant, who says `decision.speech`. */
  | { kind: "callback"; decision: CallbackDecision }
  /** The escalation service has nothing to do (the call already ended). */
  | { kind: "none" };

/**
 * The escalation service's decision for a hand-off as TwiML (`@orderline/handoff`), the dial decision kept in
 * the call's session for the whisper and the `<Dial>` action. With the service unreachable the gateway's own
 * last resort stays: dial the location's first staff number (else its public line) from configuration.
 * `keepCall`: a callback decision leaves the caller with the assistant (a model that can go on) instead of
 * saying goodbye.
 */
export async function planHandoff(deps: PlanDeps, records: CallRecords, session: CallSession, req: HandoffRequest, keepCall: boolean): Promise<HandoffPlan> {
  const decision = req.decision !== undefined ? req.decision : await deps.escalation.transfer(session, { reason: req.reason, summary: req.summary });
  const callSid = session.callSid;
  if (decision === null) {
    await records.event("escalation", { step: "service_unavailable", reason: req.reason });
    const { twiml, to } = transferTwiml(session, req, deps);
    return { kind: "twiml", twiml, to, via: "gateway", callback: false, decision: null };
  }
  if (decision.action === "dial") {
    await deps.store.patch(callSid, { escalation: decision, transferReason: decision.reason, transferSummary: req.summary });
    return { kind: "twiml", twiml: dialTwiml(decision, dialUrls(deps.publicBaseUrl, callSid, decision)), to: decision.target.number, via: "escalation", callback: false, decision };
  }
  if (decision.action === "callback") {
    await deps.store.patch(callSid, { callbackRequested: true });
    await records.event("callback_requested", { reason: req.reason, cause: decision.cause, expectedBy: decision.expectedBy, escalationId: decision.escalationId });
    if (keepCall) return { kind: "callback", decision };
    await deps.store.patch(callSid, { transferReason: req.reason, transferSummary: req.summary });
    return { kind: "twiml", twiml: callbackTwiml(decision), to: null, via: "escalation", callback: true, decision };
  }
  return { kind: "none" };
}

/** Who staff is for this call when the escalation service cannot say: the first staff number, else the store's public line. */
export function staffNumberOf(session: CallSession): string | null {
  return session.location.staffNumbers[0] ?? session.location.publicPhone ?? null;
}

/**
 * The gateway's own transfer (the escalation service unreachable): the caller hears `sayText`, then the first
 * staff number rings with a whisper of the summary; nobody configured → a callback offer.
 */
export function transferTwiml(
  session: CallSession,
  req: Pick<HandoffRequest, "sayText">,
  opts: { publicBaseUrl: string; dialTimeoutSeconds: number },
): { twiml: string; to: string | null } {
  const lang = langOf(session.language);
  const staff = staffNumberOf(session);
  if (!staff) return { twiml: offerCallback(lang, opts.publicBaseUrl, session.callSid), to: null };
  const twiml = transferDial({
    lang,
    text: req.sayText,
    staffNumber: staff,
    callerId: session.location.dialledNumber,
    publicBaseUrl: opts.publicBaseUrl,
    callSid: session.callSid,
    timeoutSeconds: opts.dialTimeoutSeconds,
  });
  return { twiml, to: staff };
}

/** The summary staff hear when the AI line itself failed. */
export function technicalSummary(session: CallSession | null, why: string): string {
  const name = session?.customer?.name ? `Caller: ${session.customer.name}. ` : "";
  return `Technical problem on the AI line (${why}). ${name}Please take over the call.`;
}

/** The hand-off request for a text turn that ended in a transfer or a technical failure. */
export function handoffRequestFor(
  session: CallSession,
  end: { kind: "handoff"; reason: EscalationReason; summary: string; decision?: DialDecision | null } | { kind: "technical"; why: string },
  spoken: string,
): HandoffRequest {
  const t = texts(langOf(session.language));
  if (end.kind === "handoff") {
    return { reason: end.reason, summary: end.summary, sayText: spoken ? `${spoken} ${t.transfer}` : t.transfer, ...(end.decision !== undefined ? { decision: end.decision } : {}) };
  }
  return { reason: "technical_failure", summary: technicalSummary(session, end.why), sayText: spoken ? `${spoken} ${t.technicalTransfer}` : t.technicalTransfer };
}
