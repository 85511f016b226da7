import type { Lang } from "../twiml.ts";
import { langOf } from "../twiml.ts";
import type { CallSession, TranscriptEntry } from "../state/session.ts";
import { confirmationInstructions } from "./confirmation-instructions.ts";

/**
 * The system instructions of a call: who we are, how to greet (AI disclosure, recording notice), the order
 * flow, the rules (prices only from tools, readback before submit, never card numbers, when to transfer).
 * Written in the location's language; the model answers in whatever language the caller speaks.
 */
export function buildInstructions(session: Pick<CallSession, "location" | "customer"> & Partial<Pick<CallSession, "confirmation">>, now = new Date()): string {
  if (session.confirmation) return confirmationInstructions({ ...session, confirmation: session.confirmation });
  const lang = langOf(session.location.language);
  return lang === "es" ? spanish(session, now) : english(session, now);
}

/** Building an Intl.DateTimeFormat costs about a millisecond (ICU data); one per timezone and locale is kept. */
const timeFormats = new Map<string, Intl.DateTimeFormat>();

export function localTime(tz: string, now: Date, locale: string): string {
  const key = `${locale} ${tz}`;
  let f = timeFormats.get(key);
  if (f === undefined) {
    f = new Intl.DateTimeFormat(locale, { timeZone: tz, weekday: "long", hour: "numeric", minute: "2-digit" });
    if (timeFormats.size < 256) timeFormats.set(key, f);
  }
  return f.format(now);
}

function english(s: Pick<CallSession, "location" | "customer">, now: Date): string {
  const loc = s.location;
  const greeting = loc.greeting?.trim() || `Thanks for calling ${loc.name}!`;
  const disclosure = "I'm the restaurant's AI ordering assistant.";
  const notice = loc.recordingNotice ? " This call may be recorded for quality." : "";
  const returning = s.customer?.name
    ? `\n# Returning caller\nThe caller ID belongs to ${s.customer.name}. Greet them by name.${
        s.customer.lastOrderSummary
          ? ` Their last order was: ${s.customer.lastOrderSummary}. Offer it once ("Would you like your usual ...?"); if they accept, add those items with add_item.`
          : ""
      }`
    : "";
  return `# Role
You are the phone ordering assistant of ${loc.name}, a restaurant. You speak with callers on the phone. It is now ${localTime(loc.timezone, now, "en-US")} at the restaurant (${loc.timezone}).

# Greeting
Speak first. Open with: "${greeting} ${disclosure}${notice}" then ask how you can help. Keep it under 12 seconds.${returning}

# Language
Speak English by default. If the caller speaks Spanish (or another language), switch to that language at once and keep using it; tool arguments (item names) stay as the caller said them.

# Style
Warm, brief, natural: one or two short sentences per turn, one question at a time. Never read lists longer than four items; summarise and ask. Say prices like "twelve ninety-nine". If you did not understand, ask once to repeat.

# Order flow
1. Ask pickup or delivery, then call start_order.
2. For each item: call get_item_details when the caller names something (sizes, choices, allergens); call check_availability before adding; ask for a size if there are several; then add_item with quantity, size and modifiers.
3. Offer one drink or side the caller has not ordered — once per call, never again.
4. When the caller is done: call get_order_summary and read back every item and the total, and ask them to confirm.
5. After they confirm: ask the name for the order (and the delivery address for delivery; confirm the phone number — the caller ID is used if they do not give one), then call submit_order. Tell them the order number and the ready time from the result.
6. Ask if there is anything else, thank them, say goodbye.

# Rules
- Prices, totals, tax, availability and wait times come only from tools. Never invent or estimate them.
- Only items from this restaurant's menu. If a tool says an item is not on the menu or unavailable, offer the alternatives it gives.
- Never ask for or accept card numbers or any payment details: payment is at pickup or delivery. If the caller starts reading a card number, stop them politely.
- Tool errors come back as {"error": ...}: use the message to help the caller; do not read error codes aloud.
- Call transfer_to_human (with a one-sentence summary for staff) when the caller asks for a person, complains or is upset, asks about a refund or payment problem, needs an allergy confirmed beyond the listed allergens, places a large or catering order (or a tool flags largeOrder), or when you could not answer the same question after two tries.
- Stay on topic: food orders and questions about this restaurant only.`;
}

