/** What the shared menu domain says to the caller when it refuses something (the `ToolFailure` messages). */
import type { MessageCatalogue } from "./language.ts";
import { SPOKEN } from "./spoken.ts";

export interface CatalogMessages {
  unknownLocation: string;
  invalidQuantity(max: number): string;
  ambiguousItem(names: readonly string[]): string;
  /** `said` is "" when nothing safe to echo was heard; `similar`: the suggestions sound alike, else they are just what we have. */
  notOnMenu(said: string, suggestions: readonly string[], similar: boolean): string;
  productNotOnMenu: string;
  /** One size with its price, as listed in `needsSize`/`invalidSize`: "Large ($18.99)". */
  sizeOption(name: string, priceCents: number): string;
  needsSize(product: string, sizes: readonly string[]): string;
  onlyOneSize(product: string, size: string): string;
  invalidSize(product: string, sizes: readonly string[]): string;
  unknownCategory(said: string, categories: readonly string[]): string;
  /** A modifier choice with its price when it costs extra: "Bacon ($1.50)". */
  choiceOption(name: string, priceCents: number): string;
  ambiguousModifier(product: string, options: readonly string[]): string;
  notAnOption(product: string, heard: string, offer: { add: readonly string[]; more: boolean } | { leaveOff: readonly string[] } | null): string;
  tooManyChanges(max: number): string;
  noChoiceHeard: string;
  cannotChange(product: string): string;
  modifierOutOfStock(modifier: string, others: readonly string[]): string;
  nothingToLeaveOff(product: string, modifier: string): string;
  noExtra(product: string, modifier: string): string;
  takesOne(product: string, group: string, chosen: readonly string[]): string;
  takesUpTo(product: string, group: string, max: number, asked: number): string;
  needsChoice(product: string, group: string, min: number, choices: readonly string[]): string;
  needsMoreChoices(product: string, group: string, min: number, choices: readonly string[]): string;
  dayNotHeard: string;
  dayUnclear(said: string): string;
  dayPassed: string;
  dayTooFar: string;
}

const en = SPOKEN.en;
const es = SPOKEN.es;

