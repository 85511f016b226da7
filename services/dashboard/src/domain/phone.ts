import { type CountryCode, isSupportedCountry, PhoneNumberMatcher } from "libphonenumber-js";

/**
 * A caller number as someone who is not staff of the call's location sees it: the last two digits only (and
 * "+1" for North American numbers): "+1 ••••••••42"; anything not E.164 (withheld, "anonymous") is "hidden".
 */
export function maskPhone(phone: string | null): string | null {
  if (phone === null) return null;
  if (!/^\+[1-9]\d{6,14}$/.test(phone)) return "hidden";
  const nanp = phone.startsWith("+1") && phone.length === 12;
  const hidden = phone.length - (nanp ? 2 : 1) - 2;
  return `${nanp ? "+1 " : "+"}${"•".repeat(hidden)}${phone.slice(-2)}`;
}

/**
 * Free text (a transcript turn, a staff summary, event data) with every phone number in it masked like a caller
 * number ("it's Mike, +1 ••••••••67"). Numbers are found by libphonenumber-js as *possible* numbers of the
 * location's country (a transcript's "555-123-4567" is not a valid US number, and still the caller's).
 */
export function maskPhonesInText(text: string, country: string | null): string {
  const defaultCountry: CountryCode = country && isSupportedCountry(country) ? country : "US";
  const options = { defaultCountry, v2: true as const, leniency: "POSSIBLE" };
  const matcher = new PhoneNumberMatcher(text, options);
  let out = "";
  let from = 0;
  while (matcher.hasNext()) {
    const found = matcher.next()!;
    out += `${text.slice(from, found.startsAt)}${maskPhone(found.number.number)}`;
    from = found.endsAt;
  }
  return out + text.slice(from);
}

/** Every string inside a JSON value with its phone numbers masked (`maskPhonesInText`). */
export function maskPhonesInJson<T>(value: T, country: string | null): T {
  if (typeof value === "string") return maskPhonesInText(value, country) as T;
  if (Array.isArray(value)) return value.map((v) => maskPhonesInJson(v, country)) as T;
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskPhonesInJson(v, country)])) as T;
  return value;
}

/** Characters a phone search may contain; anything else is searched as plain text. */
const PHONE_LIKE = /^[\d\s()+.-]+$/;

/** What a calls search means: digits of a phone number, an order number, or text matched as is. */
export function searchTerms(q: string): { phoneDigits: string | null; orderNumber: number | null; text: string } {
  const text = q.trim().slice(0, 100);
  const digits = text.replace(/\D/g, "");
  const orderMatch = /^#?\s*(\d{1,6})$/.exec(text);
  return {
    phoneDigits: PHONE_LIKE.test(text) && digits.length >= 3 ? digits : null,
    orderNumber: orderMatch ? Number(orderMatch[1]) : null,
    text,
  };
}
