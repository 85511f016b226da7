/**
 * Normalisation of what callers say (after speech recognition) and of catalog names, so both sides of a
 * comparison go through the same function: lower case, no accents or punctuation, number words as
 * digits, unit spellings unified, plurals folded, filler words dropped.
 */

const NUMBER_WORDS: Readonly<Record<string, number>> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
};

/** Spellings of one unit or size word, folded to one token on both sides. */
const TOKEN_SYNONYMS: Readonly<Record<string, string>> = {
  pc: "piece",
  pcs: "piece",
  pieces: "piece",
  ct: "piece",
  count: "piece",
  in: "inch",
  inches: "inch",
  ounce: "oz",
  ounces: "oz",
  litre: "liter",
  litres: "liter",
  liters: "liter",
  ltr: "liter",
  l: "liter",
  lg: "large",
  lrg: "large",
  med: "medium",
  md: "medium",
  sm: "small",
  sml: "small",
  xl: "xlarge",
  xlg: "xlarge",
  xlarge: "xlarge",
  reg: "regular",
  lil: "little",
  "&": "and",
  n: "and",
};

/** Two-word spellings folded to one token before the single-token synonyms. */
const PHRASE_SYNONYMS: ReadonlyArray<[RegExp, string]> = [
  [/\b(extra|x) large\b/g, "xlarge"],
  [/\bx large\b/g, "xlarge"],
];

/** Words that carry no meaning in an item name. */
const FILLER = new Set([
  "a",
  "an",
  "the",
  "some",
  "any",
  "uh",
  "uhh",
  "um",
  "umm",
  "er",
  "erm",
  "hmm",
  "please",
  "pls",
  "just",
  "maybe",
  "like",
  "order",
  "of",
  "my",
  "me",
  "for",
  "and",
  "thanks",
  "thank",
  "you",
  "also",
  "yeah",
  "ok",
  "okay",
  "so",
  "oh",
  "well",
]);

/** Openers callers put before the item ("I'd like", "can I get"). Matched on the normalised text. */
const LEADING_PHRASES = [
  "id like to order",
  "id like to get",
  "id like",
  "i would like to order",
  "i would like",
  "i wanna order",
  "i wanna get",
  "i wanna",
  "i want to order",
  "i want to get",
  "i want",
  "i need",
  "ill have",
  "ill take",
  "ill get",
  "i will have",
  "i will take",
  "can i get",
  "can i have",
  "can i order",
  "could i get",
  "could i have",
  "could you give me",
  "can you give me",
  "can we get",
  "can we have",
  "give me",
  "get me",
  "let me get",
  "let me have",
  "lemme get",
  "lemme have",
  "im gonna get",
  "im going to get",
  "we want",
  "we would like",
  "wed like",
  "do you have",
  "do you guys have",
  "do you sell",
  "you have",
  "is there",
  "what about",
  "how about",
  "how much is",
  "how much are",
  "tell me about",
  "what is",
  "whats",
  "what are",
  "and",
];

const LEADING_RE = new RegExp(`^(?:(?:${LEADING_PHRASES.map((p) => p.replaceAll(" ", "\\s+")).join("|")})\\s+)+`);

/** Words that end in "s" in the singular; folding them would break matching. */
const KEEP_S = new Set(["fries", "nachos", "asparagus", "hummus", "couscous", "molasses", "swiss", "bus", "plus", "citrus", "octopus", "is", "us", "yes", "gas"]);

