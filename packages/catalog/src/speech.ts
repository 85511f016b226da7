/**
 * Spoken-text helpers shared by every service that writes sentences for the caller (menu, order, and the
 * agent that says them). One owner each: a second copy elsewhere is a bug waiting to disagree.
 */
import { parsePhoneNumberFromString } from "libphonenumber-js";

/** "a Large …", "an 8 Piece …", "an Entrée …", "an 11 inch …", "a 12 Piece …". */
export function article(word: string): "a" | "an" {
  const w = word.trim().toLowerCase().normalize("NFKD");
  return /^(?:[aeiou]|8|11\b|18\b|honest|hour)/.test(w) ? "an" : "a";
}

/**
 * "the A, the B or the C". `conjunction` is the word itself ("or", "and"; the Spanish "y"/"o" come from
 * `SPOKEN.es.list`). `article` is put before each name ("" for none). With `serialComma` the last two
 * are separated by ", and" too ("mushrooms, no onions, and extra cheese") — the order readback uses it so a
 * list of modifiers is heard as separate things; menu listings use the plain form.
 */
export function listNames(names: readonly string[], conjunction: string = "or", article = "the ", opts: { serialComma?: boolean } = {}): string {
  const items = names.map((n) => `${article}${n}`);
  if (items.length <= 1) return items.join("");
  if (items.length === 2) return `${items[0]} ${conjunction} ${items[1]}`;
  return `${items.slice(0, -1).join(", ")}${opts.serialComma ? "," : ""} ${conjunction} ${items[items.length - 1]}`;
}

/** A phone number as people say it: (212) 555-0100 for US and Canadian numbers, international format otherwise; unparsable input as is. */
export function speakablePhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  return parsed.country === "US" || parsed.country === "CA" ? parsed.formatNational() : parsed.formatInternational();
}
