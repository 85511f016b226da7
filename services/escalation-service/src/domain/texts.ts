import { speakablePhone, spokenTime } from "@orderline/catalog";
import type { EscalationReason, OrderSoFar } from "@orderline/contracts";
import { formatCents } from "@orderline/contracts";
import type { DateTime } from "luxon";

/** Languages the escalation texts exist in; a location's (or turn's) BCP-47 picks one ("es-US" → es). */
export type Lang = "en" | "es";

export function langOf(bcp47: string | undefined): Lang {
  return bcp47?.toLowerCase().startsWith("es") ? "es" : "en";
}


const REASON: Record<Lang, Record<EscalationReason, string>> = {
  en: {
    caller_request: "asked to speak with a person",
    complaint: "has a complaint",
    large_order: "is placing a large or catering order",
    unanswered_question: "has a question the assistant could not answer",
    payment_or_refund: "needs help with a payment or a refund",
    allergy_confirmation: "needs an allergy question confirmed",
    technical_failure: "could not finish because the ordering system had a problem",
    other: "asked for a staff member",
  },
  es: {
    caller_request: "pidió hablar con una persona",
    complaint: "tiene una queja",
    large_order: "quiere hacer un pedido grande o de catering",
    unanswered_question: "tiene una pregunta que el asistente no pudo responder",
    payment_or_refund: "necesita ayuda con un pago o un reembolso",
    allergy_confirmation: "necesita confirmar una pregunta sobre alergias",
    technical_failure: "no pudo terminar porque el sistema de pedidos tuvo un problema",
    other: "pidió hablar con el personal",
  },
};

/** "2 Large Pepperoni Pizza (extra cheese), 1 Garlic Knots; total $31.50" — or null for an empty order. */
export function orderLine(order: OrderSoFar | null): string | null {
  if (!order || order.lines.length === 0) return null;
  const items = order.lines
    .map((l) => {
      // "2 Large Pepperoni Pizza", but "2 Garlic Knots, 12 Piece" (two numbers in a row are hard to hear).
      const named = !l.size ? l.name : /^\d/.test(l.size) ? `${l.name}, ${l.size}` : `${l.size} ${l.name}`;
      return `${l.quantity} ${named}${l.modifiers.length ? ` (${l.modifiers.join(", ")})` : ""}`;
    })
    .join(", ");
  return `${items}; total ${formatCents(order.totalCents)}`;
}

export interface WhisperInput {
  lang: Lang;
  locationName: string;
  reason: EscalationReason;
  summary: string;
  order: OrderSoFar | null;
  callerPhone: string | null;
}

/** What the staff member hears before the caller is connected: why, what they said, the order so far. */
export function whisperText(w: WhisperInput): string {
  const order = orderLine(w.order);
  const phone = w.callerPhone ? speakablePhone(w.callerPhone) : null;
  if (w.lang === "es") {
    return [
      `Llamada transferida desde la línea de pedidos de ${w.locationName}. El cliente ${REASON.es[w.reason]}.`,
      w.summary,
      order ? `Pedido hasta ahora: ${order}.` : "Todavía no hay pedido.",
      phone ? `Número del cliente: ${phone}.` : "",
    ]
      .filter(Boolean)
      .join(" ");
  }
  return [
    `Transferred call from the ${w.locationName} ordering line. The caller ${REASON.en[w.reason]}.`,
    w.summary,
    order ? `Order so far: ${order}.` : "No order yet.",
    phone ? `Caller's number: ${phone}.` : "",
  ]
    .filter(Boolean)
    .join(" ");
}

/** What the caller hears before the dial (and before each further number). */
export function holdMessage(lang: Lang, reason: EscalationReason, attempt: number): string {
  if (lang === "es") {
    if (attempt > 0) return "Seguimos intentando comunicarle, por favor espere.";
    if (reason === "technical_failure") return "Lo sentimos, tenemos un problema técnico. Le comunico con un miembro del equipo, por favor espere.";
    return "Por favor espere mientras le comunico con un miembro del equipo.";
  }
  if (attempt > 0) return "Still trying to reach someone, please hold.";
  if (reason === "technical_failure") return "Sorry, we're having some technical trouble. Let me connect you to a team member, please hold.";
  return "Please hold while I connect you to a team member.";
}

