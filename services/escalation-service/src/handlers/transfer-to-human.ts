import { type RequestEnvelope, type ToolArgs, type ToolResult, ToolFailure, type TransferDecision, TransferDecision as TransferDecisionSchema } from "@orderline/contracts";
import type { Escalation } from "@orderline/db";
import type { ToolImpl } from "@orderline/nats";
import type { EscalationContext } from "../context.ts";
import { callbackDecision, dialDecision, type EscalationFacts } from "../decisions.ts";
import { planDial } from "../domain/dial-plan.ts";
import { cutSummary } from "../domain/summary.ts";
import { callEndedSpeech, langOf } from "../domain/texts.ts";
import { addCallEvent, findCall, setEscalationReason } from "../repositories/calls.ts";
import { escalationOfCall, insertEscalation, lockCall } from "../repositories/escalations.ts";
import { loadEscalationLocation } from "../repositories/locations.ts";
import { orderSoFar } from "../repositories/orders.ts";

type Result = ToolResult<"transfer_to_human">;

/** The tool reply for a decision: the legacy fields (transferred, to, callbackRequested, speech) plus the decision. */
export function toolResult(decision: TransferDecision): Result {
  switch (decision.action) {
    case "dial":
      return { transferred: true, to: decision.target.number, callbackRequested: false, speech: decision.holdMessage, decision };
    case "callback":
      return { transferred: false, to: null, callbackRequested: true, speech: decision.speech, decision };
    case "end":
      return { transferred: decision.outcome === "answered", to: decision.answeredBy, callbackRequested: false, speech: "", decision };
    case "none":
      return { transferred: false, to: null, callbackRequested: false, speech: decision.speech, decision };
  }
}

/** A stored decision, as it was handed out (a repeated request gets the same answer). */
export function storedDecision(e: Escalation): TransferDecision | null {
  const parsed = TransferDecisionSchema.safeParse(e.decision);
  return parsed.success ? parsed.data : null;
}

/**
 * `transfer_to_human(reason, summary)`: decides how the caller reaches a person. The number always comes from
 * the location's staff lines; an ended call is a no-op; a repeat for the same call returns the same decision.
 */
export function transferToHuman(ctx: EscalationContext): ToolImpl<"transfer_to_human"> {
  return (args: ToolArgs<"transfer_to_human">, envelope: RequestEnvelope): Promise<Result> =>
      ctx.db.transaction().execute(async (db) => {
        await lockCall(db, envelope.callSid);
        const loc = await loadEscalationLocation(db, envelope.locationId);
        if (!loc) throw new ToolFailure("unknown_location", "This restaurant is not set up for transfers.");
        const call = await findCall(db, envelope.callSid);
        const existing = await escalationOfCall(db, envelope.callSid);
        if (existing && existing.location_id !== envelope.locationId) {
          throw new ToolFailure("wrong_location", "This call's transfer belongs to another restaurant.");
        }
        const now = ctx.clock();

        if (call?.ended || existing?.state === "caller_hung_up") {
          await addCallEvent(db, call?.id ?? null, "escalation", { step: "ignored", cause: "call_ended", reason: args.reason }, now);
          ctx.count(args.reason, "none");
          return toolResult({ action: "none", cause: "call_ended", speech: callEndedSpeech(langOf(loc.language)) });
        }
        const previous = existing ? storedDecision(existing) : null;
        if (previous) return toolResult(previous);

        const summary = cutSummary(args.summary) || cutSummary(args.detail ?? "");
        const order = await orderSoFar(db, envelope);
        const plan = planDial(loc.lines, loc.hours, now);
        const targets = plan.kind === "dial" ? plan.targets : [];
        const row = await insertEscalation(db, {
          callSid: envelope.callSid,
          callId: call?.id ?? null,
          locationId: loc.id,
          reason: args.reason,
          reasonDetail: args.detail ?? null,
          summary,
          callerPhone: envelope.callerPhone ?? null,
          orderId: order?.orderId ?? null,
          targets,
          state: plan.kind === "dial" ? "dialing" : "callback",
        });
        await setEscalationReason(db, call?.id ?? null, args.reason);
        await addCallEvent(
          db,
          call?.id ?? null,
          "escalation",
          {
            step: "decided",
            escalationId: row.id,
            reason: args.reason,
            detail: args.detail ?? null,
            summary,
            summaryCut: summary.length < args.summary.replace(/\s+/g, " ").trim().length,
            orderId: order?.orderId ?? null,
            numbers: targets.map((t) => t.number),
            decision: plan.kind === "dial" ? "dial" : `callback:${plan.cause}`,
          },
          now,
        );
        const facts: EscalationFacts = {
          id: row.id,
          callSid: envelope.callSid,
          callId: call?.id ?? null,
          reason: args.reason,
          summary,
          callerPhone: envelope.callerPhone ?? null,
          targets,
          order,
          dialledNumber: call?.phoneTo ?? null,
        };
        const decision = plan.kind === "dial" ? await dialDecision(ctx, db, loc, facts, 0) : await callbackDecision(ctx, db, loc, facts, plan.cause, plan.nextAvailable);
        ctx.count(args.reason, decision.action);
        return toolResult(decision);
      });
}
