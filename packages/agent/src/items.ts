import { type LocationMenu, nameKey, type Product, parseSpoken, resolveItem } from "@orderline/catalog";
import type { ItemRequest } from "./state.ts";

/**
 * Splits one caller sentence into the items it asks for, as add_item arguments: "two large pepperonis with
 * extra cheese and a coke" → [{ item: "large pepperonis", quantity: 2, modifiers: [extra cheese] },
 * { item: "coke", quantity: 1 }]. The catalog's resolver (on the menu service's view of the location, aliases
 * included) decides what is an item mention and which product it names; the order service resolves the phrase
 * again when the item is added.
 */

export interface ParsedItem {
  request: ItemRequest;
  /** The product the phrase names on the local menu view, when it resolved to one. */
  product: Product | undefined;
  /** The phrase did not name a product by its own words (name or alias) locally: the order service has to say. */
  unresolved: boolean;
  /**
   * Not clearly an item: it did not resolve by whole words (only fuzzily or not at all) and nothing marked it as an
   * order (a quantity, an article, a size, "I'd like"). Such a phrase is only added when the menu service knows it.
   */
  farOff: boolean;
}

export interface ParsedOrder {
  items: ParsedItem[];
  /** "half pepperoni" and other requests no menu choice can express. */
  unsupported: string[];
  /** "another one", "one more": the last item again. */
  repeatLast: number;
}

/** A quantity word: digits, the catalog's number words ("two" → 2, through its normaliser), "a"/"an"/"single". */
export function quantityWord(word: string): number | undefined {
  if (word === "a" || word === "an" || word === "single") return 1;
  const folded = nameKey(word);
  return /^\d{1,2}$/.test(folded) ? Number(folded) : undefined;
}

/** Words of "I'd like to place an order", "I'm calling to order some food": no item in them. */
const GENERIC = new Set([
  "to", "place", "make", "start", "put", "in", "order", "food", "something", "eat", "call", "calling", "im", "get", "pick", "up", "go",
  "new", "an", "quick", "takeout", "dinner", "lunch", "tonight", "today", "now", "wanted", "want", "would", "like", "see", "if", "can", "i",
]);

const ITEM_SPLIT = /,|\b(?:and then|and also|and|plus|also|as well as|along with)\b/;
const MOD_LEAD = /^(with|without|no|extra|add|hold|light|easy on|sub|half|double)\b/;
const MOD_SPLIT = /\b(with|without|no|extra(?! large)|add|hold the|hold|easy on|light|half|double)\b/;
const CRUST = /\b(thin crust|thin|pan crust|deep dish|thick crust|gluten free crust|gluten free|hand tossed|regular crust)\b/;
const NOISE = /\b(for )?(pick ?up|pickup|carry ?out|take ?out|to go|delivery|delivered|deliver it|deliver)\b|\b(thats (it|all|everything)|that will be (it|all)|nothing else|please|thanks|thank you|okay|ok|yes|yeah|sure|fine|great|hi|hello|hey|um|uh|then|instead|too|as well)\b/g;

function modifierKeys(product: Product | undefined): Set<string> {
  const keys = new Set<string>();
  for (const g of product?.modifierGroups ?? []) for (const m of g.modifiers) keys.add(nameKey(m.name));
  return keys;
}

/** "mushrooms" is a choice of the product ("Mushrooms", "Extra Mushrooms"…) by normalised words. */
function isChoiceOf(product: Product | undefined, phrase: string): boolean {
  const key = nameKey(phrase);
  if (!key) return false;
  for (const k of modifierKeys(product)) {
    if (k === key || k.split(" ").includes(key) || key.split(" ").every((w) => k.split(" ").includes(w))) return true;
  }
  return false;
}

/** "with extra cheese and no onions" → modifier requests; "half pepperoni" → unsupported. */
function parseModifiers(clause: string, unsupported: string[]): ItemRequest["modifiers"] {
  const out: ItemRequest["modifiers"] = [];
  const parts = clause
    .split(/,|\band\b|\bwith\b|\bplus\b/)
    .map((p) => p.trim())
    .filter(Boolean);
  for (const part of parts) {
    const m = /^(without|no|hold the|hold|extra|double|add|half|light|easy on)?\s*(.*)$/.exec(part)!;
    const lead = m[1];
    const name = (m[2] ?? "").replace(/\b(on it|on the side|please|on top|the|some)\b/g, "").trim();
    if (!name) continue;
    if (lead === "half" || lead === "light" || lead === "easy on") {
      unsupported.push(`${lead} ${name}`);
      continue;
    }
    const action = lead === "without" || lead === "no" || lead === "hold the" || lead === "hold" ? "no" : lead === "extra" || lead === "double" ? "extra" : "add";
    if (name.length <= 120) out.push({ name, action });
  }
  return out;
}