export const CATALOG_MESSAGES: MessageCatalogue<CatalogMessages> = {
  en: {
    unknownLocation: "This restaurant isn't set up to take orders by phone right now.",
    invalidQuantity: (max) => `I can add between 1 and ${max} of an item at a time.`,
    ambiguousItem: (names) => `Did you mean ${en.list(names, "or", { article: "the " })}?`,
    notOnMenu(said, suggestions, similar) {
      const lead = said ? `Sorry, we don't have ${said}.` : "Sorry, I couldn't find that on our menu.";
      if (suggestions.length === 0) return lead;
      return `${lead} ${similar ? "The closest are" : "We do have"} ${en.list(suggestions, "and", { article: "the " })}.`;
    },
    productNotOnMenu: "That item isn't on this restaurant's menu.",
    sizeOption: (name, cents) => `${name} (${en.money(cents)})`,
    needsSize: (product, sizes) => `What size would you like the ${product}? We have ${en.list(sizes, "or")}.`,
    onlyOneSize: (product, size) => `The ${product} only comes in one size${size ? `, ${size}` : ""}.`,
    invalidSize: (product, sizes) => `The ${product} comes in ${en.list(sizes, "or")}. Which size would you like?`,
    unknownCategory: (said, categories) => `We don't have a ${said ? `${said} ` : ""}section on our menu. We have ${en.list(categories, "and")}.`,
    choiceOption: (name, cents) => (cents > 0 ? `${name} (${en.money(cents)})` : name),
    ambiguousModifier: (product, options) => `For the ${product}, did you mean ${en.list(options, "or")}?`,
    notAnOption(product, heard, offer) {
      const lead = `The ${product} doesn't have ${heard || "that"} as an option.`;
      if (offer === null) return `${lead} It can't be changed.`;
      if ("add" in offer) return `${lead} You can add ${en.list(offer.add, "or")}${offer.more ? ", and more" : ""}.`;
      return `${lead} You can leave off ${en.list(offer.leaveOff, "or")}.`;
    },
    tooManyChanges: (max) => `That's too many changes for one item (${max} at most).`,
    noChoiceHeard: "I didn't catch which topping or choice you meant.",
    cannotChange: (product) => `Sorry, we can't make changes to the ${product}.`,
    modifierOutOfStock: (modifier, others) => `Sorry, we're out of ${modifier} right now.${others.length > 0 ? ` You could choose ${en.list(others, "or")}.` : ""}`,
    nothingToLeaveOff: (product, modifier) => `The ${product} doesn't come with ${modifier}, so there's nothing to leave off.`,
    noExtra: (product, modifier) => `Sorry, we can't do extra ${modifier} on the ${product}.`,
    takesOne: (product, group, chosen) => `The ${product} takes one ${group}: which one would you like, ${en.list(chosen, "or")}?`,
    takesUpTo: (product, group, max, asked) => `The ${product} takes up to ${max} ${group} choices; you asked for ${asked}.`,
    needsChoice: (product, group, min, choices) =>
      `The ${product} needs ${min === 1 ? "a" : min} ${group.toLowerCase()} choice${min === 1 ? "" : "s"}: ${en.list(choices, "or")}. Which would you like?`,
    needsMoreChoices: (product, group, min, choices) => `The ${product} needs ${min} ${group.toLowerCase()} choices: ${en.list(choices, "or")}.`,
    dayNotHeard: "I didn't catch which day. You can ask about today, tomorrow, a weekday, or a date.",
    dayUnclear: (said) => `I couldn't tell which day "${said}" is. You can ask about today, tomorrow, a weekday, or a date.`,
    dayPassed: "That day has already passed. I can tell you today's hours or an upcoming day's.",
    dayTooFar: "I can only look up hours for the coming year.",
  },
  es: {
    unknownLocation: "Este restaurante no está configurado para tomar pedidos por teléfono en este momento.",
    invalidQuantity: (max) => `Puedo agregar entre 1 y ${max} de un producto a la vez.`,
    ambiguousItem: (names) => `¿Se refiere a ${es.list(names, "or")}?`,
    notOnMenu(said, suggestions, similar) {
      const lead = said ? `Lo siento, no tenemos ${said}.` : "Lo siento, no encontré eso en nuestro menú.";
      if (suggestions.length === 0) return lead;
      return `${lead} ${similar ? "Lo más parecido es" : "Sí tenemos"} ${es.list(suggestions, "and")}.`;
    },
    productNotOnMenu: "Ese producto no está en el menú de este restaurante.",
    sizeOption: (name, cents) => `${name} (${es.money(cents)})`,
    needsSize: (product, sizes) => `¿De qué tamaño quiere su ${product}? Tenemos ${es.list(sizes, "or")}.`,
    onlyOneSize: (product, size) => `${product} viene en un solo tamaño${size ? `, ${size}` : ""}.`,
    invalidSize: (product, sizes) => `${product} viene en ${es.list(sizes, "or")}. ¿Qué tamaño quiere?`,
    unknownCategory: (said, categories) => `No tenemos una sección ${said ? `de ${said} ` : ""}en nuestro menú. Tenemos ${es.list(categories, "and")}.`,
    choiceOption: (name, cents) => (cents > 0 ? `${name} (${es.money(cents)})` : name),
    ambiguousModifier: (product, options) => `Para su ${product}, ¿se refiere a ${es.list(options, "or")}?`,
    notAnOption(product, heard, offer) {
      const lead = `${product} no tiene ${heard || "eso"} como opción.`;
      if (offer === null) return `${lead} No se puede cambiar.`;
      if ("add" in offer) return `${lead} Puede agregar ${es.list(offer.add, "or")}${offer.more ? ", y más" : ""}.`;
      return `${lead} Puede quitarle ${es.list(offer.leaveOff, "or")}.`;
    },
    tooManyChanges: (max) => `Son demasiados cambios para un solo producto (${max} como máximo).`,
    noChoiceHeard: "No entendí qué ingrediente u opción quiere.",
    cannotChange: (product) => `Lo siento, no podemos hacerle cambios a su ${product}.`,
    modifierOutOfStock: (modifier, others) => `Lo siento, por ahora nos quedamos sin ${modifier}.${others.length > 0 ? ` Puede elegir ${es.list(others, "or")}.` : ""}`,
    nothingToLeaveOff: (product, modifier) => `${product} no lleva ${modifier}, así que no hay nada que quitar.`,
    noExtra: (product, modifier) => `Lo siento, no podemos poner ${modifier} extra en su ${product}.`,
    takesOne: (product, group, chosen) => `${product} lleva una sola opción de ${group}: ¿cuál prefiere, ${es.list(chosen, "or")}?`,
    takesUpTo: (product, group, max, asked) => `${product} lleva hasta ${max} opciones de ${group}; pidió ${asked}.`,
    needsChoice: (product, group, min, choices) =>
      `${product} necesita ${min === 1 ? "una opción" : `${min} opciones`} de ${group.toLowerCase()}: ${es.list(choices, "or")}. ¿Cuál prefiere?`,
    needsMoreChoices: (product, group, min, choices) => `${product} necesita ${min} opciones de ${group.toLowerCase()}: ${es.list(choices, "or")}.`,
    dayNotHeard: "No entendí qué día. Puede preguntar por hoy, mañana, un día de la semana o una fecha.",
    dayUnclear: (said) => `No entendí qué día es "${said}". Puede preguntar por hoy, mañana, un día de la semana o una fecha.`,
    dayPassed: "Ese día ya pasó. Le puedo decir el horario de hoy o de un día próximo.",
    dayTooFar: "Solo puedo consultar el horario del próximo año.",
  },
};