/** "at 4 PM today" / "at 11 AM tomorrow" / "on Monday at 11 AM", in the location's zone. */
export function spokenWhen(at: DateTime, now: DateTime, lang: Lang): string {
  const local = at.setZone(now.zoneName ?? "utc");
  const time = lang === "es" ? local.setLocale("es").toFormat(local.minute === 0 ? "H 'h'" : "H:mm") : spokenTime(local);
  const days = Math.round(local.startOf("day").diff(now.startOf("day"), "days").days);
  if (lang === "es") {
    if (days === 0) return `hoy a las ${time}`;
    if (days === 1) return `mañana a las ${time}`;
    return `el ${local.setLocale("es").toFormat("cccc")} a las ${time}`;
  }
  if (days === 0) return `at ${time} today`;
  if (days === 1) return `at ${time} tomorrow`;
  return `on ${local.setLocale("en-US").toFormat("cccc")} at ${time}`;
}

export interface CallbackSpeechInput {
  lang: Lang;
  callerPhone: string | null;
  /** Someone is reachable now: the call comes within `withinMinutes`. */
  soon: boolean;
  withinMinutes: number;
  /** Else: when someone is reachable again (null: cannot say). */
  from: DateTime | null;
  localNow: DateTime;
}

/** What the caller is told when nobody can take the call: that they will be called, where and when. */
export function callbackSpeech(c: CallbackSpeechInput): string {
  const when = c.soon ? null : c.from ? spokenWhen(c.from, c.localNow, c.lang) : null;
  if (c.lang === "es") {
    if (!c.callerPhone) {
      return `Lo siento, nadie del restaurante puede atenderle ahora y no vemos su número. Por favor llame de nuevo${when ? ` ${when}` : " más tarde"}.`;
    }
    const phone = speakablePhone(c.callerPhone);
    if (c.soon) return `Lo siento, nadie del restaurante puede atenderle ahora. Les pedí que le devuelvan la llamada al ${phone} en los próximos ${c.withinMinutes} minutos.`;
    return `Lo siento, el personal no está disponible ahora. Les pedí que le devuelvan la llamada al ${phone}${when ? ` a partir de ${when}` : " lo antes posible"}.`;
  }
  if (!c.callerPhone) {
    return `I'm sorry, nobody from the restaurant can come to the phone right now, and I can't see the number you're calling from. Please call us again${when ? ` ${when}` : " later"}.`;
  }
  const phone = speakablePhone(c.callerPhone);
  if (c.soon) return `I'm sorry, nobody from the restaurant can come to the phone right now. I've asked them to call you back at ${phone} within the next ${c.withinMinutes} minutes.`;
  return `I'm sorry, our staff can't take calls right now. I've asked them to call you back at ${phone}${when ? ` starting ${when}` : " as soon as they can"}.`;
}

/** The no-op answer for a transfer asked after the call ended. */
export function callEndedSpeech(lang: Lang): string {
  return lang === "es" ? "Esta llamada ya terminó; no hay nada que transferir." : "This call has already ended, so there is nothing to transfer.";
}

/** The SMS staff get for a callback request (≤ 1,600 characters, Twilio's limit). */
export function callbackSms(s: { lang: Lang; locationName: string; callerPhone: string | null; reason: EscalationReason; summary: string; order: OrderSoFar | null; ref: string }): string {
  const order = orderLine(s.order);
  const body =
    s.lang === "es"
      ? `Devolver llamada (${s.locationName}): ${s.callerPhone ? speakablePhone(s.callerPhone) : "número oculto"}. El cliente ${REASON.es[s.reason]}. ${s.summary}${order ? ` Pedido: ${order}.` : ""} Ref ${s.ref}`
      : `Callback request (${s.locationName}): ${s.callerPhone ? speakablePhone(s.callerPhone) : "caller ID withheld"}. The caller ${REASON.en[s.reason]}. ${s.summary}${order ? ` Order so far: ${order}.` : ""} Ref ${s.ref}`;
  return body.length <= 1600 ? body : `${body.slice(0, 1590)}… Ref ${s.ref.slice(0, 8)}`;
}

/** The optional SMS with the transfer's summary, sent to the staff line as the call is dialled. */
export function transferSms(lang: Lang, whisper: string): string {
  const body = lang === "es" ? `Llamada entrante: ${whisper}` : `Incoming transfer: ${whisper}`;
  return body.length <= 1600 ? body : `${body.slice(0, 1599)}…`;
}
