/**
 * Redaction of payment and identity numbers in call transcripts and event data, before anything is stored or
 * logged. Speech-to-text writes numbers either as digits ("4111 1111 …") or as words ("four one one one …",
 * "double four", Spanish "cuatro uno …"), so both are read into one digit stream:
 * - card numbers: 13–19 consecutive digits passing the Luhn check;
 * - security codes: 3–4 digits shortly after "security code", "CVV", "CVC", "código de seguridad";
 * - social security numbers: 3-2-4 written groups, or 9 digits shortly after "social security"/"SSN".
 * Digits are "consecutive" when only spaces, dashes, dots, commas or slashes separate them.
 */

export const REDACTED = {
  card: "[redacted card number]",
  securityCode: "[redacted security code]",
  ssn: "[redacted SSN]",
} as const;

const NUMBER_WORDS: Readonly<Record<string, string>> = {
  zero: "0", oh: "0", o: "0", one: "1", two: "2", three: "3", four: "4", five: "5", six: "6", seven: "7", eight: "8", nine: "9",
  cero: "0", uno: "1", una: "1", dos: "2", tres: "3", cuatro: "4", cinco: "5", seis: "6", siete: "7", ocho: "8", nueve: "9",
};
const REPEATERS: Readonly<Record<string, number>> = { double: 2, triple: 3, doble: 2 };

const SECURITY_CODE_CUE = /\b(security\s+code|cvv2?|cvc2?|card\s+code|c\s*v\s*v|c[oó]digo\s+de\s+seguridad)\b/i;
const SSN_CUE = /\b(social\s+security|ssn|s\s*s\s*n|seguro\s+social)\b/i;
/** How many characters before a run a cue may sit ("my security code is 123"). */
const CUE_WINDOW = 40;

interface Token {
  start: number;
  end: number;
  digits: string;
  /** Written digits (not words): the group structure of "123-45-6789". */
  written: boolean;
}

/** Digit-bearing tokens of the text, in order (number words and "double four" become digits). */
function digitTokens(text: string): Token[] {
  const out: Token[] = [];
  const re = /\d+|[A-Za-zÀ-ÿ]+/g;
  let pending: { times: number; start: number } | null = null;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const word = m[0];
    const start = m.index;
    const end = start + word.length;
    if (/^\d/.test(word)) {
      out.push({ start: pending?.start ?? start, end, digits: pending ? word[0]!.repeat(pending.times - 1) + word : word, written: !pending });
      pending = null;
      continue;
    }
    const lower = word.toLowerCase();
    const times = REPEATERS[lower];
    if (times !== undefined) {
      pending = { times, start };
      continue;
    }
    const d = NUMBER_WORDS[lower];
    if (d !== undefined && !(lower === "o" && !isDigitNeighbour(out, text, start))) {
      out.push({ start: pending?.start ?? start, end, digits: d.repeat(pending?.times ?? 1), written: false });
    } else {
      // A word that is not a number ends a run: mark it with an empty token.
      out.push({ start, end, digits: "", written: false });
    }
    pending = null;
  }
  return out;
}

/** "o" counts as zero only right after another digit token ("four o five"), never as the Spanish "or". */
function isDigitNeighbour(tokens: Token[], text: string, start: number): boolean {
  const prev = tokens.at(-1);
  return prev !== undefined && prev.digits !== "" && /^[\s,.\-/]*$/.test(text.slice(prev.end, start));
}

/** Maximal runs of digit tokens separated only by spaces and light punctuation. */
function runs(text: string): Token[][] {
  const all = digitTokens(text);
  const result: Token[][] = [];
  let cur: Token[] = [];
  for (const t of all) {
    const joined = cur.length > 0 && /^[\s,.\-/]*$/.test(text.slice(cur.at(-1)!.end, t.start));
    if (t.digits === "" || !joined) {
      if (cur.length > 0) result.push(cur);
      cur = t.digits === "" ? [] : [t];
    } else cur.push(t);
  }
  if (cur.length > 0) result.push(cur);
  return result;
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

interface Span {
  start: number;
  end: number;
  label: string;
}

/** The longest token sub-range of a run whose digits form a Luhn-valid 13–19 digit card number. */
function cardSpans(run: Token[]): Span[] {
  const spans: Span[] = [];
  let i = 0;
  while (i < run.length) {
    let best = -1;
    let digits = "";
    for (let j = i; j < run.length; j++) {
      digits += run[j]!.digits;
      if (digits.length > 19) break;
      if (digits.length >= 13 && luhnValid(digits)) best = j;
    }
    if (best >= 0) {
      spans.push({ start: run[i]!.start, end: run[best]!.end, label: REDACTED.card });
      i = best + 1;
    } else i++;
  }
  return spans;
}

function cueBefore(text: string, at: number, cue: RegExp): boolean {
  return cue.test(text.slice(Math.max(0, at - CUE_WINDOW), at));
}

function findSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const run of runs(text)) {
    const cards = cardSpans(run);
    spans.push(...cards);
    const rest = run.filter((t) => !cards.some((s) => t.start >= s.start && t.end <= s.end));
    if (rest.length === 0) continue;
    const digits = rest.map((t) => t.digits).join("");
    const first = rest[0]!;
    const last = rest.at(-1)!;
    const writtenSsn = rest.length === 3 && rest.every((t) => t.written) && rest.map((t) => t.digits.length).join("-") === "3-2-4";
    if (writtenSsn || (digits.length === 9 && cueBefore(text, first.start, SSN_CUE))) {
      spans.push({ start: first.start, end: last.end, label: REDACTED.ssn });
    } else if ((digits.length === 3 || digits.length === 4) && cueBefore(text, first.start, SECURITY_CODE_CUE)) {
      spans.push({ start: first.start, end: last.end, label: REDACTED.securityCode });
    }
  }
  return spans.sort((a, b) => a.start - b.start);
}

/** The text with every card number, security code and SSN replaced by a label. */
export function redactText(text: string): string {
  const spans = findSpans(text);
  if (spans.length === 0) return text;
  let out = "";
  let pos = 0;
  for (const s of spans) {
    if (s.start < pos) continue;
    out += text.slice(pos, s.start) + s.label;
    pos = s.end;
  }
  return out + text.slice(pos);
}

/** A deep copy of a JSON-like value with every string (and long number) redacted. */
export function redactValue(value: unknown): unknown {
  if (typeof value === "string") return redactText(value);
  if (typeof value === "number" && Number.isInteger(value) && Math.abs(value) >= 1e12) return redactText(String(value)) === String(value) ? value : REDACTED.card;
  if (Array.isArray(value)) return value.map(redactValue);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactValue(v);
    return out;
  }
  return value;
}