/** Lower case, accents and punctuation removed, whitespace collapsed. Apostrophes vanish ("I'd" → "id"). */
export function basicNormalize(text: string): string {
  let s = text.normalize("NFKD").replace(/\p{M}+/gu, "").toLowerCase();
  s = s.replace(/['’‘`]/g, "").replace(/&/g, " and ").replace(/(\d)\s*"/g, "$1 inch");
  s = s.replace(/(\d)([a-z])/g, "$1 $2").replace(/([a-z])(\d)/g, "$1 $2");
  s = s.replace(/[^\p{L}\p{N}]+/gu, " ").trim().replace(/\s+/g, " ");
  for (const [re, to] of PHRASE_SYNONYMS) s = s.replace(re, to);
  return s;
}

/** "cokes" → "coke", "berries" → "berry", "glasses" → "glass"; leaves short words and known singulars. */
export function singular(word: string): string {
  if (word.length <= 3 || KEEP_S.has(word) || !word.endsWith("s")) return word;
  if (word.endsWith("ss") || word.endsWith("us") || word.endsWith("is")) return word;
  if (word.endsWith("ies") && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(ch|sh|x|z|ss)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith("oes") && word.length > 5) return word.slice(0, -2);
  return word.slice(0, -1);
}

/** One token folded: number words to digits, unit spellings unified, plural folded. */
export function foldToken(token: string): string {
  const n = NUMBER_WORDS[token];
  if (n !== undefined) return String(n);
  const syn = TOKEN_SYNONYMS[token];
  if (syn !== undefined) return syn;
  return singular(token);
}

/** Normalised tokens of a catalog name or alias (filler dropped unless nothing else is left). */
export function nameTokens(text: string): string[] {
  const tokens = basicNormalize(text).split(" ").filter(Boolean).map(foldToken);
  const meaningful = tokens.filter((t) => !FILLER.has(t));
  return meaningful.length > 0 ? meaningful : tokens;
}

/** The normalised key of a catalog name or alias. */
export function nameKey(text: string): string {
  return nameTokens(text).join(" ");
}

export interface SpokenPhrase {
  /** Normalised tokens without openers, filler and the quantity (size words still in). */
  tokens: string[];
  /** Quantity said at the front ("two cokes"), if any. */
  quantity: number | undefined;
}

const QUANTITY_PHRASES: ReadonlyArray<[RegExp, number]> = [
  [/^a couple( of)? /, 2],
  [/^couple( of)? /, 2],
  [/^a pair of /, 2],
];

/**
 * Splits what the caller said into meaningful tokens and a leading quantity:
 * "Uh, I'd like two large pepperonis please" → tokens ["large", "pepperoni"], quantity 2.
 */
export function parseSpoken(text: string): SpokenPhrase {
  let s = basicNormalize(text);
  s = s.replace(/^(?:(?:uh+|um+|er+|erm|hmm+|yeah|ok|okay|so|oh|well|hi|hello|hey|and)\s+)+/, "");
  s = s.replace(LEADING_RE, "");
  let quantity: number | undefined;
  for (const [re, q] of QUANTITY_PHRASES) {
    if (re.test(s)) {
      quantity = q;
      s = s.replace(re, "");
      break;
    }
  }
  const raw = s.split(" ").filter(Boolean);
  const tokens = raw.map(foldToken).filter((t) => !FILLER.has(t));
  return { tokens: tokens.length > 0 ? tokens : raw.map(foldToken), quantity };
}

/** Leading quantity among tokens, when followed by something that is not a size ("2 coke" but not "2 liter"). */
export function takeQuantity(tokens: string[], isSizeStart: (rest: string[]) => boolean): { quantity: number | undefined; rest: string[] } {
  const first = tokens[0];
  if (first !== undefined && /^\d{1,2}$/.test(first) && tokens.length > 1 && !isSizeStart(tokens)) {
    const q = Number(first);
    if (q >= 1) return { quantity: q, rest: tokens.slice(1) };
  }
  return { quantity: undefined, rest: tokens };
}

/** A phrase safe to echo back in speech: normalised words only, bounded length (never raw caller text). */
export function speakable(text: string, max = 40): string {
  const s = basicNormalize(text.slice(0, 400));
  if (s.length <= max) return s;
  const cut = s.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return space > 10 ? cut.slice(0, space) : cut;
}
