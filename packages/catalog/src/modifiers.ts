import { type ModifierAction, ToolFailure, formatCents } from "@orderline/contracts";
import Fuse from "fuse.js";
import { basicNormalize, nameKey, parseSpoken, speakable } from "./normalize.ts";
import { listNames } from "./speech.ts";
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

function findModifier(product: Product, candidates: Candidate[], text: string, action: ModifierAction): Candidate {
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
      `For the ${product.name}, did you mean ${listNames(
        chosen.map((c) => `${c.modifier.name} (${c.group.name})`),
        "or",
        "",
      )}?`,
      { productId: product.id, heard: speakable(text), candidates: chosen.map((c) => ({ modifierId: c.modifier.id, name: c.modifier.name, group: c.group.name })) },
    );
  }
  // Offer the optional add-ons (toppings, dips) before the required picks (crust).
  const groups = [...product.modifierGroups].sort((a, b) => Number(a.minSelections > 0) - Number(b.minSelections > 0));
  const options = groups.flatMap((g) => g.modifiers.filter((m) => m.kind === "addon" && m.inStock).map((m) => m.name));
  const removables = product.modifierGroups.flatMap((g) => g.modifiers.filter((m) => m.kind === "removable").map((m) => m.name));
  const heard = speakable(text);
  const lead = `The ${product.name} doesn't have ${heard || "that"} as an option.`;
  const offer =
    options.length > 0
      ? ` You can add ${listNames(options.slice(0, 8), "or", "")}${options.length > 8 ? ", and more" : ""}.`
      : removables.length > 0
        ? ` You can leave off ${listNames(removables, "or", "")}.`
        : " It can't be changed.";
  throw new ToolFailure("invalid_modifier", lead + offer, { productId: product.id, heard, choices: options });
}

function choiceList(group: ModifierGroup): string {
  return listNames(
    group.modifiers.filter((m) => m.kind === "addon" && m.inStock).map((m) => (m.priceCents > 0 ? `${m.name} (${formatCents(m.priceCents)})` : m.name)),
    "or",
    "",
  );
}

/**
 * Validates and prices the caller's choices against the product's modifier groups:
 * each choice must exist in one of the product's groups; "no X" only for removable ingredients;
 * "extra X" only where an extra price exists (and is priced with it); per-group maximum; required
 * groups (min ≥ 1) are filled from the data's defaults or else fail with the choices listed; a choice
 * whose ingredient is out of stock ⇒ out_of_stock. Result in group order, then modifier order.
 */
export function resolveModifiers(_menu: LocationMenu | null, product: Product, requests: readonly ModifierRequestInput[]): ResolvedModifier[] {
  if (requests.length > MAX_REQUESTS) {
    throw new ToolFailure("invalid_modifier", `That's too many changes for one item (${MAX_REQUESTS} at most).`, { count: requests.length });
  }
  const candidates = candidatesOf(product);
  const picked = new Map<string, ResolvedModifier>();
  for (const request of requests) {
    // A choice whose own name starts like an action ("no sauce" = Plain) is taken as said.
    const whole = nameKey(request.name);
    const named = whole && candidates.some((c) => c.key === whole);
    const { text, action } = named ? { text: request.name, action: request.action ?? "add" } : splitAction(request.name, request.action ?? "add");
    if (!text) throw new ToolFailure("invalid_modifier", "I didn't catch which topping or choice you meant.", { productId: product.id });
    if (candidates.length === 0) {
      throw new ToolFailure("invalid_modifier", `Sorry, we can't make changes to the ${product.name}.`, { productId: product.id, heard: speakable(text) });
    }
    const { modifier, group } = findModifier(product, candidates, text, action);
    if (!modifier.inStock && action !== "no") {
      throw new ToolFailure("out_of_stock", `Sorry, we're out of ${modifier.name} right now.${group.modifiers.some((m) => m.id !== modifier.id && m.inStock && m.kind === "addon") ? ` You could choose ${choiceList({ ...group, modifiers: group.modifiers.filter((m) => m.id !== modifier.id) })}.` : ""}`, {
        productId: product.id,
        modifierId: modifier.id,
        name: modifier.name,
      });
    }
    let priceCents: number;
    if (action === "no") {
      if (modifier.kind !== "removable") {
        throw new ToolFailure("invalid_modifier", `The ${product.name} doesn't come with ${modifier.name}, so there's nothing to leave off.`, {
          productId: product.id,
          modifierId: modifier.id,
        });
      }
      priceCents = 0;
    } else if (action === "extra") {
      if (modifier.extraPriceCents === null) {
        throw new ToolFailure("invalid_modifier", `Sorry, we can't do extra ${modifier.name} on the ${product.name}.`, {
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
          ? `The ${product.name} takes one ${group.name}: which one would you like, ${listNames(selections.map((s) => s.name), "or", "")}?`
          : `The ${product.name} takes up to ${group.maxSelections} ${group.name} choices; you asked for ${selections.length}.`,
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
          `The ${product.name} needs ${group.minSelections === 1 ? "a" : group.minSelections} ${group.name.toLowerCase()} choice${group.minSelections === 1 ? "" : "s"}: ${choiceList(group)}. Which would you like?`,
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
        `The ${product.name} needs ${group.minSelections} ${group.name.toLowerCase()} choices: ${choiceList(group)}.`,
        { productId: product.id, group: group.name, minSelections: group.minSelections, chosen: selections.map((s) => s.name) },
      );
    }
    const order = new Map(group.modifiers.map((m, i) => [m.id, i]));
    chosen.sort((a, b) => (order.get(a.modifierId) ?? 0) - (order.get(b.modifierId) ?? 0));
    result.push(...chosen);
  }
  return result;
}
