import type { Lang } from "../twiml.ts";

// Short, frequent words that tell English from Spanish in a phone order ("quiero una pizza grande, por favor").
const WORDS: Record<Lang, ReadonlySet<string>> = {
  en: new Set(["i", "i'd", "i'm", "want", "would", "like", "please", "the", "and", "with", "can", "get", "have", "my", "for", "you", "what", "is", "it", "yes", "no", "thanks", "order", "large", "small"]),
  es: new Set(["quiero", "quisiera", "por", "favor", "una", "uno", "el", "la", "los", "las", "con", "sin", "para", "tiene", "tienen", "gracias", "hola", "sí", "si", "pedido", "grande", "pequeña", "mediana", "cuánto", "cuesta", "es", "de", "y", "me", "hablo", "español"]),
};

/**
 * The language a caller's words are in, when they say so clearly (at least two telling words and twice as
 * many as the other language's); null when unsure — the call then stays in its language.
 */
export function detectLanguage(text: string): Lang | null {
  const words = text.toLowerCase().match(/[a-záéíóúñü']+/g) ?? [];
  let en = 0;
  let es = 0;
  for (const w of words) {
    if (WORDS.en.has(w)) en++;
    if (WORDS.es.has(w)) es++;
  }
  if (es >= 2 && es >= 2 * en) return "es";
  if (en >= 2 && en >= 2 * es) return "en";
  return null;
}
