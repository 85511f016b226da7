import { type ModifierAction, ToolFailure } from "@orderline/contracts";
import Fuse from "fuse.js";
import { basicNormalize, nameKey, parseSpoken, speakable } from "./normalize.ts";
import { CATALOG_MESSAGES, type CatalogMessages } from "./i18n/catalog-messages.ts";
import type { SpeechLanguage } from "./i18n/language.ts";
import type { LocationMenu, Modifier, ModifierGroup, Product, ResolvedModifier } from "./types.ts";

export interface ModifierRequestInput {
  /** What the caller said: "onions", "ranch", "thin crust". */
  name: string;
  /** "add" a choice, "no" to leave an ingredient off, "extra" for more. Default "add". */
  action?: ModifierAction;
}

const MAX_REQUESTS = 30;

interface Candidate {
  modifier: Modifier;
  group: ModifierGroup;
  key: string;
}

/** "extra cheese" / "no onions" / "without onions" said inside the name: the words decide the action. */
function splitAction(name: string, action: ModifierAction): { text: string; action: ModifierAction } {
  const s = basicNormalize(name);
  const m = /^(?:(no|without|hold the|hold|minus|skip the|skip|extra|double|add|with|plus|light|easy on the|easy on)\s+)(.*)$/.exec(s);
  if (!m?.[2]) return { text: s, action };
  const word = m[1]!;
  if (["no", "without", "hold the", "hold", "minus", "skip the", "skip"].includes(word)) return { text: m[2], action: "no" };
  if (word === "extra" || word === "double") return { text: m[2], action: "extra" };
  return { text: m[2], action };
}

function candidatesOf(product: Product): Candidate[] {
  return product.modifierGroups.flatMap((group) =>
    group.modifiers.flatMap((modifier) =>
      [...new Set([modifier.name, modifier.slug.replaceAll("-", " "), ...modifier.aliases].map(nameKey).filter(Boolean))].map((key) => ({
        modifier,
        group,
        key,
      })),
    ),
  );
}

function findModifier(product: Product, candidates: Candidate[], text: string, action: ModifierAction, say: CatalogMessages): Candidate {
  const key = parseSpoken(text).tokens.join(" ");
  let hits = candidates.filter((c) => c.key === key);
  if (hits.length === 0 && key) {
    const tokens = key.split(" ");
    hits = candidates.filter((c) => tokens.every((t) => c.key.split(" ").includes(t)));
  }
  if (hits.length === 0 && key) {
    const fuse = new Fuse(candidates, { includeScore: true, ignoreLocation: true, ignoreFieldNorm: true, threshold: 0.3, keys: ["key"] });
    const found = fuse.search(key);
    const best = found[0];
    if (best) hits = found.filter((h) => (h.score ?? 1) <= (best.score ?? 1) + 0.04).map((h) => h.item);
  }
  const distinct = [...new Map(hits.map((h) => [h.modifier.id, h])).values()];
  // "no onions": the removable ingredient; "add ranch": the add-on choice — when a name exists as both.
  // "extra pepperoni" on a pepperoni pizza doubles what is on it (the removable ingredient).
  const wantedKind = action === "add" ? "addon" : "removable";
  const preferred = distinct.length > 1 ? distinct.filter((h) => h.modifier.kind === wantedKind) : distinct;
  const chosen = preferred.length > 0 ? preferred : distinct;
  if (chosen.length === 1) return chosen[0]!;
  if (chosen.length > 1) {
    throw new ToolFailure(
      "invalid_modifier",
      say.ambiguousModifier(
        product.name,
        chosen.map((c) => `${c.modifier.name} (${c.group.name})`),
      ),
      { productId: product.id, heard: speakable(text), candidates: chosen.map((c) => ({ modifierId: c.modifier.id, name: c.modifier.name, group: c.group.name })) },
    );
  }
  // Offer the optional add-ons (toppings, dips) before the required picks (crust).
  const groups = [...product.modifierGroups].sort((a, b) => Number(a.minSelections > 0) - Number(b.minSelections > 0));
  const options = groups.flatMap((g) => g.modifiers.filter((m) => m.kind === "addon" && m.inStock).map((m) => m.name));
  const removables = product.modifierGroups.flatMap((g) => g.modifiers.filter((m) => m.kind === "removable").map((m) => m.name));
  const heard = speakable(text);
  const offer = options.length > 0 ? { add: options.slice(0, 8), more: options.length > 8 } : removables.length > 0 ? { leaveOff: removables } : null;
  throw new ToolFailure("invalid_modifier", say.notAnOption(product.name, heard, offer), { productId: product.id, heard, choices: options });
}

function choiceList(group: ModifierGroup, say: CatalogMessages): string[] {
  return group.modifiers.filter((m) => m.kind === "addon" && m.inStock).map((m) => say.choiceOption(m.name, m.priceCents));
}

