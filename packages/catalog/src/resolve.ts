import { ToolFailure } from "@orderline/contracts";
import Fuse from "fuse.js";
import { basicNormalize, nameKey, parseSpoken, speakable } from "./normalize.ts";
import { CATALOG_MESSAGES } from "./i18n/catalog-messages.ts";
import type { SpeechLanguage } from "./i18n/language.ts";
import type { LocationMenu, MenuCategory, Product, Variation } from "./types.ts";

/** Size words understood even when no variation of the menu uses them (they then fail in resolveSize). */
const GENERIC_SIZE_WORDS = ["small", "medium", "large", "xlarge", "regular", "personal", "family", "jumbo", "kid", "kids"];

/** Words meaning "the usual size": they select the product's default (or only) variation. */
const DEFAULT_SIZE_WORDS = new Set(["regular", "normal", "standard", "default", "usual", "one size", "original"]);

/** Fuse score (0 = exact, 1 = anything) under which a fuzzy hit counts as the item the caller meant. */
const ACCEPT_SCORE = 0.34;
/** Whole-phrase fuzzy hits must be this close (word-by-word matching failed already). */
const WHOLE_PHRASE_SCORE = 0.2;
/** Fuzzy hits within this of the best one are treated as equally likely (⇒ ambiguous). */
const TIE_MARGIN = 0.04;
/** Looser score for "the closest are …" suggestions. */
const SUGGEST_SCORE = 0.55;
/** Remembered resolutions per snapshot. */
const RESOLVED_MEMO_MAX = 2_000;
/** Longer input is not a spoken item name; it is answered as not found without being analysed. */
const MAX_SPOKEN_CHARS = 200;

interface KeyEntry {
  product: Product;
  key: string;
  tokens: string[];
  /** The key without spaces. */
  compact: string;
}

interface MenuIndex {
  entries: KeyEntry[];
  byKey: Map<string, Product[]>;
  /** Normalised size phrases of all variations plus generic size words, longest first. */
  sizePhrases: Set<string>;
  fuse: Fuse<KeyEntry>;
  compactFuse: Fuse<KeyEntry>;
  /** Every word of every name and alias. */
  words: string[];
  wordFuse: Fuse<string>;
  wordCache: Map<string, Map<string, number>>;
  /** Resolutions by exact spoken text (bounded). */
  resolved: Map<string, ItemResolution>;
  categoryKeys: Map<string, MenuCategory>;
  categoryFuse: Fuse<{ key: string; category: MenuCategory }>;
}

const indexes = new WeakMap<LocationMenu, MenuIndex>();

const fuseOptions = {
  includeScore: true,
  ignoreLocation: true,
  ignoreFieldNorm: true,
  ignoreDiacritics: true,
  threshold: SUGGEST_SCORE,
  minMatchCharLength: 2,
} as const;

/** The search index of a snapshot, built once per snapshot (snapshots are immutable). */
function indexOf(menu: LocationMenu): MenuIndex {
  let index = indexes.get(menu);
  if (index) return index;
  const entries: KeyEntry[] = [];
  const byKey = new Map<string, Product[]>();
  const sizePhrases = new Set<string>(GENERIC_SIZE_WORDS);
  for (const product of menu.products) {
    const keys = new Set([product.name, ...product.aliases].map(nameKey).filter(Boolean));
    for (const key of keys) {
      entries.push({ product, key, tokens: key.split(" "), compact: key.replaceAll(" ", "") });
      const list = byKey.get(key) ?? [];
      if (!list.includes(product)) list.push(product);
      byKey.set(key, list);
    }
    for (const v of product.variations) {
      for (const s of [v.name, ...v.aliases]) {
        const key = nameKey(s);
        if (key) sizePhrases.add(key);
      }
    }
  }
  const categoryKeys = new Map<string, MenuCategory>();
  const categoryEntries: { key: string; category: MenuCategory }[] = [];
  for (const category of menu.categories) {
    for (const key of new Set([nameKey(category.name), nameKey(category.slug.replaceAll("-", " "))])) {
      if (!key) continue;
      categoryKeys.set(key, category);
      categoryEntries.push({ key, category });
    }
  }
  const words = [...new Set(entries.flatMap((e) => e.tokens))];
  index = {
    entries,
    words,
    wordFuse: new Fuse(words, { ...fuseOptions, threshold: ACCEPT_SCORE }),
    wordCache: new Map(),
    resolved: new Map(),
    byKey,
    sizePhrases,
    fuse: new Fuse(entries, { ...fuseOptions, keys: ["key"] }),
    compactFuse: new Fuse(entries, { ...fuseOptions, threshold: WHOLE_PHRASE_SCORE, keys: ["compact"] }),
    categoryKeys,
    categoryFuse: new Fuse(categoryEntries, { ...fuseOptions, threshold: ACCEPT_SCORE, keys: ["key"] }),
  };
  indexes.set(menu, index);
  return index;
}

