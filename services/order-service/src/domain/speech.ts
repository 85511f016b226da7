import { article, listNames } from "@orderline/catalog";
import { type CartLine, formatCents } from "@orderline/contracts";

const NUMBER_WORDS = [
  "zero",
  "one",
  "two",
  "three",
  "four",
  "five",
  "six",
  "seven",
  "eight",
  "nine",
  "ten",
  "eleven",
  "twelve",
  "thirteen",
  "fourteen",
  "fifteen",
  "sixteen",
  "seventeen",
  "eighteen",
  "nineteen",
  "twenty",
];

export function numberWord(n: number): string {
  return NUMBER_WORDS[n] ?? String(n);
}

/** Naive English plural, good enough for menu names ("coke" → "cokes", "wings" stays, "fries" stays). */
export function pluralize(name: string): string {
  if (/s$/i.test(name)) return name;
  if (/(ch|sh|x|z)$/i.test(name)) return `${name}es`;
  if (/[^aeiou]y$/i.test(name)) return `${name.slice(0, -1)}ies`;
  return `${name}s`;
}

/** "mushrooms, no onions, and extra cheese": the readback keeps the serial comma (catalog's `listNames`). */
const joinList = (parts: readonly string[]): string => listNames(parts, "and", "", { serialComma: true });

export interface SpeakableLine extends Pick<CartLine, "name" | "size" | "quantity"> {
  /** `isDefault` modifiers (the regular crust nobody asked for) are not read back. */
  modifiers: readonly (Pick<CartLine["modifiers"][number], "name" | "action"> & { isDefault?: boolean })[];
}

/** "a large pepperoni pizza with extra cheese and no onions", "two cokes". */
export function describeLine(line: SpeakableLine): string {
  const base = `${line.size ? `${line.size.toLowerCase()} ` : ""}${line.name.toLowerCase()}`;
  const head = line.quantity === 1 ? `${article(base)} ${base}` : `${numberWord(line.quantity)} ${pluralize(base)}`;
  const mods = line.modifiers.filter((m) => !m.isDefault).map((m) => (m.action === "no" ? `no ${m.name.toLowerCase()}` : m.action === "extra" ? `extra ${m.name.toLowerCase()}` : m.name.toLowerCase()));
  return mods.length > 0 ? `${head} with ${joinList(mods)}` : head;
}

/** "a large pepperoni and two cokes, $24.15 with tax" (plus delivery fee when there is one). */
export function readback(lines: readonly SpeakableLine[], totals: { totalCents: number; deliveryFeeCents: number }): string {
  if (lines.length === 0) return "Your order is empty so far.";
  const fee = totals.deliveryFeeCents > 0 ? ` including the ${formatCents(totals.deliveryFeeCents)} delivery fee` : "";
  return `${joinList(lines.map(describeLine))}, ${formatCents(totals.totalCents)} with tax${fee}`;
}
