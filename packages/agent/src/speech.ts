import { formatCents } from "@orderline/contracts";

/**
 * Everything the agent says, in English and Spanish. Prices and totals are only ever the cents a tool
 * returned, formatted here; names are the menu's.
 */
export type Lang = "en" | "es";

export function list(items: string[], lang: Lang, conj: "and" | "or" = "and"): string {
  const word = lang === "es" ? (conj === "and" ? "y" : "o") : conj;
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} ${word} ${items[items.length - 1]}`;
}

export interface SpokenLine {
  quantity: number;
  name: string;
  size: string | null;
  modifiers: { name: string; action: "add" | "no" | "extra" }[];
}

export function describeLine(line: SpokenLine, lang: Lang): string {
  const mods = line.modifiers.map((m) =>
    m.action === "no" ? `${lang === "es" ? "sin" : "no"} ${m.name}` : m.action === "extra" ? `extra ${m.name}` : m.name,
  );
  const size = line.size ? (lang === "es" ? ` ${line.size}` : `${line.size} `) : "";
  const base = lang === "es" ? `${line.quantity} ${line.name}${size}` : `${line.quantity} ${size}${line.name}`;
  return mods.length > 0 ? `${base} ${lang === "es" ? "con" : "with"} ${list(mods, lang)}` : base;
}

const EN = {
  greeting: (name: string) => `Thanks for calling ${name}! What can I get for you today?`,
  anythingElse: () => "Anything else?",
  whatToOrder: () => "What can I get for you?",
  sureWhat: () => "Sure, what would you like?",
  leftOff: (item: string) => `Okay, I left the ${item} off.`,
  askSize: (item: string, choices: string[]) => `What size would you like for the ${item}? We have ${list(choices, "en", "or")}.`,
  askType: () => "Is this for pickup or delivery?",
  askName: () => "Can I get a name for the order?",
  askPhone: (hasCallerId: boolean): string => (hasCallerId ? "Should I use the number you're calling from, or is there a better number?" : "What's the best phone number for the order?"),
  askAddress: () => "What's the delivery address, with the apartment number and the ZIP code?",
  askZip: () => "And the ZIP code?",
  askConfirm: (readback: string, type: string, name: string) => `${readback} ${type === "delivery" ? "For delivery" : "For pickup"}, under ${name}. Is that all correct?`,
  added: (lines: string[]) => `Got it: ${list(lines, "en")}.`,
  upsell: (drink: string) => `Would you like a drink with that, like a ${drink}?`,
  notOnMenu: (said: string, suggestions: string[]) =>
    `Sorry, we don't have ${said}.${suggestions.length > 0 ? ` We do have ${list(suggestions, "en", "or")}.` : ""}`,
  ambiguous: (candidates: string[]) => `Did you mean ${list(candidates, "en", "or")}?`,
  unavailable: (name: string, alternatives: string[]) =>
    `Sorry, the ${name} isn't available right now.${alternatives.length > 0 ? ` We do have ${list(alternatives, "en", "or")}.` : ""}`,
  unsupported: (what: string) => `Sorry, we can't do ${what} — toppings go on the whole item. I left that item off; tell me how you'd like it instead.`,
  reprompt: () => "Sorry, I didn't catch that.",
  tooLong: () => "Sorry, that was a lot at once. Could you tell me in a few words?",
  injection: () => "I can't change how I work or what things cost, but I'm happy to take your order.",
  card: () => "Please don't read out card numbers — I can't take payment over the phone. You pay when you pick up or when it's delivered.",
  payment: () => "You pay when you pick up or when your order is delivered.",
  weDeliver: () => "Yes, we deliver near the restaurant — I'll check your address when we finish the order.",
  cantAnswer: () => "I'm sorry, I can't answer that one.",
  emptyCart: () => "You don't have anything in your order yet. What would you like?",
  goodbye: () => "No problem. Thanks for calling, goodbye!",
  changeWhat: () => "Okay, what would you like to change?",
  removed: (name: string) => `Okay, I took the ${name} off.`,
  updated: (line: string) => `Okay, that's ${line} now.`,
  nothingToChange: () => "There's nothing in the order to change yet.",
  phoneAgain: () => "I didn't get a full phone number. Could you say it with the area code?",
  nameAgain: () => "Sorry, what name should I put the order under?",
  placed: (num: number, total: number, minutes: number, type: string) =>
    `Your order number is ${num}, and the total is ${formatCents(total)}. It'll be ${type === "delivery" ? "at your door" : "ready"} in about ${minutes} minutes. Thanks for calling!`,
  techFailure: () => "I'm sorry, I'm having trouble with our system right now.",
  transferFailed: () => "I'm sorry, I can't connect you right now. Please call back in a few minutes. Goodbye.",
  transferring: () => "Let me get you to someone from our team.",
  hours: (open: string | null, close: string | null, closed: boolean, day: string) => (closed ? `We're closed ${day}.` : `${day === "today" ? "Today" : `On ${day}`} we're open from ${open} to ${close}.`),
  location: (address: string) => `We're at ${address}.`,
  wait: (minutes: number, type: string) => `Right now a ${type} order takes about ${minutes} minutes.`,
  noSpecials: () => "We don't have any specials running today.",
  specials: (names: string[]) => `Today's specials: ${list(names, "en")}.`,
  price: (name: string, sizes: string[]) => `The ${name} is ${list(sizes, "en", "or")}.`,
  have: (name: string) => `Yes, we have the ${name}.`,
  describe: (name: string, description: string | null) => `The ${name}: ${description ?? "one of our favourites"}.`,
  allergens: (name: string, allergens: string[]) =>
    allergens.length > 0 ? `The ${name} contains ${list(allergens, "en")}.` : `The ${name} has no listed allergens.`,
  menu: (names: string[]) => `We have ${list(names, "en")}.`,
  total: (total: number) => `Your total so far is ${formatCents(total)} with tax.`,
  otherLanguage: () => "Sorry, I can help in English or Spanish.",
};