export type ItemResolution =
  | {
      kind: "match";
      product: Product;
      /** Set when the phrase named a size of this product ("a large pep"). */
      variation?: Variation;
      /** The size words heard, when they did not name one of this product's sizes (pass to resolveSize for the error). */
      sizePhrase?: string;
      /** Quantity said in front ("two cokes"). */
      quantity?: number;
    }
  | { kind: "ambiguous"; candidates: Product[] }
  | {
      kind: "not_found";
      /** Closest real items (or, when nothing is close, a few items from the first categories). */
      suggestions: Product[];
      /** Whether the suggestions actually resemble what was said. */
      similar: boolean;
    };

interface Reading {
  core: string[];
  size?: string;
  quantity?: number;
}

/** Possible readings of the tokens, most literal first: as said, without the size, without the quantity, without both. */
function readingsOf(tokens: string[], quantity: number | undefined, sizePhrases: Set<string>): Reading[] {
  const readings: Reading[] = [{ core: tokens, ...(quantity !== undefined ? { quantity } : {}) }];
  // Longest size phrase (up to 3 tokens) anywhere in the phrase.
  let size: { at: number; len: number; phrase: string } | undefined;
  for (let len = Math.min(3, tokens.length - 1); len >= 1 && !size; len--) {
    for (let at = 0; at + len <= tokens.length; at++) {
      const phrase = tokens.slice(at, at + len).join(" ");
      // A bare number in front is a quantity first ("three cokes"); matchOf turns it into a size when the
      // product has a size of that name ("6 wings" → 6 Piece).
      if (at === 0 && len === 1 && /^\d+$/.test(phrase)) continue;
      if (sizePhrases.has(phrase)) {
        size = { at, len, phrase };
        break;
      }
    }
  }
  const withoutSize = size ? [...tokens.slice(0, size.at), ...tokens.slice(size.at + size.len)] : undefined;
  if (size && withoutSize && withoutSize.length > 0) {
    readings.push({ core: withoutSize, size: size.phrase, ...(quantity !== undefined ? { quantity } : {}) });
  }
  if (quantity === undefined) {
    const first = tokens[0];
    const sizeAtStart = size?.at === 0;
    if (first !== undefined && /^\d{1,2}$/.test(first) && Number(first) >= 1 && !sizeAtStart && tokens.length > 1) {
      const q = Number(first);
      readings.push({ core: tokens.slice(1), quantity: q });
      if (size && withoutSize && withoutSize.length > 1) readings.push({ core: withoutSize.slice(1), size: size.phrase, quantity: q });
    }
  }
  return readings;
}

/** Every token of the phrase is a word of the key (or a prefix of one, 3+ letters): "pep" ⊂ "pepperoni pizza". */
function containment(core: string[], keyTokens: string[]): "exact" | "prefix" | null {
  let kind: "exact" | "prefix" = "exact";
  for (const t of core) {
    if (keyTokens.includes(t)) continue;
    if (t.length >= 3 && keyTokens.some((k) => k.startsWith(t))) {
      kind = "prefix";
      continue;
    }
    return null;
  }
  return kind;
}

function unique(products: Product[]): Product[] {
  return [...new Set(products)];
}

function matchOf(product: Product, reading: Reading): ItemResolution {
  const result: ItemResolution = { kind: "match", product };
  if (reading.quantity !== undefined) {
    const asSize = reading.size === undefined ? product.variations.find((v) => variationKeys(v).includes(String(reading.quantity))) : undefined;
    if (asSize) {
      result.variation = asSize;
      return result;
    }
    result.quantity = reading.quantity;
  }
  if (reading.size !== undefined) {
    const variation = findVariation(product, reading.size);
    if (variation) result.variation = variation;
    else result.sizePhrase = reading.size;
  }
  return result;
}

/**
 * Resolves what the caller said to one product of the menu: aliases and exact names first, then
 * word containment ("pepperoni" → Pepperoni Pizza), then fuzzy matching (fuse.js) for misspellings
 * ("peperoni", "margarita"). Size and quantity words select the variation and the quantity.
 */
