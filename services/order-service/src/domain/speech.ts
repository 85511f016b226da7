import { article, type MessageCatalogue, SPOKEN, type SpeechLanguage } from "@orderline/catalog";
import type { CartLine } from "@orderline/contracts";

export interface SpeakableLine extends Pick<CartLine, "name" | "size" | "quantity"> {
  /** `isDefault` modifiers (the regular crust nobody asked for) are not read back. */
  modifiers: readonly (Pick<CartLine["modifiers"][number], "name" | "action"> & { isDefault?: boolean })[];
}

/** How a cart line and a whole cart are said in one language. */
interface LineSpeech {
  line(line: SpeakableLine): string;
  readback(lines: readonly SpeakableLine[], totals: { totalCents: number; deliveryFeeCents: number }): string;
}

const EN_NUMBERS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
  .concat(["eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"]);

const ES_NUMBERS = ["cero", "una", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez"]
  .concat(["once", "doce", "trece", "catorce", "quince", "dieciséis", "diecisiete", "dieciocho", "diecinueve", "veinte"]);

export function numberWord(n: number): string {
  return EN_NUMBERS[n] ?? String(n);
}

/** Naive English plural, good enough for menu names ("coke" → "cokes", "wings" stays, "fries" stays). */
export function pluralize(name: string): string {
  if (/s$/i.test(name)) return name;
  if (/(ch|sh|x|z)$/i.test(name)) return `${name}es`;
  if (/[^aeiou]y$/i.test(name)) return `${name.slice(0, -1)}ies`;
  return `${name}s`;
}

const en = SPOKEN.en;
const es = SPOKEN.es;
const visible = (line: SpeakableLine) => line.modifiers.filter((m) => !m.isDefault);

const LINE_SPEECH: MessageCatalogue<LineSpeech> = {
  en: {
    /** "a large pepperoni pizza with extra cheese and no onions", "two cokes". */
    line(line) {
      const base = `${line.size ? `${line.size.toLowerCase()} ` : ""}${line.name.toLowerCase()}`;
      const head = line.quantity === 1 ? `${article(base)} ${base}` : `${numberWord(line.quantity)} ${pluralize(base)}`;
      const mods = visible(line).map((m) => (m.action === "no" ? `no ${m.name.toLowerCase()}` : m.action === "extra" ? `extra ${m.name.toLowerCase()}` : m.name.toLowerCase()));
      // The readback keeps the serial comma ("mushrooms, no onions, and extra cheese") so each is heard apart.
      return mods.length > 0 ? `${head} with ${en.list(mods, "and", { serialComma: true })}` : head;
    },
    /** "a large pepperoni and two cokes, $24.15 with tax" (plus delivery fee when there is one). */
    readback(lines, totals) {
      if (lines.length === 0) return "Your order is empty so far.";
      const fee = totals.deliveryFeeCents > 0 ? ` including the ${en.money(totals.deliveryFeeCents)} delivery fee` : "";
      return `${en.list(lines.map(LINE_SPEECH.en.line), "and", { serialComma: true })}, ${en.money(totals.totalCents)} with tax${fee}`;
    },
  },
  es: {
    /**
     * Menu names stay as the menu spells them and have no known gender, so a line is counted in "órdenes":
     * "una orden de pepperoni pizza tamaño large con mushrooms y sin onions", "dos órdenes de coke".
     */
    line(line) {
      const base = `${line.name.toLowerCase()}${line.size ? ` tamaño ${line.size.toLowerCase()}` : ""}`;
      const head = `${ES_NUMBERS[line.quantity] ?? String(line.quantity)} ${line.quantity === 1 ? "orden" : "órdenes"} de ${base}`;
      const withs = visible(line)
        .filter((m) => m.action !== "no")
        .map((m) => (m.action === "extra" ? `${m.name.toLowerCase()} extra` : m.name.toLowerCase()));
      const withouts = visible(line)
        .filter((m) => m.action === "no")
        .map((m) => m.name.toLowerCase());
      // No comma inside a line: the readback separates lines with commas.
      return `${head}${withs.length > 0 ? ` con ${es.list(withs, "and")}` : ""}${withouts.length > 0 ? `${withs.length > 0 ? " y" : ""} sin ${es.list(withouts, "and")}` : ""}`;
    },
    readback(lines, totals) {
      if (lines.length === 0) return "Su pedido está vacío por ahora.";
      const fee = totals.deliveryFeeCents > 0 ? `, incluido el cargo de entrega de ${es.money(totals.deliveryFeeCents)}` : "";
      return `${es.list(lines.map(LINE_SPEECH.es.line), "and")}; ${es.money(totals.totalCents)} con impuestos${fee}`;
    },
  },
};

/** One cart line as said: "a large pepperoni pizza with extra cheese and no onions", "two cokes". */
export function describeLine(line: SpeakableLine, language: SpeechLanguage = "en"): string {
  return LINE_SPEECH[language].line(line);
}

/** The cart as said: "a large pepperoni and two cokes, $24.15 with tax" (plus delivery fee when there is one). */
export function readback(lines: readonly SpeakableLine[], totals: { totalCents: number; deliveryFeeCents: number }, language: SpeechLanguage = "en"): string {
  return LINE_SPEECH[language].readback(lines, totals);
}
