import { parsePhoneNumberFromString } from "libphonenumber-js";
import { digitRuns } from "./text.ts";

/** Name, phone and address as callers say them. Every parser returns null rather than guess. */

/** US phone digits from what the caller said ("five five five, one two three, four five six seven"), as E.164. */
export function parsePhone(cleaned: string): string | null {
  const runs = digitRuns(cleaned);
  const joined = runs.join("");
  for (const candidate of [joined, ...runs]) {
    if (candidate.length < 10 || candidate.length > 11) continue;
    const parsed = parsePhoneNumberFromString(candidate, "US");
    if (parsed?.isPossible() && parsed.number.startsWith("+1")) return parsed.number;
  }
  return null;
}

/** The caller means the number they are calling from. */
export function meansCallerId(cleaned: string): boolean {
  return /\b(this number|that number|this one|the number im calling from|the one im calling from|same number|number i called from|caller id|use (that|this|it|my number)|thats fine|(number|it|that) is fine|this phone|my cell)\b/.test(cleaned);
}

const NOT_NAMES = new Set([
  "yes", "no", "yeah", "nope", "okay", "ok", "sure", "pickup", "delivery", "thanks", "hello", "hi", "the", "a", "and", "for", "please",
  "order", "um", "uh", "thats", "it", "its", "all", "what", "why", "how", "where", "when", "who", "is", "are", "do", "can", "i", "you",
  "large", "medium", "small", "pizza", "never", "mind", "done", "nothing", "else", "actually", "wait", "sorry",
]);

/** "Mike", "it's Mike Jones", "my name is Mike, 555…" → "Mike Jones". */
export function parseName(cleaned: string, raw: string): string | null {
  const m =
    /\b(?:my name is|my names|name is|names|its|it is|this is|im|i am|under|put it under|for|soy)\s+([a-z][a-z-]*(?:\s+[a-z][a-z-]*){0,2})/.exec(cleaned) ??
    /^([a-z][a-z-]*(?:\s+[a-z][a-z-]*){0,2})(?:,|$|\s+\d|\s+(?:zero|one|two|three|four|five|six|seven|eight|nine)\b)/.exec(cleaned);
  if (!m?.[1]) return null;
  const parts = m[1]
    .split(/\s+/)
    .filter((w) => !/^(zero|oh|one|two|three|four|five|six|seven|eight|nine|and|my|number|phone|is)$/.test(w));
  if (parts.length === 0 || parts.some((w) => NOT_NAMES.has(w)) || parts.join(" ").length > 60) return null;
  // Keep the caller's own capitalisation when the recogniser gave one ("McDonald"), else capitalise.
  return parts
    .map((w) => {
      const original = new RegExp(`\\b(${w.replace(/-/g, "\\-")})\\b`, "i").exec(raw.normalize("NFC"))?.[1];
      return original && original !== original.toLowerCase() ? original : w.charAt(0).toUpperCase() + w.slice(1);
    })
    .join(" ");
}

export interface SpokenAddress {
  street?: string;
  unit?: string;
  postal_code?: string;
}

const UNIT = /\b(?:apartment|apartamento|departamento|depto|apt|unit|suite|ste|floor|fl|piso|number|#)\s*#?\s*([a-z0-9-]{1,8})\b/;

/** "250 West 57th Street, apartment 4B, 10019" → street, unit, ZIP (any part may be missing). */
export function parseAddress(cleaned: string): SpokenAddress {
  const out: SpokenAddress = {};
  let text = cleaned.replace(/\b(its|it is|the address is|address is|deliver (it )?to|send it to|im at|at)\b/g, " ");
  const zip = /\b(\d{5})(?:-\d{4})?\s*,?\s*$/.exec(text.trim()) ?? /\b(?:zip|zip code|postal code|codigo postal)\s*(?:is\s*)?(\d{5})\b/.exec(text);
  if (zip?.[1]) {
    out.postal_code = zip[1];
    text = text.replace(zip[0], " ");
  } else {
    const spokenZip = /\b(?:zip|zip code|codigo postal)\s*(?:is\s*)?((?:(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)\s*){5})/.exec(text);
    if (spokenZip?.[1]) {
      const digits = spokenZip[1].trim().split(/\s+/).map((w) => ({ zero: "0", oh: "0", one: "1", two: "2", three: "3", four: "4", five: "5", six: "6", seven: "7", eight: "8", nine: "9" })[w] ?? "");
      if (digits.join("").length === 5) out.postal_code = digits.join("");
      text = text.replace(spokenZip[0], " ");
    }
  }
  const unit = UNIT.exec(text);
  if (unit?.[1]) {
    out.unit = unit[1].toUpperCase();
    text = text.replace(unit[0], " ");
  }
  const street = /\b(\d{1,6}[a-z]?\s+(?:[a-z0-9]+\s*){1,6}?(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|place|pl|way|court|ct|broadway|parkway|pkwy|terrace|plaza|square|calle|avenida)\b(?:\s+(?:north|south|east|west|n|s|e|w))?)/.exec(
    text.replace(/,/g, " ").replace(/\s+/g, " "),
  );
  if (street?.[1]) out.street = titleCase(street[1].trim());
  return out;
}

function titleCase(s: string): string {
  return s.replace(/\b([a-z])/g, (c) => c.toUpperCase()).replace(/\b(\d+)(St|Nd|Rd|Th)\b/g, (_m, d: string, suf: string) => `${d}${suf.toLowerCase()}`);
}