/** Leading quantity of an item phrase: digits, number words, "a couple of", "a dozen". */
function takeQuantity(words: string[]): { quantity: number | undefined; rest: string[]; dozen: boolean; opener: boolean } {
  let rest = [...words];
  let opener = false;
  while (rest[0] && /^(i|id|want|like|get|have|can|could|would|ill|take|give|me|lets|do|and|also|plus|then|oh|um|umm|uh|uhh|order|to|wanna|let|lemme|gonna|going|just|maybe|yeah|so|well|hi|hey|okay|ok|please)$/.test(rest[0])) {
    if (/^(id|want|like|get|have|ill|take|give|order)$/.test(rest[0])) opener = true;
    rest = rest.slice(1);
  }
  const q = quantityOf(rest);
  // "two orders of garlic knots": the order is the item.
  if (q.rest[0] === "orders" || q.rest[0] === "order") q.rest = q.rest.slice(q.rest[1] === "of" ? 2 : 1);
  return { ...q, opener };
}

function quantityOf(words: string[]): { quantity: number | undefined; rest: string[]; dozen: boolean } {
  const rest = words;
  if (rest[0] === "a" && (rest[1] === "couple" || rest[1] === "pair")) return { quantity: 2, rest: rest.slice(rest[2] === "of" ? 3 : 2), dozen: false };
  if ((rest[0] === "a" || rest[0] === "one") && rest[1] === "dozen") return { quantity: undefined, rest: rest.slice(2), dozen: true };
  if (rest[0] === "dozen") return { quantity: undefined, rest: rest.slice(1), dozen: true };
  const first = rest[0];
  if (first === undefined) return { quantity: undefined, rest, dozen: false };
  const n = quantityWord(first);
  // "12 piece", "20 oz", "2 liter": the number belongs to the size.
  if (n !== undefined && /^(piece|pieces|pc|pcs|count|ct|inch|in|oz|ounce|liter|litre|l|pack)$/.test(rest[1] ?? "")) return { quantity: undefined, rest, dozen: false };
  if (n !== undefined && rest.length > 1) {
    if (rest[1] === "dozen") return { quantity: n === 1 ? undefined : n, rest: rest.slice(2), dozen: true };
    return { quantity: n, rest: rest.slice(1), dozen: false };
  }
  return { quantity: undefined, rest, dozen: false };
}

/** The product's size named by a piece count ("6 wings" = the 6 Piece), if any. */
function pieceSize(product: Product | undefined, count: number): string | undefined {
  return product?.variations.find((v) => new RegExp(`^${count}\\b`).test(v.name.toLowerCase()))?.name;
}

function localProduct(menu: LocationMenu, phrase: string): { product: Product | undefined; candidates: Product[]; resolved: boolean } {
  const r = resolveItem(menu, phrase);
  if (r.kind === "match") return { product: r.product, candidates: [r.product], resolved: true };
  if (r.kind === "ambiguous") return { product: undefined, candidates: r.candidates, resolved: true };
  return { product: undefined, candidates: [], resolved: false };
}

