import { AssessTurnArgs, AssessTurnResult, type RequestEnvelope } from "@orderline/contracts";
import type { EscalationContext } from "../context.ts";
import { cutSummary } from "../domain/summary.ts";
import { assessTurn, MAX_ASSESSED_CHARS } from "../domain/triggers.ts";
import { addCallEvent, findCall } from "../repositories/calls.ts";

/** Long digit runs (card or account numbers) never reach a summary or an event. */
const redactDigits = (text: string) => text.replace(/(?:\d[\s-]?){8,}/g, "[number] ");

/**
 * One caller turn (+ the call's counters) → its sentiment and the escalation triggers it fires. The same
 * rules for every engine: the gateway asks after each transcribed caller turn and, when `escalate`, either
 * tells the model (`instruction`) or transfers on its own with `reason` and `summaryHint`.
 */
export function assessTurnHandler(ctx: EscalationContext) {
  return {
    args: AssessTurnArgs,
    result: AssessTurnResult,
    async handle(args: AssessTurnArgs, envelope: RequestEnvelope): Promise<AssessTurnResult> {
      const { sentiment, triggers } = assessTurn(args.text, args.counters, ctx.config.triggers);
      const top = triggers[0];
      if (!top) return { sentiment, triggers, escalate: false, reason: null, summaryHint: null, instruction: null };
      const said = cutSummary(redactDigits(args.text.slice(0, MAX_ASSESSED_CHARS)), 300);
      const summaryHint = cutSummary(`Automatic transfer (${top.trigger.replaceAll("_", " ")}: ${top.evidence}).${said ? ` The caller said: "${said}"` : ""}`);
      const call = await findCall(ctx.db, envelope.callSid);
      await addCallEvent(ctx.db, call?.id ?? null, "escalation", { step: "triggered", triggers, sentiment, counters: args.counters }, ctx.clock());
      return {
        sentiment,
        triggers,
        escalate: true,
        reason: top.trigger,
        summaryHint,
        instruction: `Escalation needed (${top.trigger}). Call transfer_to_human now with reason "${top.trigger}" and a one-sentence summary for staff${top.trigger === "technical_failure" ? ", after a short apology" : ""}.`,
      };
    },
  };
}