export function resolveItem(menu: LocationMenu, spoken: string): ItemResolution {
  const index = indexOf(menu);
  // Snapshots are immutable, so a phrase resolves the same way until the next snapshot: remember it.
  const memo = index.resolved.get(spoken);
  if (memo) return { ...memo };
  const result = resolveUncached(menu, index, spoken);
  if (index.resolved.size >= RESOLVED_MEMO_MAX) index.resolved.clear();
  index.resolved.set(spoken, result);
  return { ...result };
}

function resolveUncached(menu: LocationMenu, index: MenuIndex, spoken: string): ItemResolution {
  if (spoken.trim() === "" || spoken.length > MAX_SPOKEN_CHARS) return notFound(menu, index, []);
  const phrase = parseSpoken(spoken);
  if (phrase.tokens.length === 0 || phrase.tokens.length > 12) return notFound(menu, index, phrase.tokens);
  const readings = readingsOf(phrase.tokens, phrase.quantity, index.sizePhrases);

  // 1. A name or alias exactly.
  for (const reading of readings) {
    const hits = index.byKey.get(reading.core.join(" "));
    if (hits && hits.length === 1) return matchOf(hits[0]!, reading);
    if (hits && hits.length > 1) return { kind: "ambiguous", candidates: hits };
  }
  const reading = readings[readings.length - 1]!;
  const core = reading.core;

  // 2. Exactly a category's name ("drinks", "pasta"): the caller has to pick one of its items.
  const named = index.categoryKeys.get(core.join(" "));
  if (named) {
    const inCategory = menu.products.filter((p) => p.categoryId === named.id);
    if (inCategory.length === 1) return matchOf(inCategory[0]!, reading);
    if (inCategory.length > 1) return { kind: "ambiguous", candidates: inCategory.slice(0, 4) };
  }

  // 3. Every word said appears in a name or alias.
  const exact: Product[] = [];
  const prefix: Product[] = [];
  for (const entry of index.entries) {
    const kind = containment(core, entry.tokens);
    if (kind === "exact") exact.push(entry.product);
    else if (kind === "prefix") prefix.push(entry.product);
  }
  const contained = unique(exact.length > 0 ? exact : prefix);
  if (contained.length === 1) return matchOf(contained[0]!, reading);
  if (contained.length > 1) return { kind: "ambiguous", candidates: contained.slice(0, 4) };

  // 4. Words of a category's name ("classic pizza").
  const category = categoryNamed(index, core);
  if (category) {
    const inCategory = menu.products.filter((p) => p.categoryId === category.id);
    if (inCategory.length === 1) return matchOf(inCategory[0]!, reading);
    if (inCategory.length > 1) return { kind: "ambiguous", candidates: inCategory.slice(0, 4) };
  }

  // 5. Fuzzy, word by word: every word said is close to a word of the same name ("peperoni pizza", "ceasar").
  const fuzzy = fuzzyContainment(index, core);
  if (fuzzy.length > 0) {
    const best = fuzzy[0]!;
    const tied = fuzzy.filter((s) => s.score <= best.score + TIE_MARGIN).map((s) => s.product);
    if (tied.length === 1) return matchOf(best.product, reading);
    return { kind: "ambiguous", candidates: tied.slice(0, 4) };
  }

  // 6. Words run together or split apart ("cocacola", "pepper oni"): compare without spaces, strictly,
  // and only with names of about the same length (so "pasta" is not found inside "antipasto salad").
  const compact = core.join("");
  if (compact.length >= 5) {
    const scored = bestPerProduct(
      index.compactFuse.search(compact).filter((r) => Math.abs(r.item.compact.length - compact.length) <= Math.max(2, compact.length * 0.2)),
    );
    const top = scored[0];
    if (top && top.score <= WHOLE_PHRASE_SCORE) {
      const tied = scored.filter((s) => s.score <= top.score + TIE_MARGIN).map((s) => s.product);
      if (tied.length === 1) return matchOf(top.product, reading);
      return { kind: "ambiguous", candidates: tied.slice(0, 4) };
    }
  }
  return notFound(menu, index, core);
}

/** The one category whose name or slug contains all the words (plurals folded). */
function categoryNamed(index: MenuIndex, core: string[]): MenuCategory | undefined {
  const exact = index.categoryKeys.get(core.join(" "));
  if (exact) return exact;
  const found = new Set<MenuCategory>();
  for (const [key, category] of index.categoryKeys) if (containment(core, key.split(" ")) === "exact") found.add(category);
  return found.size === 1 ? [...found][0] : undefined;
}

