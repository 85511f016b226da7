import { formatCents } from "@orderline/contracts";
import { DateTime } from "luxon";

/** What the customer hears or reads, in the location's language (es-* Spanish, anything else English). */
type Lang = "en" | "es";
export const langOf = (bcp47: string): Lang => (bcp47.toLowerCase().startsWith("es") ? "es" : "en");

export interface ReadyCallFacts {
  customerName: string | null;
  orderNumber: number | null;
  locationName: string;
  orderType: "pickup" | "delivery";
  language: string;
}

const firstName = (name: string | null) => name?.trim().split(/\s+/)[0] ?? null;

/** The live greeting for a person who picked up. */
export function readyCallSpeech(f: ReadyCallFacts): string {
  const name = firstName(f.customerName);
  const number = f.orderNumber === null ? "" : ` ${f.orderNumber}`;
  if (langOf(f.language) === "es") {
    const hi = name ? `Hola ${name}` : "Hola";
    return f.orderType === "delivery"
      ? `${hi}, su pedido número${number} de ${f.locationName} está listo y saldrá pronto para su entrega.`
      : `${hi}, su pedido número${number} de ${f.locationName} está listo para recoger.`;
  }
  const hi = name ? `Hi ${name}` : "Hi there";
  return f.orderType === "delivery"
    ? `${hi}, your order number${number} from ${f.locationName} is ready and will be on its way shortly.`
    : `${hi}, your order number${number} from ${f.locationName} is ready for pickup.`;
}

/** The message left after the beep. */
export function readyVoicemail(f: ReadyCallFacts): string {
  const name = firstName(f.customerName);
  const number = f.orderNumber === null ? "" : ` ${f.orderNumber}`;
  if (langOf(f.language) === "es") {
    return `Hola${name ? ` ${name}` : ""}, le llamamos de ${f.locationName}. Su pedido número${number} está listo${f.orderType === "pickup" ? " para recoger" : ""}. ¡Gracias!`;
  }
  return `Hi${name ? ` ${name}` : ""}, this is ${f.locationName}. Your order number${number} is ready${f.orderType === "pickup" ? " for pickup" : ""}. Thank you!`;
}

export interface ReceiptFacts {
  locationName: string;
  language: string;
  timezone: string;
  orderNumber: number | null;
  orderType: "pickup" | "delivery";
  items: { quantity: number; name: string; lineTotalCents: number }[];
  totalCents: number;
  promisedAt: Date | null;
  /** Minutes of the delivery window after the promised time. */
  deliveryWindowMinutes: number;
  payOnlineUrl: string | null;
}

/** The receipt SMS (plain text, well under Twilio's 1 600 characters: long item lists are cut). */
export function receiptSms(f: ReceiptFacts): string {
  const es = langOf(f.language) === "es";
  const time = (d: Date) => DateTime.fromJSDate(d, { zone: f.timezone }).setLocale(es ? "es-US" : "en-US").toLocaleString(DateTime.TIME_SIMPLE);
  const lines = [es ? `${f.locationName}: pedido #${f.orderNumber ?? "?"} recibido.` : `${f.locationName}: order #${f.orderNumber ?? "?"} received.`];
  const shown = f.items.slice(0, 15);
  for (const i of shown) lines.push(`${i.quantity} x ${i.name} ${formatCents(i.lineTotalCents)}`);
  if (f.items.length > shown.length) lines.push(es ? `y ${f.items.length - shown.length} más` : `and ${f.items.length - shown.length} more`);
  lines.push(es ? `Total ${formatCents(f.totalCents)} (impuestos incluidos)` : `Total ${formatCents(f.totalCents)} incl. tax`);
  if (f.promisedAt) {
    if (f.orderType === "pickup") lines.push(es ? `Listo para recoger a las ${time(f.promisedAt)}` : `Pickup at ${time(f.promisedAt)}`);
    else {
      const until = new Date(f.promisedAt.getTime() + f.deliveryWindowMinutes * 60_000);
      lines.push(es ? `Entrega entre ${time(f.promisedAt)} y ${time(until)}` : `Delivery between ${time(f.promisedAt)} and ${time(until)}`);
    }
  }
  if (f.payOnlineUrl) lines.push(es ? `Pague en línea: ${f.payOnlineUrl}` : `Pay online: ${f.payOnlineUrl}`);
  lines.push(es ? "Responda STOP para no recibir más mensajes." : "Reply STOP to opt out.");
  return lines.join("\n");
}

/** The one-question survey after a call. */
export function surveySms(f: { locationName: string; language: string }): string {
  return langOf(f.language) === "es"
    ? `¿Qué tal fue su llamada a ${f.locationName}? Responda del 1 (mal) al 5 (excelente). Responda STOP para no recibir más mensajes.`
    : `How did we do on your call to ${f.locationName}? Reply 1 (poor) to 5 (great). Reply STOP to opt out.`;
}

/** A survey reply: "4", "4/5", "5 stars", "3." → the score; anything else null. */
export function surveyScore(body: string): number | null {
  const m = /^\s*([1-5])\s*(?:\/\s*5|stars?|estrellas?)?\s*[.!]?\s*$/i.exec(body);
  return m ? Number(m[1]) : null;
}
