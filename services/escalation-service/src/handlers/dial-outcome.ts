import { DialOutcomeArgs, DialOutcomeResult, type EndDecision, type RequestEnvelope, type StaffTarget, ToolFailure, type TransferDecision } from "@orderline/contracts";
import type { EscalationContext } from "../context.ts";
import { callbackDecision, dialDecision, type EscalationFacts } from "../decisions.ts";
import { addCallEvent, findCall, markTransferred } from "../repositories/calls.ts";
import { escalationById, lockCall, updateEscalation } from "../repositories/escalations.ts";
import { loadEscalationLocation } from "../repositories/locations.ts";
import { orderSoFar } from "../repositories/orders.ts";
import { storedDecision } from "./transfer-to-human.ts";

/**
 * The `<Dial>` action's DialCallStatus for one attempt: answered → the transfer is done (the call is recorded
 * `transferred`); the caller hung up → done; no-answer / busy / failed → the next staff number, and after the
 * last one the callback flow. A repeated report for an attempt already handled returns the same decision.
 */
export function dialOutcomeHandler(ctx: EscalationContext) {
  return {
    args: DialOutcomeArgs,
    result: DialOutcomeResult,
    handle: (args: DialOutcomeArgs, envelope: RequestEnvelope): Promise<TransferDecision> =>
      ctx.db.transaction().execute(async (db) => {
        await lockCall(db, envelope.callSid);
        const esc = await escalationById(db, args.escalationId);
        if (!esc || esc.call_sid !== envelope.callSid || esc.location_id !== envelope.locationId) {
          throw new ToolFailure("forbidden", `Escalation ${args.escalationId} is not this call's transfer.`);
        }
        const previous = storedDecision(esc);
        if (esc.state !== "dialing" || args.attempt !== esc.attempt) {
          if (previous) return previous;
          throw new ToolFailure("internal", "This transfer has no decision to repeat.");
        }
        const targets = esc.targets as StaffTarget[];
        const target = targets[esc.attempt];
        if (!target) throw new ToolFailure("internal", `Attempt ${esc.attempt} has no staff number.`);
        const now = ctx.clock();
        const outcome = { escalationId: esc.id, attempt: esc.attempt, number: target.number, label: target.label, dialCallStatus: args.dialCallStatus };
        const duration = args.dialCallDuration ?? null;

        if (args.dialCallStatus === "completed" || args.dialCallStatus === "answered") {
          const decision: EndDecision = { action: "end", escalationId: esc.id, outcome: "answered", answeredBy: target.number };
          await updateEscalation(db, esc.id, { state: "connected", decision, answeredBy: target.number });
          await markTransferred(db, esc.call_id, esc.reason, target.number);
          await addCallEvent(db, esc.call_id, "transfer", { step: "answered", ...outcome, answered: true, durationSeconds: duration }, now);
          ctx.count(esc.reason, "end");
          return decision;
        }
        if (args.dialCallStatus === "canceled") {
          const decision: EndDecision = { action: "end", escalationId: esc.id, outcome: "caller_hung_up", answeredBy: null };
          await updateEscalation(db, esc.id, { state: "caller_hung_up", decision });
          await addCallEvent(db, esc.call_id, "transfer", { step: "caller_hung_up", ...outcome, answered: false }, now);
          ctx.count(esc.reason, "end");
          return decision;
        }

        await addCallEvent(db, esc.call_id, "transfer", { step: "not_answered", ...outcome, answered: false }, now);
        const loc = await loadEscalationLocation(db, esc.location_id);
        if (!loc) throw new ToolFailure("unknown_location", "This restaurant is not set up for transfers.");
        const call = await findCall(db, esc.call_sid);
        const facts: EscalationFacts = {
          id: esc.id,
          callSid: esc.call_sid,
          callId: esc.call_id,
          reason: esc.reason,
          summary: esc.summary,
          callerPhone: esc.caller_phone,
          targets,
          // The order may have grown while staff were rung; staff and the callback get it as it is now.
          order: await orderSoFar(db, { callSid: esc.call_sid, orderSessionId: envelope.orderSessionId, locationId: esc.location_id }),
          dialledNumber: call?.phoneTo ?? null,
        };
        const decision =
          esc.attempt + 1 < targets.length ? await dialDecision(ctx, db, loc, facts, esc.attempt + 1) : await callbackDecision(ctx, db, loc, facts, "no_answer", null);
        ctx.count(esc.reason, decision.action);
        return decision;
      }),
  };
}
