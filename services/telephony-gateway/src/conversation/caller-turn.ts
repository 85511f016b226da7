import type { AssessTurnResult } from "@orderline/contracts";
import type { CallSession } from "../state/session.ts";
import type { CallStore } from "../state/store.ts";
import type { CallRecords } from "./call-records.ts";
import type { EscalationDesk } from "./escalation.ts";

/**
 * One caller turn, whatever the engine (Realtime's input transcription, a ConversationRelay prompt, a Gather
 * speech result): assessed by the escalation service with the call's counters from its session, then recorded
 * in the transcript with its sentiment score. Null when the service did not answer: the turn goes on as is.
 * The turn is stamped with `turn.at` (Realtime: when the caller's audio was committed), else with the moment it got
 * here, never with the end of the assessment: the engine's answer and its tool calls may start meanwhile, and the
 * call's page puts the turn before them.
 */
export async function assessCallerTurn(
  deps: { store: CallStore; escalation: EscalationDesk },
  records: CallRecords,
  session: CallSession,
  text: string,
  turn: { engineLost?: boolean; at?: string } = {},
): Promise<AssessTurnResult | null> {
  const at = turn.at ?? new Date().toISOString();
  const fresh = (await deps.store.getSession(session.callSid).catch(() => null)) ?? session;
  const result = await deps.escalation.assess(fresh, text, {
    unansweredQuestions: fresh.unansweredQuestions,
    consecutiveToolFailures: fresh.consecutiveToolFailures,
    failedTools: fresh.failedTools,
    engineLost: turn.engineLost ?? false,
    largeOrder: fresh.largeOrder,
  });
  await records.transcript("caller", text, result?.sentiment.score, at);
  if (result?.escalate) {
    await records.event("escalation", { step: "assessed", reason: result.reason, triggers: result.triggers.map((t) => t.trigger), sentiment: result.sentiment.score });
  }
  return result;
}

/** The staff summary of an assessment that said escalate (the service's hint, else the caller's words). */
export function assessedSummary(result: AssessTurnResult, text: string): string {
  return result.summaryHint ?? `The caller said: "${text.slice(0, 300)}"`;
}