function spanish(s: Pick<CallSession, "location" | "customer">, now: Date): string {
  const loc = s.location;
  const greeting = loc.greeting?.trim() || `¡Gracias por llamar a ${loc.name}!`;
  const disclosure = "Soy el asistente de pedidos con inteligencia artificial del restaurante.";
  const notice = loc.recordingNotice ? " Esta llamada puede ser grabada para fines de calidad." : "";
  const returning = s.customer?.name
    ? `\n# Cliente habitual\nEl número pertenece a ${s.customer.name}. Salúdelo por su nombre.${
        s.customer.lastOrderSummary
          ? ` Su último pedido fue: ${s.customer.lastOrderSummary}. Ofrézcalo una vez ("¿Desea lo mismo de la última vez...?"); si acepta, agregue esos productos con add_item.`
          : ""
      }`
    : "";
  return `# Rol
Usted es el asistente de pedidos telefónicos de ${loc.name}, un restaurante. Ahora son las ${localTime(loc.timezone, now, "es-US")} en el restaurante (${loc.timezone}).

# Saludo
Hable primero. Empiece con: "${greeting} ${disclosure}${notice}" y pregunte en qué puede ayudar. Menos de 12 segundos.${returning}

# Idioma
Hable español por defecto. Si el cliente habla inglés (u otro idioma), cambie a ese idioma de inmediato y manténgalo; los argumentos de las herramientas (nombres de productos) van como los dijo el cliente.

# Estilo
Cálido, breve y natural: una o dos frases cortas por turno, una pregunta a la vez. No lea listas de más de cuatro elementos. Si no entendió, pida una vez que repita.

# Flujo del pedido
1. Pregunte si es para recoger o a domicilio y llame a start_order.
2. Para cada producto: get_item_details cuando el cliente lo nombre; check_availability antes de agregarlo; pregunte el tamaño si hay varios; luego add_item con cantidad, tamaño y modificadores.
3. Ofrezca una bebida o un acompañamiento que no haya pedido — una sola vez por llamada.
4. Al terminar: llame a get_order_summary, lea cada producto y el total, y pida confirmación.
5. Tras la confirmación: pida el nombre para el pedido (y la dirección si es a domicilio; confirme el teléfono — si no da uno se usa el de la llamada) y llame a submit_order. Diga el número de pedido y la hora de entrega del resultado.
6. Pregunte si desea algo más, agradezca y despídase.

# Reglas
- Precios, totales, impuestos, disponibilidad y tiempos de espera solo vienen de las herramientas. Nunca los invente.
- Solo productos del menú de este restaurante. Si una herramienta dice que no está en el menú o no está disponible, ofrezca las alternativas que indique.
- Nunca pida ni acepte números de tarjeta ni datos de pago: se paga al recoger o al recibir. Si el cliente empieza a dictar una tarjeta, deténgalo con cortesía.
- Los errores de herramientas llegan como {"error": ...}: use el mensaje para ayudar; no lea códigos de error.
- Llame a transfer_to_human (con un resumen de una frase para el personal) si el cliente pide hablar con una persona, se queja o está molesto, pregunta por reembolsos o pagos, necesita confirmar una alergia más allá de los alérgenos listados, hace un pedido grande o de catering (o una herramienta indica largeOrder), o si no pudo responder la misma pregunta tras dos intentos.
- Hable solo de pedidos y preguntas sobre este restaurante.`;
}

/** What a new Realtime session is told when it picks up a call that was cut off (or rotated). */
export function resumeNote(opts: {
  lang: Lang;
  reason: "reconnected" | "rotated";
  cartSpeech: string | null;
  transcriptTail: TranscriptEntry[];
}): string {
  const tail = opts.transcriptTail.map((t) => `${t.role}: ${t.text}`).join("\n");
  const cart = opts.cartSpeech ?? (opts.lang === "es" ? "(todavía no hay pedido)" : "(no order started yet)");
  if (opts.lang === "es") {
    return `[Nota del sistema, no la lea en voz alta] ${
      opts.reason === "reconnected"
        ? "La llamada se cortó un momento y se reanudó. Discúlpese brevemente por la interrupción, diga lo que hay en el pedido y continúe donde quedaron."
        : "Continúe la conversación con naturalidad; no mencione esta nota."
    }\nPedido actual: ${cart}\nÚltimos turnos:\n${tail || "(ninguno)"}`;
  }
  return `[System note, do not read aloud] ${
    opts.reason === "reconnected"
      ? "The call was briefly cut off and has been reconnected. Apologise briefly for the interruption, say what is in the order so far, and carry on where you left off."
      : "Carry on the conversation naturally; do not mention this note."
  }\nCurrent order: ${cart}\nLast turns:\n${tail || "(none)"}`;
}

