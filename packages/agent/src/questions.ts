import type { OrderType } from "@orderline/contracts";
import { say as t, type Lang, sizePrice } from "./speech.ts";
import { callTool, callToolOk, detailNames } from "./tool-client.ts";
import type { AgentTools } from "./types.ts";

/**
 * Questions a caller asks at any point — hours, open now, location, wait time, specials, price of X, do you
 * have Y, what's in X, allergens, what's on the menu — answered from the tools. Returns null when the turn
 * asks none of these.
 */

const DAY = /\b(today|tonight|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/;

function subjectAfter(cleaned: string, re: RegExp): string | null {
  const m = re.exec(cleaned);
  if (!m) return null;
  const rest = cleaned
    .slice(m.index + m[0].length)
    .replace(/^[\s,]+/, "")
    .replace(/\b(have in it|has in it|in it|come with|comes with|contain|contains|cost|costs|made of|made with|on it|on the menu|today|right now|please)\b.*$/, "")
    .replace(/\b(the|a|an|your|does|do|is|are|of)\b/g, " ")
    .replace(/[,\s]+/g, " ")
    .trim();
  return rest.length >= 2 && rest.length <= 60 ? rest : null;
}

export interface Answer {
  say: string;
  /** The menu item the answer was about ("a large one then" refers to it). */
  topic?: string;
}

export async function answerQuestion(cleaned: string, lang: Lang, orderType: OrderType | null, tools: AgentTools): Promise<Answer | null> {
  const said = await answer(cleaned, lang, orderType, tools);
  return typeof said === "string" ? { say: said } : said;
}

async function answer(cleaned: string, lang: Lang, orderType: OrderType | null, tools: AgentTools): Promise<string | Answer | null> {
  const s = t(lang);
  if (/\b(hours|open|close|closing|closed|opening)\b/.test(cleaned) && !/\b(order|item)\b/.test(cleaned)) {
    const day = DAY.exec(cleaned)?.[1];
    const r = await callToolOk(tools, "get_hours", day && day !== "tonight" ? { day } : {});
    if (lang === "en") return r.speech;
    return s.hours(r.opensAt, r.closesAt, r.closed, day && day !== "tonight" ? r.weekday : "today");
  }
  if (/\b(where are you|where is the restaurant|where you are|address|located|location|directions|parking|cross street)\b/.test(cleaned) && !/\bdeliver/.test(cleaned)) {
    const r = await callToolOk(tools, "get_location", {});
    return lang === "en" ? r.speech : s.location(r.address);
  }
  if (/\b(how long|wait time|what.?s the wait|when will it be ready|how soon|ready in)\b/.test(cleaned)) {
    const type: OrderType = /\bdeliver/.test(cleaned) ? "delivery" : (orderType ?? "pickup");
    const r = await callToolOk(tools, "get_wait_time", { order_type: type });
    return lang === "en" ? r.speech : s.wait(r.minutes, type);
  }
  if (/\b(specials?|deals?|promotions?|promos?|coupons?|especiales|ofertas)\b/.test(cleaned)) {
    const r = await callToolOk(tools, "get_specials", {});
    if (lang === "en") return r.speech;
    return r.specials.length === 0 ? s.noSpecials() : s.specials(r.specials.map((x) => x.name));
  }
  if (/\bdo you (guys )?(deliver|do delivery|have delivery)\b/.test(cleaned)) {
    return s.weDeliver();
  }
  if (/\b(how much is (that|it|this)|how much do i owe|whats my total|what is my total|total so far|how much is my (order|total))\b/.test(cleaned)) {
    const r = await callTool(tools, "get_order_summary", {});
    return r.ok && r.result.cart.lines.length > 0 ? s.total(r.result.cart.totalCents) : s.emptyCart();
  }
  const categoryAsked = /\bwhat (\w+(?: \w+)?) do you (guys )?(have|got|sell|carry)\b/.exec(cleaned)?.[1];
  if (categoryAsked && !/^(else|kind|kinds|sort|type|types|time|hours)$/.test(categoryAsked)) return menuOf(categoryAsked, lang, tools);
  if (/\b(pay|payment|cash|credit card|debit)\b/.test(cleaned) && /\b(how|can i|do you take|accept|do you)\b/.test(cleaned)) {
    return s.payment();
  }
  const allergenSubject =
    subjectAfter(cleaned, /\b(allergens? (are )?in|allergens? (does|do)|does|is there (any )?(dairy|gluten|wheat|nuts?|egg|soy) in)\b/) ??
    subjectAfter(cleaned, /\ballergens?\b( for| of)?/);
  if (/\b(allergens?|gluten|dairy|nuts?|peanuts?|milk|eggs?|soy|wheat|sesame|shellfish|fish)\b/.test(cleaned) && allergenSubject && /\b(allergen|contain|have|in)\b/.test(cleaned)) {
    const subject = allergenSubject.replace(/\b(gluten|dairy|nuts?|peanuts?|milk|eggs?|soy|wheat|sesame|shellfish|fish|allergens?|have|any|in|contain)\b/g, "").trim();
    if (subject) return describeItem(subject, lang, tools, "allergens");
  }
  const priceSubject = subjectAfter(cleaned, /\b(how much (is|are|for|does|do)|whats the price (of|for)|what is the price (of|for)|price (of|for)|how much)\b/);
  if (priceSubject) return describeItem(priceSubject, lang, tools, "price");
  const whatsIn = subjectAfter(cleaned, /\b(whats in|what is in|whats on|what is on|what comes on|what comes with|what does|whats the|tell me about|describe)\b/);
  if (whatsIn && !/\b(menu|special)/.test(whatsIn)) return describeItem(whatsIn, lang, tools, "describe");
  const haveSubject = subjectAfter(cleaned, /\b(do you (guys )?(have|sell|carry|make)|you (guys )?(have|got)|is there|have you got|tienen|hay)\b/);
  if (haveSubject && !/\b(special|deal|delivery|parking)/.test(haveSubject)) {
    if (/^(any |anything )?(drinks?|pizzas?|sides?|desserts?|salads?|pasta|wings?|subs?|sodas?)$/.test(haveSubject)) return menuOf(haveSubject, lang, tools);
    const r = await callTool(tools, "check_availability", { item_name: haveSubject });
    if (!r.ok) {
      return notFound(r.error, haveSubject, lang);
    }
    if (r.result.available) return { say: s.have(r.result.name), topic: r.result.name };
    return s.unavailable(
      r.result.name,
      r.result.alternatives.map((a) => a.name),
    );
  }
  const menuSubject = subjectAfter(cleaned, /\b(what (kind of|kinds of|types of|sort of)|what do you have for|whats on the menu for|what are your|what)\b/);
  if (/\b(menu|what do you have|what kinds?|what types?|what sorts?|what are your)\b/.test(cleaned)) return menuOf(menuSubject ?? "", lang, tools);
  return null;
}

async function menuOf(subject: string, lang: Lang, tools: AgentTools): Promise<string> {
  const category = subject.replace(/\b(do you have|you have|any|anything|kind|kinds|types?|sorts?|of|have|do|you)\b/g, "").trim();
  if (category) {
    const r = await callTool(tools, "get_menu", { category });
    if (r.ok && r.result.items) return lang === "en" ? r.result.speech : t(lang).menu(r.result.items.filter((i) => i.available).map((i) => i.name));
  }
  const top = await callToolOk(tools, "get_menu", {});
  return lang === "en" ? top.speech : t(lang).menu((top.categories ?? []).map((c) => c.name));
}

async function describeItem(subject: string, lang: Lang, tools: AgentTools, what: "price" | "describe" | "allergens"): Promise<string | Answer> {
  const s = t(lang);
  const r = await callTool(tools, "get_item_details", { item_name: subject.slice(0, 120) });
  if (!r.ok) {
    return notFound(r.error, subject, lang);
  }
  const d = r.result;
  if (what === "allergens") return { say: s.allergens(d.name, d.allergens), topic: d.name };
  if (what === "describe") return { say: s.describe(d.name, d.description), topic: d.name };
  const price = s.price(
    d.name,
    d.sizes.map((z) => (d.sizes.length === 1 ? sizePrice("", z.priceCents).trim() : sizePrice(z.name, z.priceCents))),
  );
  return { say: price, topic: d.name };
}

/** What to say when the menu service did not find one item: its own words in English; in Spanish, the names it gave. */
function notFound(error: { code: string; message: string; details: Record<string, unknown> }, subject: string, lang: Lang): string {
  if (lang === "en") return error.message;
  if (error.code === "ambiguous_item") {
    const names = detailNames(error.details, "candidates");
    if (names.length > 0) return t(lang).ambiguous(names);
  }
  return t(lang).notOnMenu(subject, detailNames(error.details, "suggestions"));
}