/** Close spellings of one spoken word among the menu's words, with their Fuse score (prefixes and exact words score 0). */
function closeWords(index: MenuIndex, token: string): Map<string, number> {
  let cached = index.wordCache.get(token);
  if (cached) return cached;
  cached = new Map<string, number>();
  for (const w of index.words) {
    if (w === token || (token.length >= 3 && w.startsWith(token))) cached.set(w, 0);
  }
  // Edits allowed grow with the word (as in search engines' "auto" fuzziness): none up to 4 letters
  // ("zero" is not "hero"), one for 5, two from 6 on ("ceasar", "margarita").
  const maxScore = token.length <= 4 ? -1 : token.length === 5 ? 0.2 + 1e-9 : Math.min(ACCEPT_SCORE, 2 / token.length + 1e-9);
  if (maxScore > 0) {
    for (const hit of index.wordFuse.search(token)) {
      const w = hit.item;
      // A short word found inside a much longer one is not a misspelling of it.
      if (w.length > token.length * 1.5 + 1) continue;
      const score = hit.score ?? 1;
      if (score <= maxScore && !cached.has(w)) cached.set(w, score);
    }
  }
  if (index.wordCache.size < 5_000) index.wordCache.set(token, cached);
  return cached;
}

function fuzzyContainment(index: MenuIndex, core: string[]): { product: Product; score: number }[] {
  const perToken = core.map((t) => closeWords(index, t));
  if (perToken.some((m) => m.size === 0)) return [];
  const best = new Map<Product, number>();
  for (const entry of index.entries) {
    let worst = 0;
    let ok = true;
    for (const candidates of perToken) {
      let tokenBest = Number.POSITIVE_INFINITY;
      for (const k of entry.tokens) {
        const s = candidates.get(k);
        if (s !== undefined && s < tokenBest) tokenBest = s;
      }
      if (tokenBest === Number.POSITIVE_INFINITY) {
        ok = false;
        break;
      }
      worst = Math.max(worst, tokenBest);
    }
    if (!ok) continue;
    const prev = best.get(entry.product);
    if (prev === undefined || worst < prev) best.set(entry.product, worst);
  }
  return [...best.entries()].map(([product, score]) => ({ product, score })).sort((a, b) => a.score - b.score);
}

function bestPerProduct(results: { item: KeyEntry; score?: number }[]): { product: Product; score: number }[] {
  const best = new Map<Product, number>();
  for (const r of results) {
    const score = r.score ?? 1;
    const prev = best.get(r.item.product);
    if (prev === undefined || score < prev) best.set(r.item.product, score);
  }
  return [...best.entries()].map(([product, score]) => ({ product, score })).sort((a, b) => a.score - b.score);
}

function notFound(menu: LocationMenu, index: MenuIndex, core: string[]): ItemResolution {
  const best = new Map<Product, number>();
  const queries = core.length > 0 ? [core.join(" "), ...core.filter((t) => t.length >= 4)] : [];
  for (const q of queries.slice(0, 6)) {
    for (const { product, score } of bestPerProduct(index.fuse.search(q.slice(0, 64), { limit: 10 }))) {
      const prev = best.get(product);
      if (score <= SUGGEST_SCORE && (prev === undefined || score < prev)) best.set(product, score);
    }
  }
  const similar = [...best.entries()].sort((a, b) => a[1] - b[1]).map(([p]) => p);
  if (similar.length > 0) return { kind: "not_found", suggestions: similar.slice(0, 3), similar: true };
  const fallback: Product[] = [];
  for (const category of menu.categories) {
    const first = menu.products.find((p) => p.categoryId === category.id);
    if (first) fallback.push(first);
    if (fallback.length === 3) break;
  }
  return { kind: "not_found", suggestions: fallback, similar: false };
}

export type ItemMatch = Extract<ItemResolution, { kind: "match" }>;

/**
 * resolveItem, with the two failures as ToolFailure the model can act on:
 * not_on_menu ("Sorry, we don't have sushi. The closest are …", details.suggestions) and
 * ambiguous_item ("Did you mean the Buffalo Wings or the Buffalo Chicken Pizza?", details.candidates).
 */
export function resolveItemOrThrow(menu: LocationMenu, spoken: string, language: SpeechLanguage = "en"): ItemMatch {
  const r = resolveItem(menu, spoken);
  if (r.kind === "match") return r;
  const say = CATALOG_MESSAGES[language];
  if (r.kind === "ambiguous") {
    throw new ToolFailure("ambiguous_item", say.ambiguousItem(r.candidates.map((p) => p.name)), {
      candidates: r.candidates.map((p) => ({ productId: p.id, name: p.name })),
    });
  }
  const said = spoken.length > MAX_SPOKEN_CHARS ? "" : speakable(parseSpoken(spoken).tokens.join(" "));
  const names = r.suggestions.map((p) => p.name);
  throw new ToolFailure("not_on_menu", say.notOnMenu(said, names, r.similar), {
    suggestions: r.suggestions.map((p) => ({ productId: p.id, name: p.name })),
  });
}

