import twilio from "twilio";

type VoiceResponse = InstanceType<typeof twilio.twiml.VoiceResponse>;
type SayLanguage = NonNullable<Parameters<VoiceResponse["say"]>[0] extends infer A ? (A extends { language?: infer L } ? L : never) : never>;

/** Languages we have spoken texts for; a location's language picks one ("es-US" → es). */
export type Lang = "en" | "es";

export function langOf(bcp47: string): Lang {
  return bcp47.toLowerCase().startsWith("es") ? "es" : "en";
}

const TEXT = {
  en: {
    unknownNumber: "Sorry, this number is not set up to take orders. Please check the number and try again. Goodbye.",
    locationBusy: (name: string, phone: string) =>
      `Thanks for calling ${name}. All of our lines are busy right now. Please try again in a few minutes, or call the store directly at ${phone}. Goodbye.`,
    callerLimited: (name: string, phone: string) =>
      `Thanks for calling ${name}. We can't take another call from this number right now. Please try again later, or call the store directly at ${phone}. Goodbye.`,
    fallback: "We're sorry, our ordering line is having trouble right now. Let me connect you to the restaurant.",
    fallbackNoNumber: "We're sorry, our ordering line is having trouble right now. Please call again in a few minutes. Goodbye.",
    transfer: "Please hold while I connect you to a team member.",
    stillTrying: "Still trying to reach someone, please hold.",
    technicalTransfer: "Sorry, we're having some technical trouble. Let me connect you to a team member.",
    shutdownTransfer: "Sorry about the wait. Let me connect you to a team member who can help.",
    noStaff: "Sorry, nobody can take your call right now. Press 1, or say yes, if you would like the restaurant to call you back.",
    callbackYes: "Thank you. The restaurant will call you back shortly. Goodbye.",
    callbackNo: "No problem. Thanks for calling, goodbye.",
    whisper: (summary: string) => `Transferred call from the ordering line. ${summary}`,
    goodbye: "Thanks for calling. Goodbye.",
  },
  es: {
    unknownNumber: "Lo sentimos, este número no está configurado para tomar pedidos. Verifique el número e intente de nuevo. Adiós.",
    locationBusy: (name: string, phone: string) =>
      `Gracias por llamar a ${name}. Todas nuestras líneas están ocupadas. Intente de nuevo en unos minutos o llame directamente a la tienda al ${phone}. Adiós.`,
    callerLimited: (name: string, phone: string) =>
      `Gracias por llamar a ${name}. No podemos atender otra llamada de este número en este momento. Intente más tarde o llame directamente a la tienda al ${phone}. Adiós.`,
    fallback: "Lo sentimos, nuestra línea de pedidos tiene problemas en este momento. Le comunico con el restaurante.",
    fallbackNoNumber: "Lo sentimos, nuestra línea de pedidos tiene problemas en este momento. Llame de nuevo en unos minutos. Adiós.",
    transfer: "Por favor espere mientras le comunico con un miembro del equipo.",
    stillTrying: "Seguimos intentando comunicarle, por favor espere.",
    technicalTransfer: "Lo sentimos, tenemos un problema técnico. Le comunico con un miembro del equipo.",
    shutdownTransfer: "Disculpe la espera. Le comunico con un miembro del equipo.",
    noStaff: "Lo sentimos, nadie puede atender su llamada ahora. Marque 1 o diga sí si desea que el restaurante le devuelva la llamada.",
    callbackYes: "Gracias. El restaurante le devolverá la llamada pronto. Adiós.",
    callbackNo: "Está bien. Gracias por llamar, adiós.",
    whisper: (summary: string) => `Llamada transferida desde la línea de pedidos. ${summary}`,
    goodbye: "Gracias por llamar. Adiós.",
  },
} as const;

export function texts(lang: Lang) {
  return TEXT[lang];
}

function sayLang(lang: Lang): SayLanguage {
  return (lang === "es" ? "es-US" : "en-US") as SayLanguage;
}

function say(r: VoiceResponse, lang: Lang, text: string): void {
  r.say({ language: sayLang(lang) }, text);
}

export function sayAndHangup(lang: Lang, text: string): string {
  const r = new twilio.twiml.VoiceResponse();
  say(r, lang, text);
  r.hangup();
  return r.toString();
}

/** `<Connect action><Stream url><Parameter name="callToken"/></Stream></Connect>`. */
export function connectStream(opts: { publicBaseUrl: string; token: string }): string {
  const r = new twilio.twiml.VoiceResponse();
  const connect = r.connect({ action: `${opts.publicBaseUrl}/voice/after-stream` });
  const stream = connect.stream({ url: streamUrl(opts.publicBaseUrl), statusCallback: `${opts.publicBaseUrl}/voice/stream-status` });
  stream.parameter({ name: "callToken", value: opts.token });
  return r.toString();
}

/** The wss:// URL of the media stream endpoint derived from the public base URL. */
export function streamUrl(publicBaseUrl: string): string {
  return `${publicBaseUrl.replace(/^http/, "ws")}/voice/stream`;
}

/** The wss:// URL of the ConversationRelay endpoint. */
export function relayUrl(publicBaseUrl: string): string {
  return `${publicBaseUrl.replace(/^http/, "ws")}/voice/relay`;
}

/** BCP-47 tag Twilio's speech and TTS take for a call language. */
export function speechLanguage(bcp47: string): string {
  return langOf(bcp47) === "es" ? "es-US" : "en-US";
}

