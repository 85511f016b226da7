import type { EscalationReason } from "@orderline/contracts";
import Sentiment from "sentiment";

/**
 * What a turn means before any menu work: a reason to hand the caller to staff, an attempt to change the
 * agent's rules, the caller giving up, or the end of the order. Patterns run on `clean()`ed text (lower case,
 * no accents); Spanish forms are listed beside the English ones.
 */

const ESCALATIONS: ReadonlyArray<[EscalationReason, RegExp]> = [
  [
    "caller_request",
    /\b(speak|talk|transfer me|put me through|connect me)\b.{0,20}\b(person|human|manager|someone|somebody|representative|rep|staff|employee|owner|agent|people|cashier)\b|\b(real|live|actual) (person|human|agent)\b|\boperator\b|\brepresentative\b|\bhablar con (una persona|alguien|el gerente|un humano|un empleado)\b|\bpersona real\b|\bun humano\b/,
  ],
  [
    "payment_or_refund",
    /\b(refund|money back|charged (me )?twice|double charged|overcharged|charged (me )?wrong|chargeback|dispute|card (was |got )?declined|payment (issue|problem)|billing (issue|problem)|reembolso|me cobraron|devolucion)\b/,
  ],
  [
    "allergy_confirmation",
    /\b(allergic|allergy|allergies|anaphyla\w*|celiac|coeliac|epipen|epi pen|alergia|alergico|alergica)\b/,
  ],
  [
    "large_order",
    /\b(cater|catering|caterer|office party|banquet|party (of|for) (\d{2,}|twenty|thirty|forty|fifty|hundred)|for (\d{2,}|twenty|thirty|forty|fifty|a hundred|hundred) (people|guests|persons|kids)|(\d{2,}|fifty|forty|thirty|hundred) (pizzas|pies)|para (\d{2,}|treinta|cuarenta|cincuenta|cien) personas|un evento)\b/,
  ],
  [
    "complaint",
    /\b(complain|complaint|terrible|horrible|awful|disgusting|worst|ridiculous|unacceptable|furious|angry|pissed|outraged|wrong order|never (came|arrived|showed)|still waiting|(was|is|came|arrived) (cold|burnt|burned|raw|soggy|late)|food poisoning|sick from|damn|crap|hate you|queja|pesimo|nunca llego|llego frio)\b/,
  ],
];

const sentiment = new Sentiment();
/** Words that are negative in AFINN but ordinary when ordering food ("no onions", "that's wrong, a medium", "I hate olives"). */
const ORDERING_WORDS = { no: 0, wrong: 0, hate: 0, hates: 0, sorry: 0, cancel: 0, hot: 0, spicy: 0, mild: 0, miss: 0, missed: 0, stop: 0, plain: 0 };
/** Sum of the clearly negative words (AFINN −2 or lower) at which a turn counts as angry: two of them. */
const ANGER_SCORE = -4;

/** The caller's anger, scored per turn with the AFINN word list (`sentiment`), not only from fixed phrases. */
export function angerScore(cleaned: string): number {
  const r = sentiment.analyze(cleaned, { extras: ORDERING_WORDS });
  let score = 0;
  for (const entry of r.calculation) for (const v of Object.values(entry)) if (v <= -2) score += v;
  return score;
}

/** An escalation trigger in what the caller said, or null. */
export function escalationIn(cleaned: string): EscalationReason | null {
  for (const [reason, re] of ESCALATIONS) if (re.test(cleaned)) return reason;
  if (angerScore(cleaned) <= ANGER_SCORE) return "complaint";
  return null;
}

const INJECTION =
  /\b(ignore (all |any |your |the |previous |prior |those )*(instructions|rules|prompt|programming|guidelines)|disregard (your|the|all|previous)|system prompt|you are now|from now on you|act as|pretend (to be|you)|jailbreak|developer mode|override|make (it|them|this|everything|my order|the order|my pizza|it all) free|for free|free of charge|no charge|100 (percent|%) off|zero dollars|give me (a )?discount|set the price|change the price|gratis|ignora (tus|las) instrucciones)\b/;

/** The caller tries to change how the agent works or what things cost. */
export function isInjection(cleaned: string): boolean {
  return INJECTION.test(cleaned);
}

const GIVE_UP =
  /^(never ?mind|forget (it|about it|the order|my order)|cancel (the|my) (whole )?order|cancel everything|i changed my mind|i dont want (it|anything|to order)( anymore)?|im good,? bye|goodbye|bye|bye bye|hang up|olvidalo|olvidelo|cancela (el|mi) pedido|ya no quiero|adios)\b|\b(forget it|never ?mind),? (bye|goodbye|ill call back)\b|\bcancel (the|my) (whole )?order\b/;

/** The caller gives up on the order. */
export function isGiveUp(cleaned: string): boolean {
  return GIVE_UP.test(cleaned.replace(/,/g, ""));
}

const DONE =
  /\b(thats (it|all|everything)|that is (it|all|everything)|that (will|would|should) be (it|all|everything)|thatll (be|do) (it|all)?|thats gonna be it|nothing else|im (done|good|all set)|all set|that does it|thats all i need|thats the order)\b/;

/** "That's it": the caller has finished ordering. */
export function isDone(cleaned: string): boolean {
  return DONE.test(cleaned.replace(/,/g, ""));
}

/** A turn that asks something (used to tell an unanswerable question from speech that was not understood). */
export function isQuestion(raw: string, cleaned: string): boolean {
  return raw.includes("?") || /^(what|whats|when|where|why|how|who|which|do you|does|did|is|are|can you|could you|will|would you|have you|cual|que|cuando|donde|por que|como|tienen)\b/.test(cleaned);
}