/** One item chunk ("two large pepperonis with extra cheese") as an add_item request. */
function parseChunk(menu: LocationMenu, chunk: string, unsupported: string[]): ParsedItem | null {
  const crust = CRUST.exec(chunk)?.[1];
  let text = crust ? chunk.replace(CRUST, " ") : chunk;
  const split = MOD_SPLIT.exec(text);
  const clause = split ? text.slice(split.index) : "";
  text = split ? text.slice(0, split.index) : text;
  const { quantity, rest, dozen, opener } = takeQuantity(text.split(" ").filter(Boolean));
  let phrase = rest.join(" ").trim();
  const tokens = parseSpoken(phrase).tokens;
  if (tokens.length === 0 || tokens.every((t) => GENERIC.has(t))) return null;
  const { product, candidates, resolved } = localProduct(menu, phrase);
  const cue = opener || quantity !== undefined || dozen || split !== null || crust !== undefined || /\b(small|medium|large|xlarge|personal|piece)\b/.test(phrase);
  const strong = resolved && (product === undefined || containsAll(product, phrase, 1));
  let qty = quantity ?? 1;
  if (dozen) {
    const size = pieceSize(product, 12);
    if (size) {
      phrase = `${size.toLowerCase()} ${phrase}`;
      qty = 1;
    } else qty = (quantity ?? 1) * 12;
  } else if (quantity !== undefined && quantity > 2 && candidates.some((c) => pieceSize(c, quantity))) {
    // "six wings", "12 knots": the count names a size of the product, not a quantity.
    phrase = `${quantity} piece ${phrase}`;
    qty = 1;
  }
  const modifiers = parseModifiers(clause, unsupported);
  if (crust) modifiers.unshift({ name: crust === "regular crust" ? "hand tossed" : crust, action: "add" });
  return { request: { item: phrase.slice(0, 120), quantity: Math.min(Math.max(qty, 1), 50), modifiers }, product, unresolved: !strong, farOff: !cue && !strong };
}

/** Every item the sentence asks for (order-type words, "that's it" and fillers are ignored here). */
export function parseOrder(menu: LocationMenu, cleaned: string): ParsedOrder {
  const unsupported: string[] = [];
  const text = cleaned.replace(NOISE, " ").replace(/\s+/g, " ").trim();
  let repeatLast = 0;
  const chunks = text
    .split(ITEM_SPLIT)
    .map((c) => c.trim().replace(/^(?:also |please )?add (?:on )?(?=(?:a|an|one|two|three|four|five|six|\d+|another|some|the)\b)/, "i want "))
    .filter(Boolean);
  const items: ParsedItem[] = [];
  let previousHadClause = false;
  for (let i = 0; i < chunks.length; i++) {
    const chunk = chunks[i]!;
    if (/^(another|one more|same again|another one)( one)?$/.test(chunk)) {
      repeatLast += 1;
      continue;
    }
    const prev = items[items.length - 1];
    // "spaghetti and meatballs": two chunks that together name one product stay one item.
    const next = chunks[i + 1];
    if (next && !MOD_LEAD.test(next)) {
      const merged = `${chunk} and ${next}`;
      const r = resolveItem(menu, merged.replace(MOD_SPLIT, " "));
      if (r.kind === "match" && containsAll(r.product, merged)) {
        const item = parseChunk(menu, merged, unsupported);
        if (item) items.push(item);
        i++;
        previousHadClause = false;
        continue;
      }
    }
    if (prev && (MOD_LEAD.test(chunk) || (previousHadClause && isChoiceOf(prev.product, chunk)) || isChoiceOnly(menu, prev.product, chunk))) {
      prev.request.modifiers.push(...parseModifiers(MOD_LEAD.test(chunk) ? chunk : `with ${chunk}`, unsupported));
      previousHadClause = true;
      continue;
    }
    const item = parseChunk(menu, chunk, unsupported);
    if (item) items.push(item);
    previousHadClause = item !== null && MOD_SPLIT.test(chunk);
  }
  return { items, unsupported, repeatLast };
}

/** A chunk that is a choice of the previous item and names no product of its own ("ranch" after wings). */
function isChoiceOnly(menu: LocationMenu, product: Product | undefined, chunk: string): boolean {
  if (!product || !isChoiceOf(product, chunk)) return false;
  const r = resolveItem(menu, chunk);
  return r.kind === "not_found";
}

/** Every word said (sizes and counts aside) is a word of the product's name, or of one of its aliases ("coke"). */
function containsAll(product: Product, phrase: string, minWords = 2): boolean {
  const said = parseSpoken(phrase.replace(MOD_SPLIT, " "))
    .tokens.filter((t) => !/^\d+$/.test(t))
    .filter((t) => !/^(small|medium|large|xlarge|personal|piece|regular)$/.test(t));
  if (said.length < minWords) return false;
  return [product.name, ...product.aliases].some((name) => {
    const keyWords = nameKey(name).split(" ");
    return said.every((t) => keyWords.some((k) => k === t || (t.length >= 3 && k.startsWith(t))));
  });
}
