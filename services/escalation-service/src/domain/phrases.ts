import type { EscalationTrigger } from "@orderline/contracts";

/**
 * What callers say when one of the text-detected triggers applies, English and Spanish, matched on the
 * lower-cased, accent-free turn. Anger is not only words from here: the `sentiment` score decides it too.
 * Each entry names itself in the evidence ("phrase: talk to a person").
 */
export type Phrase = { name: string; re: RegExp };

const p = (name: string, re: RegExp): Phrase => ({ name, re });

const PERSON = "(?:a |an |the |some |)(?:real |actual |live )?(?:person|human|human being|someone|somebody|manager|supervisor|owner|staff|employee|representative|rep|operator|agent|team member)";

export const PHRASES: Readonly<Record<Exclude<EscalationTrigger, "large_order" | "unanswered_question" | "technical_failure" | "allergy_confirmation">, Phrase[]>> = {
  caller_request: [
    p("talk to a person", new RegExp(String.raw`\b(?:talk|speak|speaking|talking)\s+(?:to|with)\s+${PERSON}\b`)),
    p("get me a person", new RegExp(String.raw`\b(?:get|give|put)\s+me\s+(?:to\s+|through\s+to\s+)?${PERSON}\b`)),
    p("transfer me", /\b(?:transfer|connect|put)\s+me\b(?!\s+(?:down|on)\b)/),
    p("a real person", /\b(?:real|actual|live)\s+(?:person|human)\b/),
    p("not a robot", /\b(?:not|no)\s+(?:a |an |the )?(?:robot|machine|bot|computer|ai)\b/),
    p("operator", /^\W*(?:operator|representative|agent|human)\W*$/),
    p("hablar con una persona", /\bhablar\s+con\s+(?:una persona|alguien|el gerente|la gerente|un humano|el encargado|la encargada|un empleado)\b/),
    p("persona real", /\bpersona\s+real\b/),
  ],
  complaint: [
    p("complaint", /\b(?:complain|complaint|complaining)\b/),
    p("wrong order", /\bwrong\s+(?:order|pizza|food|item|items)\b/),
    p("never arrived", /\bnever\s+(?:arrived|came|showed up|got here|delivered)\b/),
    p("still waiting", /\bstill\s+(?:waiting|hasn't come|has not come|not here)\b/),
    p("food was cold", /\b(?:was|were|is|are|arrived|came)\s+(?:cold|soggy|burnt|burned|raw|stale|undercooked)\b/),
    p("missing from my order", /\bmissing\s+(?:from\s+my\s+order|an?\s+item|items|my)\b/),
    p("got sick", /\b(?:food poisoning|got sick|made me sick)\b/),
    p("queja", /\b(?:queja|quejarme|reclamo|reclamacion|pedido equivocado|llego frio|nunca llego)\b/),
  ],
  payment_or_refund: [
    p("refund", /\b(?:refund|refunded|money back|reembolso|devolucion)\b/),
    p("charged twice", /\b(?:charged|billed)\s+(?:me\s+)?(?:twice|two times|double|wrong|too much)\b|\bdouble[- ]charged\b|\bovercharged\b/),
    p("card declined", /\bcard\s+(?:was\s+|got\s+)?(?:declined|rejected|charged)\b/),
    p("payment problem", /\b(?:payment|billing|charge|receipt)\s+(?:problem|issue|question|error|dispute)\b|\bchargeback\b|\bdispute\b/),
    p("me cobraron", /\bme\s+cobraron\b|\bcobro\s+doble\b|\bproblema\s+con\s+(?:el\s+)?pago\b/),
  ],
};

/** Allergy words: a turn with one of these and a need for certainty goes to a person. */
export const ALLERGY = /\b(?:allerg\w*|anaphyla\w*|epi-?pen|celiac|coeliac|gluten[- ]free|nut[- ]free|peanuts?|tree nuts?|shellfish|sesame|lactose|dairy[- ]free|intoleran\w*|alergi\w*|alergic\w*|celiaco|mani|cacahuate)\b/;

/** Asking for a guarantee, about cross-contact, or saying it is severe: the listed allergens cannot answer that. */
export const NEEDS_CERTAINTY =
  /\b(?:safe|guarantee\w*|sure|certain|promise|cross[- ]?(?:contamination|contact)|contaminat\w*|same (?:fryer|oven|kitchen|surface|board)|separate\w*|traces?|severe\w*|serious\w*|deadly|die|hospital|confirm\w*|check with|ask (?:the )?(?:kitchen|cook|chef)|seguro|garantiz\w*|contaminacion|grave)\b/;

/** Catering / large group words (the order service's flag is the other way in). */
export const CATERING = /\b(?:cater\w*|banquete|office (?:party|lunch|event)|party (?:of|for) \d{2,}|for (?:\d{2,}|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|a hundred|hundred)\b[\w-]*) (?:people|guests|persons|kids|employees)|para \d{2,} personas)\b/;

/** Lower case, accents removed, spaces collapsed: "¿Hablar con el GERENTE?" → "¿hablar con el gerente?". */
export function normalizeTurn(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/\s+/g, " ")
    .trim();
}

/** The first phrase that matches, or undefined. */
export function firstMatch(text: string, phrases: readonly Phrase[]): Phrase | undefined {
  return phrases.find((ph) => ph.re.test(text));
}
