/**
 * Everything the menu service says to the caller, one map of message functions per speech language
 * (`MessageCatalogue` of @orderline/catalog). Handlers pick the map with `speechLanguage(envelope, location)`.
 */
import { article, type DayHours, type MessageCatalogue, SPOKEN, type Spoken } from "@orderline/catalog";
import type { DateTime } from "luxon";

export interface PricedName {
  name: string;
  priceCents: number;
}

export interface MenuMessages {
  spoken: Spoken;
  // get_menu
  categories(names: readonly string[]): string;
  categoryItems(category: string, items: readonly PricedName[], more: number): string;
  nothingAvailableIn(category: string): string;
  notAvailableNow(names: readonly string[]): string;
  // get_item_details
  sizePrice(size: string, product: string, priceCents: number): string;
  price(product: string, priceCents: number): string;
  sizes(product: string, sizes: readonly PricedName[]): string;
  needsChoiceOf(group: string, choices: readonly string[]): string;
  contains(allergens: readonly string[]): string;
  itemElsewhere: string;
  // check_availability
  available(product: string): string;
  isAvailable(product: string): string;
  soldOut(product: string): string;
  ingredientsOut(product: string, ingredients: readonly string[]): string;
  servedOnly(product: string, startHhmm: string, endHhmm: string): string;
  insteadOf(alternatives: readonly string[]): string;
  nothingSimilar: string;
  // get_specials
  noSpecials: string;
  specials(specials: readonly { name: string; description: string; availableNow: boolean }[]): string;
  // get_hours
  dayHours(localDate: string, today: DateTime, day: DayHours): string;
  closesSoon(minutes: number, closesAt: DateTime, now: DateTime): string;
  openUntil(closesAt: DateTime, now: DateTime): string;
  openRightNow: string;
  closedUntil(nextOpening: DateTime, now: DateTime): string;
  closedNow: string;
  // get_location
  address(street: string, city: string, crossStreets: string | null): string;
  phone(spokenPhone: string): string;
  // get_wait_time
  wait(orderType: "pickup" | "delivery", minutes: number): string;
  noDelivery: string;
  closedThough(nextOpening: DateTime | null, now: DateTime): string;
}

const en = SPOKEN.en;
const es = SPOKEN.es;
const short = { short: true } as const;
const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const intervals = (spoken: Spoken, day: DayHours, to: string) =>
  spoken.list(
    day.intervals.map((i) => `${spoken.time(i.start)} ${to} ${spoken.time(i.end)}`),
    "and",
  );

