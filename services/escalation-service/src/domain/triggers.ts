import { EscalationTrigger, type FiredTrigger, type TurnCounters, type TurnSentiment } from "@orderline/contracts";
import Sentiment from "sentiment";
import { ALLERGY, CATERING, firstMatch, NEEDS_CERTAINTY, normalizeTurn, PHRASES } from "./phrases.ts";

/** Limits of the rule-based triggers (env: see README). */
export interface TriggerLimits {
  /** A turn scoring at or below this (sum of AFINN word scores) is angry. */
  angerScore: number;
  /** Questions in a row not answered before a person takes over (seed: 2). */
  unansweredQuestions: number;
  /** Tool requests in a row with no usable reply before a person takes over. */
  consecutiveToolFailures: number;
  /** Tool requests with no usable reply on the call before a person takes over. */
  failedTools: number;
}

export const DEFAULT_TRIGGER_LIMITS: TriggerLimits = { angerScore: -3, unansweredQuestions: 2, consecutiveToolFailures: 2, failedTools: 3 };

/** Only the first part of a very long turn is read (a 5 KB "turn" is noise or an attack, never slow). */
export const MAX_ASSESSED_CHARS = 2000;

// Restaurant complaints AFINN does not weigh ("it came cold and late" scores 0 there).
const RESTAURANT_WORDS: Record<string, number> = {
  cold: -1,
  late: -2,
  soggy: -2,
  burnt: -2,
  undercooked: -3,
  stale: -2,
  missing: -2,
  wrong: -2,
  rude: -3,
  forever: -1,
  unacceptable: -3,
  inedible: -3,
};

const analyzer = new Sentiment();

/** Sentiment of the caller's words with the `sentiment` library (AFINN-165, negation-aware) plus restaurant words. */
export function sentimentOf(text: string): TurnSentiment {
  const r = analyzer.analyze(text, { extras: RESTAURANT_WORDS });
  const comparative = Number.isFinite(r.comparative) ? Math.round(r.comparative * 1000) / 1000 : 0;
  return { score: r.score, comparative, label: r.score < 0 ? "negative" : r.score > 0 ? "positive" : "neutral" };
}

export interface TurnAssessment {
  sentiment: TurnSentiment;
  /** Highest priority first (EscalationTrigger order). */
  triggers: FiredTrigger[];
}

/**
 * Which of the seed's seven triggers one caller turn fires, given the call's counters. Pure and engine-free,
 * so Realtime, a text model and the local agent reach the same decision from the same turn.
 */
export function assessTurn(rawText: string, counters: TurnCounters, limits: TriggerLimits = DEFAULT_TRIGGER_LIMITS): TurnAssessment {
  const text = normalizeTurn(rawText.slice(0, MAX_ASSESSED_CHARS));
  const sentiment = sentimentOf(text);
  const fired = new Map<EscalationTrigger, string>();
  const fire = (t: EscalationTrigger, evidence: string) => {
    if (!fired.has(t)) fired.set(t, evidence);
  };

  if (counters.engineLost) fire("technical_failure", "the conversation engine was lost");
  if (counters.consecutiveToolFailures >= limits.consecutiveToolFailures) fire("technical_failure", `${counters.consecutiveToolFailures} tool failures in a row`);
  if (counters.failedTools >= limits.failedTools) fire("technical_failure", `${counters.failedTools} tool failures on this call`);

  const person = firstMatch(text, PHRASES.caller_request);
  if (person) fire("caller_request", `phrase: ${person.name}`);

  if (ALLERGY.test(text) && NEEDS_CERTAINTY.test(text)) fire("allergy_confirmation", "allergy question that needs a person's confirmation");

  const payment = firstMatch(text, PHRASES.payment_or_refund);
  if (payment) fire("payment_or_refund", `phrase: ${payment.name}`);

  const complaint = firstMatch(text, PHRASES.complaint);
  if (sentiment.score <= limits.angerScore) fire("complaint", `sentiment ${sentiment.score}`);
  else if (complaint) fire("complaint", `phrase: ${complaint.name}`);

  if (counters.largeOrder) fire("large_order", "the order service flagged the order as large");
  else if (CATERING.test(text)) fire("large_order", "catering or large group");

  if (counters.unansweredQuestions >= limits.unansweredQuestions) fire("unanswered_question", `${counters.unansweredQuestions} questions in a row not answered`);

  const triggers = EscalationTrigger.options.filter((t) => fired.has(t)).map((t) => ({ trigger: t, evidence: fired.get(t)! }));
  return { sentiment, triggers };
}
