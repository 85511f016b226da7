/**
 * Everything the order service says to the caller, one map of message functions per speech language
 * (`MessageCatalogue` of @orderline/catalog). Cart readbacks come in already said (domain/speech.ts).
 */
import { type MessageCatalogue, SPOKEN } from "@orderline/catalog";
import type { OrderType } from "@orderline/contracts";
import type { DateTime } from "luxon";

export interface PlacedOrder {
  customerName: string;
  orderNumber: number;
  totalCents: number;
  orderType: OrderType;
  waitMinutes: number;
  /** Ready (or delivered) at, in the location's zone. */
  readyAt: DateTime;
  pointsEarned: number;
  pointsBalance: number;
}

export interface OrderMessages {
  // starting and changing the cart
  startOrder(orderType: OrderType): string;
  switchedEmpty(orderType: OrderType): string;
  resumed(switchedTo: OrderType | null, readback: string): string;
  added(line: string, mergedQuantity: number | null, readback: string): string;
  updated(line: string, readback: string): string;
  removed(line: string, restReadback: string | null): string;
  largeOrder: string;
  summaryPlaced(orderNumber: number | null, readback: string): string;
  summaryEmpty: string;
  summaryDraft(readback: string): string;
  rewardPoints(name: string | null, points: number): string;
  // failures
  orderTooBig(max: number): string;
  alreadyPlaced(orderNumber: number | null): string;
  noOpenOrder: string;
  requestReused: string;
  cannotOpenOrder: string;
  lineIdNotFound: string;
  lineNotInOrder(item: string): string;
  ambiguousLine(item: string, choices: readonly { name: string; size: string | null }[]): string;
  itemUnavailable(product: string, why: "sold_out" | "not_now", alternatives: readonly string[]): string;
  linesUnavailable(names: readonly string[]): string;
  /** A counted ingredient has fewer units left than the order needs. */
  notEnoughLeft(ingredient: string, items: readonly string[]): string;
  closed(nextOpening: DateTime | null, now: DateTime): string;
  orderElsewhere: string;
  emptyCart: string;
  phoneNeeded: string;
  invalidPhone: string;
  addressNeeded: string;
  noDelivery: string;
  outsideZone(zip: string): string;
  belowMinimum(minimumCents: number, subtotalCents: number): string;
  placed(order: PlacedOrder): string;
}

const en = SPOKEN.en;
const es = SPOKEN.es;
const spelled = (zip: string) => zip.split("").join(" ");

