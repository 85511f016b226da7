import { EscalationReason } from "@orderline/contracts";

/** Staff hear and read the summary: longer text is cut (a 5 KB "summary" is a model gone astray). */
export const SUMMARY_MAX_CHARS = 500;

/** Whitespace collapsed, cut at a word boundary to at most `max` characters with "…" when cut. */
export function cutSummary(text: string, max = SUMMARY_MAX_CHARS): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const head = flat.slice(0, max - 1);
  const space = head.lastIndexOf(" ");
  return `${(space > max * 0.6 ? head.slice(0, space) : head).replace(/[\s,;:.-]+$/, "")}…`;
}

/** A reason outside the fixed list is `other` (the words are kept as detail by the caller of this). */
export function normalizeReason(reason: unknown): EscalationReason {
  const parsed = EscalationReason.safeParse(reason);
  return parsed.success ? parsed.data : "other";
}
