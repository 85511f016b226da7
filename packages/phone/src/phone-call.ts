import { randomBytes } from "node:crypto";
import { encodeForm, type FormParams, parseTwiml, type TwimlNode, twilioSignature } from "@orderline/testing";

/** Where the gateway is and how Twilio would reach it (docs/PROTOCOLS.md §3: signed with the public URL). */
export interface PhoneOptions {
  /** The gateway as this machine reaches it, e.g. http://127.0.0.1:8080. */
  gatewayUrl: string;
  /** The gateway's PUBLIC_BASE_URL: webhooks are signed with it and TwiML URLs start with it. */
  publicBaseUrl: string;
  accountSid: string;
  authToken: string;
  /** The caller's number (E.164), or "anonymous" for a withheld caller ID. */
  from: string;
  /** The dialled number: picks the location. */
  to: string;
  callSid?: string;
}

/** What happened on the line since the last thing the caller did. */
export type LineEvent =
  | { kind: "say"; text: string }
  | { kind: "transfer"; number: string; whisper: string[] }
  | { kind: "unsupported"; verb: string }
  | { kind: "hangup" };

interface Listening {
  action: string;
  method: string;
  dtmf: boolean;
}

/** Follow-ups of one TwiML document, at most this many in a row (a <Redirect> loop must not spin forever). */
const MAX_DOCUMENTS_PER_TURN = 20;

/**
 * One inbound call as Twilio plays it: the incoming webhook, then the TwiML followed verb by verb — `<Say>`
 * heard, `<Gather input="speech">` waits for the caller (its action gets `SpeechResult` + `Confidence`),
 * `<Redirect>` fetched, `<Dial>` bridged (the `<Number url>` whisper fetched, the action told the bridge
 * completed), `<Hangup>` or the end of a document ends the call. Every request is signed as Twilio signs it.
 */
export class PhoneCall {
  readonly callSid: string;
  /** Every event of the call, in order. */
  readonly log: LineEvent[] = [];
  private listening: Listening | null = null;
  private ended = false;
  private readonly opts: PhoneOptions;

  constructor(opts: PhoneOptions) {
    this.opts = opts;
    this.callSid = opts.callSid ?? `CA${randomBytes(16).toString("hex")}`;
  }

  /** True once the restaurant hung up, transferred the call, or the caller hung up. */
  get isOver(): boolean {
    return this.ended;
  }

  /** Rings the gateway and returns what the caller hears until it waits for them. */
  async dial(): Promise<LineEvent[]> {
    return this.follow(`${this.opts.publicBaseUrl}/voice/incoming`, "POST", { CallStatus: "ringing" });
  }