/** Comma-separated speech hints (item names), bounded. */
function hintList(hints: readonly string[]): string {
  let out = "";
  for (const h of hints) {
    const clean = h.replace(/[,\n]/g, " ").trim();
    if (!clean) continue;
    if (out.length + clean.length + 1 > 1000) break;
    out = out ? `${out},${clean}` : clean;
  }
  return out;
}

/**
 * `<Connect action><ConversationRelay url welcomeGreeting language hints interruptible dtmfDetection><Parameter
 * name="callToken"/></ConversationRelay></Connect>` (docs/PROTOCOLS.md §9). `before` is spoken first (an apology
 * when a Media Stream call falls back).
 */
export function connectRelay(opts: {
  publicBaseUrl: string;
  token: string;
  language: string;
  welcomeGreeting: string;
  hints: readonly string[];
  before?: string;
}): string {
  const r = new twilio.twiml.VoiceResponse();
  const lang = speechLanguage(opts.language);
  if (opts.before) say(r, langOf(lang), opts.before);
  const connect = r.connect({ action: `${opts.publicBaseUrl}/voice/relay-action` });
  const relay = connect.conversationRelay({
    url: relayUrl(opts.publicBaseUrl),
    welcomeGreeting: opts.welcomeGreeting,
    welcomeGreetingInterruptible: "any",
    language: lang,
    interruptible: "any",
    dtmfDetection: true,
    ...(opts.hints.length > 0 ? { hints: hintList(opts.hints) } : {}),
  });
  relay.parameter({ name: "callToken", value: opts.token });
  return r.toString();
}

/**
 * One `<Gather input="speech">` turn with the reply inside it, so the caller can talk over it
 * (docs/PROTOCOLS.md §10). `actionOnEmptyResult` makes silence post too: we re-prompt, then transfer.
 */
export function gatherTurn(opts: { publicBaseUrl: string; language: string; say: string; hints: readonly string[] }): string {
  const r = new twilio.twiml.VoiceResponse();
  const lang = speechLanguage(opts.language);
  const gather = r.gather({
    input: ["speech"],
    action: `${opts.publicBaseUrl}/voice/gather`,
    method: "POST",
    speechTimeout: "auto",
    speechModel: "phone_call",
    enhanced: true,
    actionOnEmptyResult: true,
    language: lang as never,
    ...(opts.hints.length > 0 ? { hints: hintList(opts.hints) } : {}),
  });
  if (opts.say) gather.say({ language: lang as SayLanguage }, opts.say);
  return r.toString();
}

/** The reply, then hang up (the caller said goodbye). */
export function sayThenHangup(language: string, text: string): string {
  return sayAndHangup(langOf(language), text);
}

/** Apology + `<Dial>` the store (static fallback when our own state is unreachable). */
export function fallbackDial(lang: Lang, number: string | null, callerId: string | null): string {
  const r = new twilio.twiml.VoiceResponse();
  if (!number) {
    say(r, lang, TEXT[lang].fallbackNoNumber);
    r.hangup();
    return r.toString();
  }
  say(r, lang, TEXT[lang].fallback);
  r.dial(callerId ? { callerId, timeout: 30 } : { timeout: 30 }, number);
  return r.toString();
}

/** Transfer TwiML: `<Say>` + `<Dial callerId action><Number url=whisper>staff</Number></Dial>`. */
export function transferDial(opts: {
  lang: Lang;
  text: string;
  staffNumber: string;
  callerId: string;
  publicBaseUrl: string;
  callSid: string;
  timeoutSeconds: number;
  /** Position of `staffNumber` in the location's list: dial-result tries the next one on no answer. */
  attempt?: number;
}): string {
  const r = new twilio.twiml.VoiceResponse();
  say(r, opts.lang, opts.text);
  const q = `callSid=${encodeURIComponent(opts.callSid)}`;
  const dial = r.dial({
    callerId: opts.callerId,
    timeout: opts.timeoutSeconds,
    answerOnBridge: true,
    action: `${opts.publicBaseUrl}/voice/dial-result?${q}&attempt=${opts.attempt ?? 0}`,
  });
  dial.number({ url: `${opts.publicBaseUrl}/voice/whisper?${q}` }, opts.staffNumber);
  return r.toString();
}

export function whisper(lang: Lang, summary: string): string {
  const r = new twilio.twiml.VoiceResponse();
  say(r, lang, TEXT[lang].whisper(summary));
  return r.toString();
}

/** Nobody answered the transfer: offer a callback. */
export function offerCallback(lang: Lang, publicBaseUrl: string, callSid: string): string {
  const r = new twilio.twiml.VoiceResponse();
  const gather = r.gather({
    input: ["dtmf", "speech"],
    numDigits: 1,
    timeout: 6,
    speechTimeout: "auto",
    language: (lang === "es" ? "es-US" : "en-US") as never,
    action: `${publicBaseUrl}/voice/callback?callSid=${encodeURIComponent(callSid)}`,
  });
  gather.say({ language: sayLang(lang) }, TEXT[lang].noStaff);
  say(r, lang, TEXT[lang].callbackNo);
  r.hangup();
  return r.toString();
}

export function hangup(): string {
  const r = new twilio.twiml.VoiceResponse();
  r.hangup();
  return r.toString();
}
