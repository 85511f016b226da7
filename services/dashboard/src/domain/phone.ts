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