  /** The caller says `text` (recognised with `confidence`); returns what they hear next. */
  async speak(text: string, confidence = 0.95): Promise<LineEvent[]> {
    const at = this.listening;
    if (this.ended || !at) throw new Error("the call is not waiting for the caller (it has ended or was never dialled)");
    this.listening = null;
    const digits = at.dtmf && /^[0-9*#]{1,3}$/.test(text.trim());
    const params: FormParams = digits ? { Digits: text.trim() } : text.trim() === "" ? {} : { SpeechResult: text, Confidence: confidence.toFixed(2) };
    return this.follow(at.action, at.method, params);
  }

  /** The caller hangs up (or the call is over): Twilio's final status callback, `completed`. */
  async hangUp(): Promise<void> {
    this.ended = true;
    this.listening = null;
    await this.post(`${this.opts.publicBaseUrl}/voice/status`, { CallStatus: "completed", CallDuration: "60" });
  }

  /** Fetches TwiML and plays it; `<Redirect>` and `<Dial action>` fetch the next document. */
  private async follow(url: string, method: string, extra: FormParams): Promise<LineEvent[]> {
    const events: LineEvent[] = [];
    let next: { url: string; method: string; extra: FormParams } | null = { url, method, extra };
    for (let n = 0; next && n < MAX_DOCUMENTS_PER_TURN; n++) {
      const documentUrl: string = next.url;
      const doc = parseTwiml(await this.request(next.url, next.method, next.extra));
      next = null;
      for (const verb of doc.children) {
        const step = await this.play(verb, events, documentUrl);
        if (step === "stop") break;
        if (step && typeof step === "object") {
          next = step;
          break;
        }
      }
      if (!next && !this.listening && !this.ended) {
        // The document ran out: Twilio ends the call.
        this.ended = true;
        events.push({ kind: "hangup" });
      }
    }
    if (next) throw new Error(`more than ${MAX_DOCUMENTS_PER_TURN} TwiML documents in one turn (a <Redirect> loop?)`);
    this.log.push(...events);
    return events;
  }

  /** Plays one verb: "stop" when the call waits or ended, a request to make next, or nothing to go on. */
  private async play(verb: TwimlNode, events: LineEvent[], documentUrl: string): Promise<"stop" | { url: string; method: string; extra: FormParams } | undefined> {
    switch (verb.name) {
      case "Say":
        if (verb.text) events.push({ kind: "say", text: verb.text });
        return undefined;
      case "Pause":
      case "Play":
        return undefined;
      case "Gather": {
        for (const kid of verb.children) if (kid.name === "Say" && kid.text) events.push({ kind: "say", text: kid.text });
        this.listening = { action: verb.attrs.action ?? documentUrl, method: verb.attrs.method ?? "POST", dtmf: (verb.attrs.input ?? "dtmf").includes("dtmf") };
        return "stop";
      }
      case "Redirect":
        return { url: verb.text, method: verb.attrs.method ?? "POST", extra: {} };
      case "Hangup":
        this.ended = true;
        events.push({ kind: "hangup" });
        return "stop";
      case "Dial":
        return this.bridge(verb, events);
      default:
        this.ended = true;
        events.push({ kind: "unsupported", verb: verb.children[0] ? `${verb.name}><${verb.children[0].name}` : verb.name });
        await this.hangUp();
        return "stop";
    }
  }

  /** `<Dial>`: the staff leg's whisper is fetched, the bridge "completes", the action (if any) is told so. */
  private async bridge(dial: TwimlNode, events: LineEvent[]): Promise<"stop" | { url: string; method: string; extra: FormParams }> {
    const target = dial.children.find((c) => c.name === "Number");
    const number = target?.text ?? dial.text;
    const whisper: string[] = [];
    if (target?.attrs.url) {
      const doc = parseTwiml(await this.request(target.attrs.url, target.attrs.method ?? "POST", { CallSid: `CA${randomBytes(16).toString("hex")}`, ParentCallSid: this.callSid, Direction: "outbound-api", From: this.opts.to, To: number }, false));
      for (const v of doc.children) if (v.name === "Say" && v.text) whisper.push(v.text);
    }
    events.push({ kind: "transfer", number, whisper });
    if (dial.attrs.action) return { url: dial.attrs.action, method: dial.attrs.method ?? "POST", extra: { DialCallStatus: "completed", DialCallDuration: "30", DialCallSid: `CA${randomBytes(16).toString("hex")}` } };
    this.ended = true;
    return "stop";
  }

  private callParams(status: string): FormParams {
    const { accountSid, from, to } = this.opts;
    return { AccountSid: accountSid, ApiVersion: "2010-04-01", CallSid: this.callSid, CallStatus: status, Direction: "inbound", From: from, Caller: from, To: to, Called: to };
  }

  private post(url: string, extra: FormParams): Promise<string> {
    return this.request(url, "POST", extra);
  }

  /** One webhook: call parameters (unless `asCall` is false) + `extra`, signed with the URL Twilio would request. */
  private async request(url: string, method: string, extra: FormParams, asCall = true): Promise<string> {
    const { publicBaseUrl, gatewayUrl, authToken, accountSid } = this.opts;
    if (!url.startsWith(publicBaseUrl)) throw new Error(`TwiML points at ${url}, which is not under the gateway's public URL ${publicBaseUrl}`);
    const params: FormParams = asCall ? { ...this.callParams("in-progress"), ...extra } : { AccountSid: accountSid, ...extra };
    const local = `${gatewayUrl}${url.slice(publicBaseUrl.length)}`;
    const get = method.toUpperCase() === "GET";
    const query = get ? `${url.includes("?") ? "&" : "?"}${encodeForm(params)}` : "";
    const signature = get ? twilioSignature(authToken, url + query) : twilioSignature(authToken, url, params);
    const res = await fetch(local + query, {
      method: get ? "GET" : "POST",
      headers: { "X-Twilio-Signature": signature, ...(get ? {} : { "Content-Type": "application/x-www-form-urlencoded" }) },
      ...(get ? {} : { body: encodeForm(params) }),
      signal: AbortSignal.timeout(15_000),
    });
    const body = await res.text();
    if (res.status === 204) return "<Response/>";
    if (!res.ok) throw new Error(`${method} ${url} → HTTP ${res.status}: ${body.slice(0, 200)}`);
    return body;
  }
}