type Messages = typeof EN;

const ES: Messages = {
  greeting: (name) => `¡Gracias por llamar a ${name}! ¿Qué le puedo servir hoy?`,
  anythingElse: () => "¿Algo más?",
  whatToOrder: () => "¿Qué le puedo servir?",
  sureWhat: () => "Claro, ¿qué le gustaría?",
  leftOff: (item) => `Está bien, no agregué ${item}.`,
  askSize: (item, choices) => `¿De qué tamaño quiere ${item}? Tenemos ${list(choices, "es", "or")}.`,
  askType: () => "¿Es para recoger o a domicilio?",
  askName: () => "¿A nombre de quién pongo el pedido?",
  askPhone: (hasCallerId) => (hasCallerId ? "¿Uso el número desde el que llama, o prefiere otro?" : "¿Cuál es su número de teléfono?"),
  askAddress: () => "¿Cuál es la dirección de entrega, con el número de apartamento y el código postal?",
  askZip: () => "¿Y el código postal?",
  askConfirm: (readback, type, name) => `${readback} ${type === "delivery" ? "A domicilio" : "Para recoger"}, a nombre de ${name}. ¿Está todo correcto?`,
  added: (lines) => `Muy bien: ${list(lines, "es")}.`,
  upsell: (drink) => `¿Le gustaría una bebida, como una ${drink}?`,
  notOnMenu: (said, suggestions) => `Lo siento, no tenemos ${said}.${suggestions.length > 0 ? ` Tenemos ${list(suggestions, "es", "or")}.` : ""}`,
  ambiguous: (candidates) => `¿Se refiere a ${list(candidates, "es", "or")}?`,
  unavailable: (name, alternatives) => `Lo siento, ${name} no está disponible ahora.${alternatives.length > 0 ? ` Tenemos ${list(alternatives, "es", "or")}.` : ""}`,
  unsupported: (what) => `Lo siento, no podemos hacer ${what}. No agregué ese artículo; dígame cómo lo quiere.`,
  reprompt: () => "Perdón, no le entendí.",
  tooLong: () => "Perdón, fue mucho a la vez. ¿Me lo puede decir en pocas palabras?",
  injection: () => "No puedo cambiar cómo funciono ni los precios, pero con gusto tomo su pedido.",
  card: () => "Por favor no me dé números de tarjeta; no tomo pagos por teléfono. Se paga al recoger o al recibir el pedido.",
  payment: () => "Se paga al recoger o al recibir el pedido.",
  weDeliver: () => "Sí, hacemos entregas cerca del restaurante; revisaré su dirección al final del pedido.",
  cantAnswer: () => "Lo siento, no puedo responder eso.",
  emptyCart: () => "Todavía no tiene nada en su pedido. ¿Qué le gustaría?",
  goodbye: () => "Está bien. Gracias por llamar, ¡adiós!",
  changeWhat: () => "Muy bien, ¿qué le gustaría cambiar?",
  removed: (name) => `Listo, quité ${name}.`,
  updated: (line) => `Listo, ahora es ${line}.`,
  nothingToChange: () => "Todavía no hay nada en el pedido que cambiar.",
  phoneAgain: () => "No entendí el número completo. ¿Me lo repite con el código de área?",
  nameAgain: () => "Perdón, ¿a nombre de quién pongo el pedido?",
  placed: (num, total, minutes, type) =>
    `Su número de pedido es ${num} y el total es ${formatCents(total)}. ${type === "delivery" ? "Llegará" : "Estará listo"} en unos ${minutes} minutos. ¡Gracias por llamar!`,
  techFailure: () => "Lo siento, tenemos un problema con el sistema.",
  transferFailed: () => "Lo siento, no puedo comunicarle ahora. Por favor llame de nuevo en unos minutos. Adiós.",
  transferring: () => "Le comunico con alguien de nuestro equipo.",
  hours: (open, close, closed, day) => (closed ? `Estamos cerrados ${day === "today" ? "hoy" : day}.` : `${day === "today" ? "Hoy" : `El ${day}`} abrimos de ${open} a ${close}.`),
  location: (address) => `Estamos en ${address}.`,
  wait: (minutes, type) => `Ahora un pedido ${type === "delivery" ? "a domicilio" : "para recoger"} tarda unos ${minutes} minutos.`,
  noSpecials: () => "Hoy no tenemos especiales.",
  specials: (names) => `Los especiales de hoy: ${list(names, "es")}.`,
  price: (name, sizes) => `${name} cuesta ${list(sizes, "es", "or")}.`,
  have: (name) => `Sí, tenemos ${name}.`,
  describe: (name, description) => `${name}: ${description ?? "uno de nuestros favoritos"}.`,
  allergens: (name, allergens) => (allergens.length > 0 ? `${name} contiene ${list(allergens, "es")}.` : `${name} no tiene alérgenos registrados.`),
  menu: (names) => `Tenemos ${list(names, "es")}.`,
  total: (total) => `Su total hasta ahora es ${formatCents(total)} con impuestos.`,
  otherLanguage: () => "Lo siento, puedo ayudarle en inglés o en español.",
};

export function say(lang: Lang): Messages {
  return lang === "es" ? ES : EN;
}

export function sizePrice(name: string, cents: number): string {
  return `${name} ${formatCents(cents)}`;
}