export const MENU_MESSAGES: MessageCatalogue<MenuMessages> = {
  en: {
    spoken: en,
    categories: (names) => `We have ${en.list(names, "and")}. Which would you like to hear about?`,
    categoryItems: (category, items, more) =>
      `In ${category} we have the ${en.list(
        items.map((i) => `${i.name} from ${en.money(i.priceCents, short)}`),
        "and",
      )}${more > 0 ? `, and ${more} more` : ""}.`,
    nothingAvailableIn: (category) => `Nothing from our ${category} is available right now.`,
    notAvailableNow: (names) => `${capitalize(en.list(names, "and", { article: "the " }))} ${names.length === 1 ? "isn't" : "aren't"} available right now.`,
    sizePrice: (size, product, cents) => `${capitalize(article(size))} ${size} ${product} is ${en.money(cents, short)}.`,
    price: (product, cents) => `The ${product} is ${en.money(cents, short)}.`,
    sizes: (product, sizes) => `The ${product} comes in ${en.list(sizes.map((s) => `${s.name} for ${en.money(s.priceCents, short)}`), "or")}.`,
    needsChoiceOf: (group, choices) => `It needs a choice of ${group.toLowerCase()}: ${en.list(choices, "or")}.`,
    contains: (allergens) => `It contains ${en.list(allergens, "and")}.`,
    itemElsewhere: "That item isn't sold at this restaurant.",
    available: (product) => `Yes, the ${product} is available.`,
    isAvailable: (product) => `The ${product} is available.`,
    soldOut: (product) => `Sorry, the ${product} is sold out right now.`,
    ingredientsOut: (product, ingredients) =>
      `Sorry, the ${product} isn't available right now: we're out of ${en.list(
        ingredients.map((i) => i.toLowerCase()),
        "and",
      )}.`,
    servedOnly: (product, start, end) => `Sorry, the ${product} is only served from ${en.clock(start)} to ${en.clock(end)}.`,
    insteadOf: (alternatives) => `Would you like ${en.list(alternatives, "or", { article: "the " })} instead?`,
    nothingSimilar: "I'm afraid nothing similar is available right now either.",
    noSpecials: "We don't have any specials today.",
    specials: (specials) =>
      `Today's special${specials.length > 1 ? "s are" : " is"}: ${specials
        .map((s) => `${s.name}. ${s.description}${s.availableNow ? "" : " It isn't available right now."}`)
        .join(" ")}`,
    dayHours(localDate, today, day) {
      const on = en.onDay(localDate, today);
      const note = day.exception ? ` (${day.exception})` : "";
      return day.closed ? `We're closed ${on}${note}.` : `${capitalize(on)}${note} we're open ${intervals(en, day, "to")}.`;
    },
    closesSoon: (minutes, at, now) => `We close soon, in ${minutes} minutes, ${en.when(at, now)}.`,
    openUntil: (at, now) => `We're open now until ${en.when(at, now).replace(/^at /, "")}.`,
    openRightNow: "We're open right now.",
    closedUntil: (next, now) => `We're closed right now; we open again ${en.when(next, now)}.`,
    closedNow: "We're closed right now.",
    address: (street, city, cross) => `We're at ${street} in ${city}${cross ? `, ${cross}` : ""}.`,
    phone: (phone) => `Our phone number is ${phone}.`,
    wait: (orderType, minutes) => `A ${en.orderType[orderType]} order takes about ${minutes} minutes right now.`,
    noDelivery: "Sorry, this restaurant doesn't deliver; pickup is available.",
    closedThough: (next, now) => (next ? ` We're closed right now, though; we open ${en.when(next, now)}.` : " We're closed right now, though."),
  },
  es: {
    spoken: es,
    categories: (names) => `Tenemos ${es.list(names, "and")}. ¿De cuál le gustaría saber?`,
    categoryItems: (category, items, more) =>
      `En ${category} tenemos ${es.list(
        items.map((i) => `${i.name} desde ${es.money(i.priceCents, short)}`),
        "and",
      )}${more > 0 ? `, y ${more} más` : ""}.`,
    nothingAvailableIn: (category) => `No hay nada de ${category} disponible en este momento.`,
    notAvailableNow: (names) => `${es.list(names, "and")} no ${names.length === 1 ? "está disponible" : "están disponibles"} en este momento.`,
    sizePrice: (size, product, cents) => `${product} tamaño ${size} cuesta ${es.money(cents, short)}.`,
    price: (product, cents) => `${product} cuesta ${es.money(cents, short)}.`,
    sizes: (product, sizes) => `${product} viene en ${es.list(sizes.map((s) => `${s.name} por ${es.money(s.priceCents, short)}`), "or")}.`,
    needsChoiceOf: (group, choices) => `Hay que elegir ${group.toLowerCase()}: ${es.list(choices, "or")}.`,
    contains: (allergens) => `Contiene ${es.list(allergens, "and")}.`,
    itemElsewhere: "Ese producto no se vende en este restaurante.",
    available: (product) => `Sí, ${product} está disponible.`,
    isAvailable: (product) => `${product} está disponible.`,
    soldOut: (product) => `Lo siento, ${product} está agotado en este momento.`,
    ingredientsOut: (product, ingredients) =>
      `Lo siento, ${product} no está disponible en este momento: nos quedamos sin ${es.list(
        ingredients.map((i) => i.toLowerCase()),
        "and",
      )}.`,
    servedOnly: (product, start, end) => `Lo siento, ${product} solo se sirve de ${es.clock(start)} a ${es.clock(end)}.`,
    insteadOf: (alternatives) => `¿Le gustaría ${es.list(alternatives, "or")} en su lugar?`,
    nothingSimilar: "Me temo que tampoco hay nada parecido disponible en este momento.",
    noSpecials: "Hoy no tenemos especiales.",
    specials: (specials) =>
      `${specials.length > 1 ? "Los especiales de hoy son" : "El especial de hoy es"}: ${specials
        .map((s) => `${s.name}. ${s.description}${s.availableNow ? "" : " No está disponible en este momento."}`)
        .join(" ")}`,
    dayHours(localDate, today, day) {
      const on = es.onDay(localDate, today);
      const note = day.exception ? ` (${day.exception})` : "";
      return day.closed ? `${capitalize(on)}${note} estamos cerrados.` : `${capitalize(on)}${note} abrimos de ${intervals(es, day, "a")}.`;
    },
    closesSoon: (minutes, at, now) => `Cerramos pronto, en ${minutes} minutos, ${es.when(at, now)}.`,
    openUntil: (at, now) => `Estamos abiertos ahora; cerramos ${es.when(at, now)}.`,
    openRightNow: "Estamos abiertos en este momento.",
    closedUntil: (next, now) => `En este momento estamos cerrados; volvemos a abrir ${es.when(next, now)}.`,
    closedNow: "En este momento estamos cerrados.",
    address: (street, city, cross) => `Estamos en ${street}, en ${city}${cross ? `, ${cross}` : ""}.`,
    phone: (phone) => `Nuestro número de teléfono es ${phone}.`,
    wait: (orderType, minutes) => `Un pedido ${es.orderType[orderType]} tarda unos ${minutes} minutos en este momento.`,
    noDelivery: "Lo siento, este restaurante no hace entregas a domicilio; puede pedir para recoger.",
    closedThough: (next, now) =>
      next ? ` Pero en este momento estamos cerrados; abrimos ${es.when(next, now)}.` : " Pero en este momento estamos cerrados.",
  },
};
