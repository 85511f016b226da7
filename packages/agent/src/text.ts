import { basicNormalize } from "@orderline/catalog";

/**
 * Text helpers over what the recogniser heard: one normalised form (lower case, no accents or punctuation except
 * the commas that separate items), language detection, Spanish → English words for parsing, yes/no.
 */

/** Lower case, accents removed, punctuation other than commas dropped, whitespace collapsed. */
export function clean(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/['’‘`]/g, "")
    .replace(/&/g, " and ")
    .replace(/[.;!?¿¡:]+/g, ",")
    .replace(/[^\p{L}\p{N},#\s-]+/gu, " ")
    .replace(/\s*,[\s,]*/g, ", ")
    .replace(/\s+/g, " ")
    .replace(/^[,\s]+|[,\s]+$/g, "");
}

/** Words of a cleaned text without commas. */
export function words(text: string): string[] {
  return basicNormalize(text).split(" ").filter(Boolean);
}

const SPANISH_STRONG = /\b(hola|buenas|quiero|quisiera|queria|por favor|gracias|para llevar|a domicilio|recoger|eso es todo|nada mas|necesito|me da|dame|me llamo|mi nombre|numero|telefono|direccion|senor|senora|bueno|tambien|cuanto|cuesta|tienen|donde|hablar con|una pizza|dos pizzas)\b/g;
const SPANISH_WEAK = /\b(una|uno|dos|tres|cuatro|cinco|grande|mediana|mediano|pequena|chica|con|sin|de|y|si|refresco|alitas|queso|cebolla|bebida|ensalada|pollo|para|el|la|los|las)\b/g;
const ENGLISH_MARKERS = /\b(hi|hello|i want|id like|i would like|can i get|could i get|please|thanks|thank you|the|and|with|for|pickup|delivery|large|medium|small|get|have|yes|my)\b/g;

/** Which language the caller spoke in this turn, when it is clear; null when it isn't. */
export function detectLanguage(cleaned: string): "en" | "es" | null {
  const strong = cleaned.match(SPANISH_STRONG)?.length ?? 0;
  const weak = cleaned.match(SPANISH_WEAK)?.length ?? 0;
  const english = cleaned.match(ENGLISH_MARKERS)?.length ?? 0;
  const spanish = strong * 2 + weak;
  if (spanish >= 3 && spanish > english * 1.5) return "es";
  if (english >= 2 && english > spanish) return "en";
  return null;
}

/** Spanish phrases → English ones the parser knows, longest first. */
const ES_PHRASES: ReadonlyArray<[RegExp, string]> = [
  [/\beso es todo\b|\bes todo\b|\bnada mas\b|\beso seria todo\b/g, "thats it"],
  [/\bpara (llevar|recoger)\b|\bpasar a recoger\b|\brecoger(lo|la)?\b/g, "pickup"],
  [/\ba domicilio\b|\bpara entrega\b|\bentrega\b|\benvio\b/g, "delivery"],
  [/\bmi nombre es\b|\bme llamo\b/g, "my name is"],
  [/\beste (mismo )?numero\b|\bel numero del que llamo\b|\bel mismo numero\b/g, "this number"],
  [/\bcon extra\b|\bextra de\b/g, "extra"],
  [/\bsalsa (?:de |estilo )?(\w+)/g, "$1 sauce"],
  [/\bpapas fritas\b/g, "fries"],
  [/\balitas de pollo\b|\balitas\b/g, "wings"],
  [/\bte helado\b/g, "iced tea"],
  [/\bpan de ajo\b/g, "garlic bread"],
  [/\bnudos de ajo\b|\bpalitos de ajo\b/g, "garlic knots"],
  [/\bcoca colas?\b|\bcocas?\b/g, "coke"],
  [/\bensalada cesar\b/g, "caesar salad"],
  [/\bquiero\b|\bquisiera\b|\bqueria\b|\bme da\b|\bme das\b|\bdame\b|\bme pone\b|\bnecesito\b/g, "i want"],
  [/\bpor favor\b/g, "please"],
  [/\bcuanto cuesta\b|\bcuanto cuestan\b|\bcuanto es\b/g, "how much is"],
  [/\ba que hora (cierran|abren)\b|\bhorario\b/g, "what are your hours"],
  [/\bdonde estan\b|\bdonde quedan\b/g, "where are you"],
];

const ES_WORDS: Readonly<Record<string, string>> = {
  un: "a",
  una: "a",
  uno: "one",
  dos: "two",
  tres: "three",
  cuatro: "four",
  cinco: "five",
  seis: "six",
  siete: "seven",
  ocho: "eight",
  nueve: "nine",
  diez: "ten",
  doce: "twelve",
  docena: "dozen",
  grande: "large",
  grandes: "large",
  mediana: "medium",
  mediano: "medium",
  medianas: "medium",
  medianos: "medium",
  pequena: "small",
  pequeno: "small",
  pequenas: "small",
  chica: "small",
  chico: "small",
  sin: "no",
  con: "with",
  y: "and",
  tambien: "also",
  queso: "cheese",
  cebolla: "onions",
  cebollas: "onions",
  champinones: "mushrooms",
  hongos: "mushrooms",
  pimientos: "peppers",
  aceitunas: "olives",
  pina: "pineapple",
  jamon: "ham",
  tocino: "bacon",
  pollo: "chicken",
  salchicha: "sausage",
  agua: "water",
  limonada: "lemonade",
  ensalada: "salad",
  refresco: "soda",
  si: "yes",
  claro: "yes",
  correcto: "yes",
  exacto: "yes",
  vale: "yes",
  gracias: "thanks",
  hola: "hello",
  de: "",
  del: "",
  la: "",
  el: "",
  los: "",
  las: "",
  por: "",
  favor: "",
};

/** Spanish caller text in the English words the parser understands (item names pass through unchanged). */
export function spanishToEnglish(cleaned: string): string {
  let s = cleaned;
  for (const [re, to] of ES_PHRASES) s = s.replace(re, to);
  return s
    .split(" ")
    .map((w) => {
      const comma = w.endsWith(",");
      const bare = comma ? w.slice(0, -1) : w;
      const to = ES_WORDS[bare];
      return to === undefined ? w : `${to}${comma && to ? "," : ""}`;
    })
    .filter(Boolean)
    .join(" ")
    .replace(/\s+/g, " ")
    .trim();
}

const YES = /^(yes|yeah|yea|yep|yup|sure|correct|right|thats right|thats correct|sounds good|perfect|ok|okay|absolutely|definitely|uh huh|please do|go ahead|do it|affirmative|you got it|yes please|that works|fine|great)\b/;
const NO = /^(no|nope|nah|not really|negative|wrong|incorrect|thats wrong|no thanks|no thank you)\b/;

/** Yes or no in its many forms, or null. */
export function yesNo(cleaned: string): "yes" | "no" | null {
  const s = cleaned.replace(/,/g, " ").replace(/^(um|oh|well|hmm)\s+/, "").replace(/\s+/g, " ").trim();
  if (NO.test(s)) return "no";
  if (YES.test(s)) return "yes";
  return null;
}

const DIGIT_WORDS: Readonly<Record<string, string>> = {
  zero: "0",
  oh: "0",
  o: "0",
  cero: "0",
  one: "1",
  uno: "1",
  two: "2",
  dos: "2",
  three: "3",
  tres: "3",
  four: "4",
  cuatro: "4",
  five: "5",
  cinco: "5",
  six: "6",
  seis: "6",
  seven: "7",
  siete: "7",
  eight: "8",
  ocho: "8",
  nine: "9",
  nueve: "9",
};

/**
 * Runs of digits in the text, spoken digit words included ("five five five, one two three" → "555123").
 * "double five" → "55". Separators (spaces, dashes, dots, commas, parentheses) do not break a run.
 */
export function digitRuns(cleaned: string): string[] {
  const tokens = cleaned.replace(/[()]/g, " ").split(/[\s,.-]+/).filter(Boolean);
  const runs: string[] = [];
  let run = "";
  let repeat = 1;
  for (const t of tokens) {
    if (t === "double" || t === "triple") {
      repeat = t === "double" ? 2 : 3;
      continue;
    }
    const d = /^\d+$/.test(t) ? t : DIGIT_WORDS[t];
    if (d !== undefined) {
      run += d.repeat(repeat);
    } else if (run) {
      runs.push(run);
      run = "";
    }
    repeat = 1;
  }
  if (run) runs.push(run);
  return runs;
}

/** A card number read out: 13–19 digits in one run, or card words next to a long run of digits. */
export function looksLikeCardNumber(cleaned: string): boolean {
  const runs = digitRuns(cleaned);
  if (runs.some((r) => r.length >= 13 && r.length <= 19)) return true;
  return /\b(card|visa|mastercard|amex|american express|discover|cvv|cvc|tarjeta)\b/.test(cleaned) && runs.some((r) => r.length >= 4);
}

const OTHER_LANGUAGE = /\b(je|voudrais|bonjour|merci|sil vous plait|avec|ich|mochte|bitte|danke|guten|eine|vorrei|grazie|buongiorno|obrigado|queria uma|por favor uma)\b/g;

/** Speech in a language the agent does not speak (French, German, Italian, Portuguese markers). */
export function isOtherLanguage(cleaned: string): boolean {
  return (cleaned.match(OTHER_LANGUAGE)?.length ?? 0) >= 2;
}