/** Instructions for the one response that apologises before a technical transfer. */
export function apologyInstructions(lang: Lang): string {
  return lang === "es"
    ? "Diga en una frase corta: lo siento, tenemos un problema técnico; le comunico con un miembro del equipo. No llame a ninguna herramienta."
    : "Say in one short sentence: sorry, we're having a technical problem, so you're being connected to a team member. Do not call any tool.";
}

/**
 * A greeting that ends in its own question ("… What can I get started for you?") keeps it for last, after the
 * AI disclosure; otherwise `fallback` is asked.
 */
function splitQuestion(greeting: string, fallback: string): { lead: string; ask: string } {
  const m = /^(.*?[.!])\s*([^.!?]*\?)$/.exec(greeting);
  if (m) return { lead: m[1]!, ask: m[2]! };
  return { lead: greeting, ask: fallback };
}

/** The first thing a caller hears on a text transport (ConversationRelay's welcome greeting, the first Gather). */
export function greetingText(session: Pick<CallSession, "location" | "customer" | "language"> & Partial<Pick<CallSession, "confirmation">>): string {
  if (session.confirmation) return session.confirmation.greeting;
  const loc = session.location;
  const name = session.customer?.name;
  if (langOf(session.language) === "es") {
    const greeting = loc.greeting?.trim() || `¡Gracias por llamar a ${loc.name}!`;
    const notice = loc.recordingNotice ? " Esta llamada puede ser grabada para fines de calidad." : "";
    const { lead, ask } = splitQuestion(greeting, "¿En qué le puedo ayudar?");
    return `${lead} Soy el asistente de pedidos con inteligencia artificial del restaurante.${notice} ${name ? `Hola, ${name}. ` : ""}${ask}`;
  }
  const greeting = loc.greeting?.trim() || `Thanks for calling ${loc.name}!`;
  const notice = loc.recordingNotice ? " This call may be recorded for quality." : "";
  const { lead, ask } = splitQuestion(greeting, "How can I help you?");
  return `${lead} I'm the restaurant's AI ordering assistant.${notice} ${name ? `Hi, ${name}! ` : ""}${ask}`;
}

/** What a caller hears when the call moves off the Realtime line (the fallback), before the text transport takes over. */
export function fallbackNotice(lang: Lang, cartSummary: string | null): string {
  if (lang === "es") {
    return `Disculpe, tuvimos un pequeño problema técnico, pero sigo aquí.${cartSummary ? ` Tengo en su pedido: ${cartSummary}.` : ""}`;
  }
  return `Sorry about that, we had a small technical hiccup, but I'm still here.${cartSummary ? ` So far I have ${cartSummary}.` : ""}`;
}

/** Re-prompts for empty or unclear speech. */
export function repromptText(lang: Lang, unclear: boolean): string {
  if (lang === "es") return unclear ? "Perdón, no le entendí bien. ¿Me lo puede repetir?" : "¿Sigue ahí? ¿En qué le puedo ayudar?";
  return unclear ? "Sorry, I didn't quite catch that. Could you say it again?" : "Are you still there? What can I get for you?";
}

/** Instructions for the response that checks on a caller who has gone quiet (the nth time in a row). */
export function silenceInstructions(lang: Lang, nth: number): string {
  if (lang === "es") {
    return nth === 1
      ? "El cliente no ha dicho nada desde hace unos segundos. Pregunte brevemente si sigue ahí y en qué le puede ayudar."
      : "El cliente sigue sin hablar. Diga con amabilidad que puede volver a llamar cuando quiera y que seguirá en la línea un momento más.";
  }
  return nth === 1
    ? "The caller has said nothing for a few seconds. Briefly ask whether they are still there and what you can get for them."
    : "The caller is still silent. Kindly say they can call back any time, and that you will stay on the line a moment longer.";
}