/**
 * Validates and prices the caller's choices against the product's modifier groups:
 * each choice must exist in one of the product's groups; "no X" only for removable ingredients;
 * "extra X" only where an extra price exists (and is priced with it); per-group maximum; required
 * groups (min ≥ 1) are filled from the data's defaults or else fail with the choices listed; a choice
 * whose ingredient is out of stock ⇒ out_of_stock. Result in group order, then modifier order.
 */
export function resolveModifiers(
  _menu: LocationMenu | null,
  product: Product,
  requests: readonly ModifierRequestInput[],
  language: SpeechLanguage = "en",
): ResolvedModifier[] {
  const say = CATALOG_MESSAGES[language];
  if (requests.length > MAX_REQUESTS) {
    throw new ToolFailure("invalid_modifier", say.tooManyChanges(MAX_REQUESTS), { count: requests.length });
  }
  const candidates = candidatesOf(product);
  const picked = new Map<string, ResolvedModifier>();
  for (const request of requests) {
    // A choice whose own name starts like an action ("no sauce" = Plain) is taken as said.
    const whole = nameKey(request.name);
    const named = whole && candidates.some((c) => c.key === whole);
    const { text, action } = named ? { text: request.name, action: request.action ?? "add" } : splitAction(request.name, request.action ?? "add");
    if (!text) throw new ToolFailure("invalid_modifier", say.noChoiceHeard, { productId: product.id });
    if (candidates.length === 0) {
      throw new ToolFailure("invalid_modifier", say.cannotChange(product.name), { productId: product.id, heard: speakable(text) });
    }
    const { modifier, group } = findModifier(product, candidates, text, action, say);
    if (!modifier.inStock && action !== "no") {
      const others = choiceList({ ...group, modifiers: group.modifiers.filter((m) => m.id !== modifier.id) }, say);
      throw new ToolFailure("out_of_stock", say.modifierOutOfStock(modifier.name, others), {
        productId: product.id,
        modifierId: modifier.id,
        name: modifier.name,
      });
    }
    let priceCents: number;
    if (action === "no") {
      if (modifier.kind !== "removable") {
        throw new ToolFailure("invalid_modifier", say.nothingToLeaveOff(product.name, modifier.name), {
          productId: product.id,
          modifierId: modifier.id,
        });
      }
      priceCents = 0;
    } else if (action === "extra") {
      if (modifier.extraPriceCents === null) {
        throw new ToolFailure("invalid_modifier", say.noExtra(product.name, modifier.name), {
          productId: product.id,
          modifierId: modifier.id,
        });
      }
      priceCents = modifier.extraPriceCents;
    } else {
      // "add" of an ingredient that already comes on it changes nothing.
      if (modifier.kind === "removable") {
        picked.delete(modifier.id);
        continue;
      }
      priceCents = modifier.priceCents;
    }
    picked.set(modifier.id, {
      modifierId: modifier.id,
      groupId: group.id,
      groupName: group.name,
      name: modifier.name,
      action,
      priceCents,
      defaulted: false,
    });
  }

  const result: ResolvedModifier[] = [];
  for (const group of product.modifierGroups) {
    const chosen = group.modifiers.map((m) => picked.get(m.id)).filter((r): r is ResolvedModifier => r !== undefined);
    const selections = chosen.filter((r) => r.action !== "no" && group.modifiers.find((m) => m.id === r.modifierId)?.kind === "addon");
    if (selections.length > group.maxSelections) {
      throw new ToolFailure(
        "invalid_modifier",
        group.maxSelections === 1
          ? say.takesOne(product.name, group.name, selections.map((s) => s.name))
          : say.takesUpTo(product.name, group.name, group.maxSelections, selections.length),
        { productId: product.id, group: group.name, maxSelections: group.maxSelections, chosen: selections.map((s) => s.name) },
      );
    }
    if (selections.length === 0) {
      const defaults = group.modifiers.filter((m) => m.isDefault && m.kind === "addon" && m.inStock).slice(0, group.maxSelections);
      for (const m of defaults) {
        chosen.push({ modifierId: m.id, groupId: group.id, groupName: group.name, name: m.name, action: "add", priceCents: m.priceCents, defaulted: true });
      }
      if (defaults.length < group.minSelections) {
        throw new ToolFailure(
          "invalid_modifier",
          say.needsChoice(product.name, group.name, group.minSelections, choiceList(group, say)),
          {
            productId: product.id,
            group: group.name,
            minSelections: group.minSelections,
            choices: group.modifiers
              .filter((m) => m.kind === "addon" && m.inStock)
              .map((m) => ({ modifierId: m.id, name: m.name, priceCents: m.priceCents })),
          },
        );
      }
    } else if (selections.length < group.minSelections) {
      throw new ToolFailure(
        "invalid_modifier",
        say.needsMoreChoices(product.name, group.name, group.minSelections, choiceList(group, say)),
        { productId: product.id, group: group.name, minSelections: group.minSelections, chosen: selections.map((s) => s.name) },
      );
    }
    const order = new Map(group.modifiers.map((m, i) => [m.id, i]));
    chosen.sort((a, b) => (order.get(a.modifierId) ?? 0) - (order.get(b.modifierId) ?? 0));
    result.push(...chosen);
  }
  return result;
}