export const ORDER_MESSAGES: MessageCatalogue<OrderMessages> = {
  en: {
    startOrder: (t) => `Okay, a ${en.orderType[t]} order. What would you like?`,
    switchedEmpty: (t) => `Okay, it's a ${en.orderType[t]} order now. What would you like?`,
    resumed: (to, readback) => `${to ? `Okay, I've changed it to ${en.orderType[to]}. ` : ""}So far I have ${readback}.`,
    added: (line, merged, readback) => `Added ${line}${merged !== null ? ` — that's ${merged} now` : ""}. You have ${readback}.`,
    updated: (line, readback) => `Okay, that's ${line} now. You have ${readback}.`,
    removed: (line, rest) => `I removed ${line}. ${rest === null ? "Your order is empty now." : `You now have ${rest}.`}`,
    largeOrder: "That's a large order — I can connect you with our staff to help with it if you like.",
    summaryPlaced: (n, readback) => `Your order${n ? ` number ${n}` : ""} is placed: ${readback}.`,
    summaryEmpty: "Your order is empty so far. What would you like?",
    summaryDraft: (readback) => `You have ${readback}.`,
    rewardPoints: (name, points) => `${name ? `${name}, you` : "You"} have ${points} reward points.`,
    orderTooBig: (max) => `That would make more than ${max} items, which is more than I can take by phone. I can connect you with our staff for a catering order.`,
    alreadyPlaced: (n) => `Your order${n ? ` number ${n}` : ""} has already been placed, so I can't change it. I can start a new order if you like.`,
    noOpenOrder: "Let's start your order first — is it for pickup or delivery?",
    requestReused: "Sorry, something went wrong with that request. Could you say it again?",
    cannotOpenOrder: "Sorry, I couldn't open an order on this call.",
    lineIdNotFound: "I couldn't find that item in your order.",
    lineNotInOrder: (item) => `I don't see ${item} in your order.`,
    ambiguousLine: (item, choices) =>
      `You have more than one ${item}: ${choices.map((c) => `${c.size ? `the ${c.size.toLowerCase()} ` : "the "}${c.name.toLowerCase()}`).join(" or ")}. Which one?`,
    itemUnavailable: (product, why, alternatives) =>
      `Sorry, the ${product} ${why === "sold_out" ? "is sold out right now" : "isn't available right now"}.${alternatives.length > 0 ? ` We do have ${alternatives.slice(0, 3).join(", ")}.` : ""}`,
    linesUnavailable: (names) =>
      `Sorry, ${names.map((n) => `the ${n}`).join(" and ")} ${names.length === 1 ? "is" : "are"} no longer available. Would you like something else instead?`,
    notEnoughLeft: (ingredient, items) =>
      `Sorry, we're running low on ${ingredient.toLowerCase()} and don't have enough left for all of ${en.list(items, "and", { article: "the " })}. Could you take fewer, or choose something else?`,
    closed(next, now) {
      if (!next) return "Sorry, we're closed right now, so I can't place the order.";
      const day = next.hasSame(now, "day") ? "today" : next.hasSame(now.plus({ days: 1 }), "day") ? "tomorrow" : next.setLocale("en-US").toFormat("cccc");
      return `Sorry, we're closed right now, so I can't place the order. We open again ${day} ${en.atTime(next)}.`;
    },
    orderElsewhere: "Sorry, I can't find that order at this restaurant.",
    emptyCart: "Your order is empty — what would you like to order?",
    phoneNeeded: "What's the best phone number for the order?",
    invalidPhone: "I didn't catch a valid phone number — could you say it again?",
    addressNeeded: "What's the delivery address, with the ZIP code?",
    noDelivery: "Sorry, this restaurant doesn't deliver. Would you like to pick it up instead?",
    outsideZone: (zip) => `Sorry, we don't deliver to ${spelled(zip)}. Would you like to pick it up instead?`,
    belowMinimum: (min, subtotal) =>
      `Delivery needs an order of at least ${en.money(min)} before tax; you're at ${en.money(subtotal)}. Would you like to add something, or pick it up instead?`,
    placed(o) {
      const at = o.readyAt.setLocale("en-US").toFormat("h:mm a");
      const when =
        o.orderType === "delivery"
          ? `It should arrive in about ${o.waitMinutes} minutes, around ${at}`
          : `It'll be ready for pickup in about ${o.waitMinutes} minutes, around ${at}`;
      const points = o.pointsEarned > 0 ? ` You earned ${o.pointsEarned} reward points; your balance is ${o.pointsBalance}.` : "";
      return `Thanks, ${o.customerName}! Your order number is ${o.orderNumber}, ${en.money(o.totalCents)} with tax, paid at ${o.orderType === "delivery" ? "the door" : "pickup"}. ${when}.${points}`;
    },
  },
  es: {
    startOrder: (t) => `Muy bien, un pedido ${es.orderType[t]}. ¿Qué le gustaría?`,
    switchedEmpty: (t) => `Muy bien, ahora es un pedido ${es.orderType[t]}. ¿Qué le gustaría?`,
    resumed: (to, readback) => `${to ? `Muy bien, ahora es un pedido ${es.orderType[to]}. ` : ""}Hasta ahora tengo ${readback}.`,
    added: (line, merged, readback) => `Agregué ${line}${merged !== null ? `; ahora son ${merged}` : ""}. Tiene ${readback}.`,
    updated: (line, readback) => `Muy bien, ahora es ${line}. Tiene ${readback}.`,
    removed: (line, rest) => `Quité ${line}. ${rest === null ? "Su pedido está vacío ahora." : `Ahora tiene ${rest}.`}`,
    largeOrder: "Es un pedido grande; si quiere, lo comunico con nuestro personal para que le ayude.",
    summaryPlaced: (n, readback) => `Su pedido${n ? ` número ${n}` : ""} ya está hecho: ${readback}.`,
    summaryEmpty: "Su pedido está vacío por ahora. ¿Qué le gustaría?",
    summaryDraft: (readback) => `Tiene ${readback}.`,
    rewardPoints: (name, points) => `${name ? `${name}, tiene` : "Tiene"} ${points} puntos de recompensa.`,
    orderTooBig: (max) =>
      `Serían más de ${max} productos, más de lo que puedo tomar por teléfono. Lo puedo comunicar con nuestro personal para un pedido de catering.`,
    alreadyPlaced: (n) => `Su pedido${n ? ` número ${n}` : ""} ya se hizo, así que no lo puedo cambiar. Si quiere, puedo empezar un pedido nuevo.`,
    noOpenOrder: "Primero empecemos su pedido: ¿es para recoger o a domicilio?",
    requestReused: "Lo siento, algo salió mal con esa solicitud. ¿Me lo puede repetir?",
    cannotOpenOrder: "Lo siento, no pude abrir un pedido en esta llamada.",
    lineIdNotFound: "No encontré ese producto en su pedido.",
    lineNotInOrder: (item) => `No veo ${item} en su pedido.`,
    ambiguousLine: (item, choices) =>
      `Tiene más de una orden de ${item}: ${es.list(
        choices.map((c) => `${c.name.toLowerCase()}${c.size ? ` tamaño ${c.size.toLowerCase()}` : ""}`),
        "or",
      )}. ¿Cuál?`,
    itemUnavailable: (product, why, alternatives) =>
      `Lo siento, ${product} ${why === "sold_out" ? "está agotado" : "no está disponible"} en este momento.${alternatives.length > 0 ? ` Sí tenemos ${es.list(alternatives.slice(0, 3), "and")}.` : ""}`,
    linesUnavailable: (names) =>
      `Lo siento, ${es.list(names, "and")} ya no ${names.length === 1 ? "está disponible" : "están disponibles"}. ¿Le gustaría otra cosa en su lugar?`,
    notEnoughLeft: (ingredient, items) =>
      `Lo siento, nos queda poco de ${ingredient.toLowerCase()} y no alcanza para todo: ${es.list(items, "and")}. ¿Puede pedir menos, o elegir otra cosa?`,
    closed(next, now) {
      if (!next) return "Lo siento, en este momento estamos cerrados, así que no puedo hacer el pedido.";
      return `Lo siento, en este momento estamos cerrados, así que no puedo hacer el pedido. Volvemos a abrir ${es.when(next, now)}.`;
    },
    orderElsewhere: "Lo siento, no encuentro ese pedido en este restaurante.",
    emptyCart: "Su pedido está vacío. ¿Qué le gustaría pedir?",
    phoneNeeded: "¿A qué número de teléfono le podemos llamar sobre el pedido?",
    invalidPhone: "No entendí un número de teléfono válido. ¿Me lo puede repetir?",
    addressNeeded: "¿Cuál es la dirección de entrega, con el código postal?",
    noDelivery: "Lo siento, este restaurante no hace entregas a domicilio. ¿Le gustaría recogerlo?",
    outsideZone: (zip) => `Lo siento, no hacemos entregas al código postal ${spelled(zip)}. ¿Le gustaría recogerlo?`,
    belowMinimum: (min, subtotal) =>
      `Para entrega a domicilio el pedido mínimo es de ${es.money(min)} antes de impuestos; lleva ${es.money(subtotal)}. ¿Quiere agregar algo o prefiere recogerlo?`,
    placed(o) {
      // "a las 7:05 de la tarde" → "alrededor de las 7:05 de la tarde" ("al mediodía" → "alrededor del mediodía").
      const around = `alrededor ${es.atTime(o.readyAt).replace(/^al /, "del ").replace(/^a /, "de ")}`;
      const when =
        o.orderType === "delivery"
          ? `Debería llegar en unos ${o.waitMinutes} minutos, ${around}`
          : `Estará listo para recoger en unos ${o.waitMinutes} minutos, ${around}`;
      const points = o.pointsEarned > 0 ? ` Ganó ${o.pointsEarned} puntos de recompensa; su saldo es de ${o.pointsBalance}.` : "";
      return `¡Gracias, ${o.customerName}! Su número de pedido es el ${o.orderNumber}, ${es.money(o.totalCents)} con impuestos, y se paga ${o.orderType === "delivery" ? "al recibirlo" : "al recogerlo"}. ${when}.${points}`;
    },
  },
};