/** Finds a product by id in the snapshot (ids of hidden products or of another brand are not in it ⇒ not_on_menu). */
export function productById(menu: LocationMenu, productId: string, language: SpeechLanguage = "en"): Product {
  const product = menu.products.find((p) => p.id === productId);
  if (!product) {
    throw new ToolFailure("not_on_menu", CATALOG_MESSAGES[language].productNotOnMenu, { productId });
  }
  return product;
}

function variationKeys(v: Variation): string[] {
  return [v.name, v.slug.replaceAll("-", " "), ...v.aliases].map(nameKey).filter(Boolean);
}

/** The variation a size phrase names, or undefined. */
export function findVariation(product: Product, spokenSize: string): Variation | undefined {
  // "a medium one", "large size": the pronoun and the word "size" carry nothing.
  const words = parseSpoken(spokenSize).tokens.filter((t) => t !== "size" && t !== "sized");
  if (words.length > 1 && words[words.length - 1] === "1") words.pop();
  const key = words.join(" ");
  if (!key) return undefined;
  const exact = product.variations.filter((v) => variationKeys(v).includes(key));
  if (exact.length === 1) return exact[0];
  if (DEFAULT_SIZE_WORDS.has(key) || DEFAULT_SIZE_WORDS.has(basicNormalize(spokenSize))) {
    if (product.variations.length === 1) return product.variations[0];
    const defaults = product.variations.filter((v) => v.isDefault);
    if (defaults.length === 1) return defaults[0];
  }
  const tokens = key.split(" ");
  const contained = product.variations.filter((v) => variationKeys(v).some((k) => containment(tokens, k.split(" ")) === "exact"));
  if (contained.length === 1) return contained[0];
  return undefined;
}

export function sizeChoices(product: Product): { variationId: string; name: string; priceCents: number }[] {
  return product.variations.map((v) => ({ variationId: v.id, name: v.name, priceCents: v.priceCents }));
}

function sizeList(product: Product, language: SpeechLanguage): string[] {
  return product.variations.map((v) => CATALOG_MESSAGES[language].sizeOption(v.name, v.priceCents));
}

/**
 * The variation to order: the only one, or the one the size phrase names. Several sizes and none said
 * ⇒ needs_size (details.choices); a size the product doesn't come in ⇒ invalid_size.
 */
export function resolveSize(product: Product, spoken?: string, language: SpeechLanguage = "en"): Variation {
  const said = spoken?.trim() ? spoken : undefined;
  const say = CATALOG_MESSAGES[language];
  if (said === undefined) {
    if (product.variations.length === 1) return product.variations[0]!;
    throw new ToolFailure("needs_size", say.needsSize(product.name, sizeList(product, language)), {
      productId: product.id,
      choices: sizeChoices(product),
    });
  }
  const found = findVariation(product, said);
  if (found) return found;
  const message =
    product.variations.length === 1
      ? say.onlyOneSize(product.name, product.variations[0]!.name)
      : say.invalidSize(product.name, sizeList(product, language));
  throw new ToolFailure("invalid_size", message, { productId: product.id, heard: speakable(said), choices: sizeChoices(product) });
}

/** The category a spoken name refers to ("pizzas", "drink", "wing"), or unknown_category listing the real ones. */
export function resolveCategory(menu: LocationMenu, spoken: string, language: SpeechLanguage = "en"): MenuCategory {
  const index = indexOf(menu);
  const key = spoken.length <= MAX_SPOKEN_CHARS ? parseSpoken(spoken).tokens.join(" ") : "";
  if (key) {
    const exact = index.categoryKeys.get(key);
    if (exact) return exact;
    const tokens = key.split(" ");
    const contained = [...new Set([...index.categoryKeys.entries()].filter(([k]) => containment(tokens, k.split(" ")) === "exact").map(([, c]) => c))];
    if (contained.length === 1) return contained[0]!;
    const hits = index.categoryFuse.search(key);
    const best = hits[0];
    if (best && new Set(hits.filter((h) => (h.score ?? 1) <= (best.score ?? 1) + TIE_MARGIN).map((h) => h.item.category)).size === 1) {
      return best.item.category;
    }
  }
  const names = menu.categories.map((c) => c.name);
  throw new ToolFailure(
    "unknown_category",
    CATALOG_MESSAGES[language].unknownCategory(key ? speakable(spoken) : "", names),
    { categories: names },
  );
}
