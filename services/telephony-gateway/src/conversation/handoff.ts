
import type { CallSession } from "../state/session.ts";
import type { CallTransferer } from "../transfer.ts";
import { type CallRecords, errMessage } from "./call-records.ts";
import { type HandoffPlan, type HandoffRequest, type PlanDeps, planHandoff } from "./handoff-plan.ts";

export type { HandoffRequest } from "./handoff-plan.ts";
export { handoffRequestFor, staffNumberOf, technicalSummary, transferTwiml } from "./handoff-plan.ts";

export interface HandoffDeps extends PlanDeps {
  transferer: CallTransferer;
}

/**
 * The one place a call leaves the AI. The escalation service decides (`planHandoff`); a transport decides *how*
 * it reaches Twilio (a REST update of a live Media Stream call, or the TwiML as a webhook's answer); this seam
 * owns the session phase, the records and the metrics, so every transport and engine hands off the same way.
 */
export class Handoff {
  private readonly deps: HandoffDeps;
  private readonly records: CallRecords;
  private started = false;

  constructor(deps: HandoffDeps, records: CallRecords) {
    this.deps = deps;
    this.records = records;
  }

  /** A hand-off has begun on this connection (no second one, no new model turns). */
  get underway(): boolean {
    return this.started;
  }

  /**
   * Redirects the live call through Twilio REST to what the escalation service decided (`<Dial>` staff, or the
   * callback goodbye). `beforeRedirect` runs after the phase is set (e.g. let the model's last words finish
   * playing). Resolves false when the redirect failed: the transport must then close its socket so Twilio asks
   * the Connect action, which answers a plain `<Dial>` of the store.
   */
  async redirect(callSid: string, req: HandoffRequest, beforeRedirect?: () => Promise<void>): Promise<boolean> {
    if (this.started) return false;
    this.started = true;
    const { store, transferer, metrics, logger } = this.deps;
    await store.patch(callSid, { phase: "transferring", transferReason: req.reason, transferSummary: req.summary });
    const session = await store.getSession(callSid);
    if (!session || session.phase === "ended") {
      await this.records.event("transfer", { reason: req.reason, skipped: "call already ended" });
      return false;
    }
    const [plan] = await Promise.all([planHandoff(this.deps, this.records, session, req, false), beforeRedirect?.()]);
    if (plan.kind !== "twiml") return true;
    try {
      await transferer.redirect(callSid, plan.twiml);
      await recordTransfer(this.deps, this.records, callSid, req, plan);
      return true;
    } catch (err) {
      logger.error({ err, callSid, reason: req.reason }, "transfer failed");
      metrics.errors.inc({ kind: "transfer" });
      await this.records.event("error", { phase: "transfer", message: errMessage(err) });
      this.started = false;
      return false;
    }
  }
}

async function recordTransfer(
  deps: Pick<HandoffDeps, "store" | "metrics" | "logger">,
  records: CallRecords,
  callSid: string,
  req: HandoffRequest,
  plan: Extract<HandoffPlan, { kind: "twiml" }>,
): Promise<void> {
  await deps.store.patch(callSid, { phase: "transferred", transferredTo: plan.to });
  await records.event("transfer", { reason: req.reason, to: plan.to, summary: req.summary, via: plan.via, ...(plan.callback ? { callback: true } : {}) });
  deps.metrics.transfers.inc({ reason: req.reason });
  deps.logger.info({ callSid, reason: req.reason, to: plan.to, via: plan.via }, plan.callback ? "callback requested, caller told" : "call transferred to staff");
}

/**
 * Hands the call to staff as a webhook's answer (Gather turn, ConversationRelay's Connect action) instead of a
 * REST redirect: records the hand-off and returns the TwiML to answer with, or — `keepCall` and the service
 * stored a callback request — the callback decision, whose `speech` the transport says before going on.
 */
export async function handOffInline(
  deps: PlanDeps,
  records: CallRecords,
  session: CallSession,
  req: HandoffRequest,
  keepCall = false,
): Promise<Exclude<HandoffPlan, { kind: "twiml" }> | { kind: "twiml"; twiml: string }> {
  const plan = await planHandoff(deps, records, session, req, keepCall);
  if (plan.kind !== "twiml") return plan;
  await deps.store.patch(session.callSid, { phase: "transferring", transferReason: req.reason, transferSummary: req.summary });
  await recordTransfer(deps, records, session.callSid, req, plan);
  return plan;
}
