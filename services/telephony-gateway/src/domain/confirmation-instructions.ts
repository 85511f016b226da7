import { formatCents } from "@orderline/contracts";
import type { CallSession } from "../state/session.ts";
import { type Lang, langOf } from "../twiml.ts";

/** What the customer hears first on a confirmation call, from the order as the order service reads it back. */
export function confirmationGreeting(
  lang: Lang,
  f: { customerName: string | null; locationName: string; items: string; totalCents: number; unmatched: readonly string[] },
): string {
  const first = f.customerName?.trim().split(/\s+/)[0] ?? null;
  if (lang === "es") {
    const extra = f.unmatched.length > 0 ? ` También anotó algo que no encontré en el menú: ${f.unmatched.join("; ")}.` : "";
    return `Hola${first ? ` ${first}` : ""}, le llamo de ${f.locationName} para confirmar su pedido de ${f.items}, ${formatCents(f.totalCents, "USD", "es-US")} con impuestos.${extra} ¿Desea confirmarlo o hacer cambios?`;
  }
  const extra = f.unmatched.length > 0 ? ` You also wrote something I couldn't find on our menu: ${f.unmatched.join("; ")}.` : "";
  return `Hi${first ? ` ${first}` : ""}, I'm calling from ${f.locationName} to confirm your order of ${f.items}, ${formatCents(f.totalCents)} with tax.${extra} Would you like to confirm or make changes?`;
}

/** When the order cannot be read: the call ends politely (the order goes FAILED and can be retried). */
export function confirmationTrouble(lang: Lang): string {
  return lang === "es"
    ? "Lo sentimos, tenemos un problema técnico. Le volveremos a llamar. Adiós."
    : "Sorry, we're having some technical trouble. We'll call you back. Goodbye.";
}

/** The instructions of a confirmation call's model (Realtime or text): confirm, change or cancel one order. */
export function confirmationInstructions(session: Pick<CallSession, "location" | "customer" | "confirmation">): string {
  const loc = session.location;
  const greeting = session.confirmation?.greeting ?? "";
  const who = session.customer?.name ?? "the customer";
  if (langOf(loc.language) === "es") {
    return `# Rol
Usted es el asistente con inteligencia artificial de ${loc.name}, un restaurante. Está llamando a ${who} para confirmar un pedido que hizo.

# Saludo
Hable primero. Diga exactamente: "${greeting}"

# Qué hacer
- Si confirma: llame a confirm_order (con las notas que pida). Agradezca y despídase.
- Cambios: add_item, update_item o remove_item (productos como los dice el cliente; tamaños, cantidades, opciones, notas). Después de cada cambio diga los productos y el total que devuelve la herramienta y pregunte si lo confirma.
- Productos que no se encontraron en el menú: pregunte qué quiso decir y agréguelo, o déjelo fuera.
- Cancelar: pregunte una vez para estar seguro y llame a cancel_order.
- Si pide hablar con una persona: transfer_to_human.
- review_order vuelve a leer el pedido.

# Reglas
- Precios y totales solo de las herramientas. Nunca pida datos de pago. Hable solo de este pedido.`;
  }
  return `# Role
You are the AI assistant of ${loc.name}, a restaurant, on an outbound call to ${who} to confirm an order they placed.

# Greeting
Speak first. Say exactly: "${greeting}"

# What to do
- The customer confirms: call confirm_order (with any notes they ask for), then thank them and say goodbye.
- Changes: add_item, update_item or remove_item (items as the customer says them; sizes, quantities, choices, notes). After each change say the items and the new total from the tool's result, then ask whether to confirm.
- Items the order could not match to the menu (review_order's unmatched): ask what they meant and add it, or leave it out.
- Cancel: ask once to be sure, then call cancel_order.
- They want a person: transfer_to_human.
- review_order reads the order again.

# Rules
- Prices and totals come only from tools. Never ask for payment details. Talk only about this order.`;
}
