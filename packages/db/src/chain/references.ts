import { bracketPath } from "@orderline/contracts";
import type { z } from "zod";
import { slugify } from "./fields.ts";

type Ctx = z.RefinementCtx;
type Path = (string | number)[];

/** The parts of a parsed chain file the cross-checks read (kept structural to avoid an import cycle). */
type Keyed = { slug?: string | undefined; name: string };
type FileShape = {
  brand: Keyed;
  locations: (Keyed & { phone: string; numbers: string[]; outboundNumber?: string | undefined; staffLines: { phone: string }[]; prices: Record<string, number> })[];
  menu: {
    ingredients: Keyed[];
    modifierGroups: (Keyed & { modifiers: (Keyed & { ingredient?: string | undefined; default: boolean })[] })[];
    categories: (Keyed & {
      items: (Keyed & { sizes?: (Keyed & { default: boolean })[] | undefined; ingredients: string[]; groups: string[]; removable: (string | { ingredient: string })[] })[];
    })[];
    specials: (Keyed & { location?: string | undefined; item: string; size?: string | undefined })[];
  };
};

/** A row's key: its slug, else the slug of its name. */
export const keyOf = (r: Keyed): string => r.slug ?? slugify(r.name);

/** Single-size items get this variation slug. */
export const SINGLE_SIZE_SLUG = "regular";

const sizeKeys = (item: FileShape["menu"]["categories"][number]["items"][number]): string[] => (item.sizes ? item.sizes.map(keyOf) : [SINGLE_SIZE_SLUG]);

/**
 * What no single field can check: keys unique where they must be, every slug a row refers to defined, a
 * phone number routed to one location only. Each problem is reported at the path of the field to fix.
 */
export function checkReferences(file: FileShape, ctx: Ctx): void {
  const issue = (path: Path, message: string) => ctx.addIssue({ code: "custom", path, message });
  /** Reports rows whose key repeats (or is empty) and returns the keys. */
  const unique = (rows: Keyed[], path: Path, what: string): Set<string> => {
    const seen = new Map<string, number>();
    rows.forEach((r, i) => {
      const key = keyOf(r);
      if (!key) {
        issue([...path, i, "name"], `${JSON.stringify(r.name)} gives no slug; set slug`);
        return;
      }
      const first = seen.get(key);
      if (first !== undefined) issue([...path, i, r.slug ? "slug" : "name"], `${what} "${key}" is already used by ${bracketPath([...path, first])}`);
      else seen.set(key, i);
    });
    return new Set(seen.keys());
  };
  const { menu } = file;
  if (!keyOf(file.brand)) issue(["brand", "name"], "gives no slug; set slug");
  const locations = unique(file.locations, ["locations"], "location slug");
  const ingredients = unique(menu.ingredients, ["menu", "ingredients"], "ingredient slug");
  const groups = unique(menu.modifierGroups, ["menu", "modifierGroups"], "modifier group slug");
  unique(menu.categories, ["menu", "categories"], "category slug");
  unique(menu.specials, ["menu", "specials"], "special slug");
  menu.modifierGroups.forEach((g, gi) => {
    unique(g.modifiers, ["menu", "modifierGroups", gi, "modifiers"], "modifier slug");
    g.modifiers.forEach((m, mi) => {
      if (m.ingredient && !ingredients.has(m.ingredient)) issue(["menu", "modifierGroups", gi, "modifiers", mi, "ingredient"], `"${m.ingredient}" is not an ingredient in menu.ingredients`);
    });
  });

  const items = new Map<string, { sizes: string[] }>();
  const itemPaths = new Map<string, Path>();
  menu.categories.forEach((c, ci) => {
    c.items.forEach((item, ii) => {
      const path: Path = ["menu", "categories", ci, "items", ii];
      const key = keyOf(item);
      if (!key) {
        issue([...path, "name"], `${JSON.stringify(item.name)} gives no slug; set slug`);
        return;
      }
      const first = itemPaths.get(key);
      if (first) issue([...path, item.slug ? "slug" : "name"], `item slug "${key}" is already used by ${bracketPath(first)}`);
      else {
        itemPaths.set(key, path);
        items.set(key, { sizes: sizeKeys(item) });
      }
      if (item.sizes) {
        unique(item.sizes, [...path, "sizes"], "size slug");
        if (item.sizes.filter((s) => s.default).length > 1) issue([...path, "sizes"], "has more than one default size");
      }
      item.ingredients.forEach((ing, k) => {
        if (!ingredients.has(ing)) issue([...path, "ingredients", k], `"${ing}" is not an ingredient in menu.ingredients`);
      });
      item.groups.forEach((g, k) => {
        if (!groups.has(g)) issue([...path, "groups", k], `"${g}" is not a modifier group in menu.modifierGroups`);
      });
      item.removable.forEach((r, k) => {
        const ing = typeof r === "string" ? r : r.ingredient;
        if (!item.ingredients.includes(ing)) issue([...path, "removable", k], `"${ing}" is not one of this item's ingredients`);
      });
    });
  });
  menu.specials.forEach((s, si) => {
    const path: Path = ["menu", "specials", si];
    if (s.location && !locations.has(s.location)) issue([...path, "location"], `"${s.location}" is not a location slug`);
    const item = items.get(s.item);
    if (!item) {
        issue([...path, "item"], `"${s.item}" is not an item slug`);
        return;
      }
    if (s.size && !item.sizes.includes(s.size)) issue([...path, "size"], `"${s.size}" is not a size of ${s.item} (${item.sizes.join(", ")})`);
  });

  const numbers = new Map<string, Path>();
  file.locations.forEach((l, li) => {
    const routed: [string, Path][] = [
      [l.phone, ["locations", li, "phone"]],
      ...l.numbers.map((n, k): [string, Path] => [n, ["locations", li, "numbers", k]]),
      ...(l.outboundNumber ? [[l.outboundNumber, ["locations", li, "outboundNumber"]] as [string, Path]] : []),
    ];
    for (const [n, path] of routed) {
      const first = numbers.get(n);
      // The public phone may repeat as the outbound caller ID of the same location.
      if (first && !(first[1] === li && path.at(-1) === "outboundNumber")) issue(path, `${n} is already routed by ${bracketPath(first)}`);
      else if (!first) numbers.set(n, path);
    }
    const staff = new Set<string>();
    l.staffLines.forEach((s, k) => {
      if (staff.has(s.phone)) issue(["locations", li, "staffLines", k, "phone"], `${s.phone} is listed twice`);
      staff.add(s.phone);
    });
    for (const key of Object.keys(l.prices)) {
      const [item, size, extra] = key.split("/");
      const known = item ? items.get(item) : undefined;
      if (!known || extra !== undefined) issue(["locations", li, "prices", key], `"${key}" is not an item slug or "item/size"`);
      else if (size === undefined && known.sizes.length > 1) issue(["locations", li, "prices", key], `${item} has sizes (${known.sizes.join(", ")}): write "${item}/<size>"`);
      else if (size !== undefined && !known.sizes.includes(size)) issue(["locations", li, "prices", key], `"${size}" is not a size of ${item} (${known.sizes.join(", ")})`);
    }
  });
}
