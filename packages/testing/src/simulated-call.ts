import { randomBytes } from "node:crypto";
import { WebSocket } from "ws";
import { FRAME_BYTES, FRAME_MS, MULAW_BYTES_PER_MS, silenceMuLaw } from "./audio.ts";
import type { CallerStep } from "./caller-script.ts";
import { RELAY_SESSION_STATUS, type RelayForgery, type RelayRecord } from "./relay-record.ts";
import type { RelayStep } from "./relay-script.ts";
import { RelaySession } from "./relay-session.ts";
import { encodeForm, type FormParams, twilioSignature } from "./signature.ts";
import { parseTwiml, type TwimlNode } from "./twiml.ts";

/** Minimal view of the shared "Twilio cloud" a call needs (implemented by TwilioCloud). */
export type CloudContext = {
  readonly accountSid: string;
  readonly authToken: string;
  /** Wall-clock ms per media ms (1 = real time, 0.1 = ten times faster, 0 = as fast as possible). */
  readonly timeScale: number;
  /** Where to actually send a request for a URL as written in TwiML/config (signatures use the original). */
  transport(url: string): string;
  /** Twilio's User-Agent / request timeout for webhooks. */
  readonly webhookTimeoutMs: number;
  onCallEnded(call: SimulatedCall): void;
};

export type GatherAnswer = { speech: string; confidence?: number } | { digits: string } | "timeout";
export type DialStatus = "completed" | "no-answer" | "busy" | "failed" | "canceled";
/**
 * How a `<Dial>` goes. `callerHangsUp`: the caller hangs up during the bridged call (the call ends; the Dial
 * action is still requested, like Twilio does), otherwise the staff member ends it and the call goes on.
 */
export type DialOutcome = { status: DialStatus; durationSec?: number; callerHangsUp?: boolean };
export type CallStatus = "queued" | "initiated" | "ringing" | "in-progress" | "completed" | "busy" | "no-answer" | "failed" | "canceled";

export type CallBehaviour = {
  /** What the person does once a `<Connect><Stream>` is up (see callerSays & co). Default: silence. */
  caller?: CallerStep[];
  /** What the person does on a `<Connect><ConversationRelay>` session (see relaySays & co). Default: silence. */
  relayCaller?: RelayStep[];
  /** Forge the relay upgrade: wrong or missing signature, a replayed one, or a prompt before setup. */
  relayForgery?: RelayForgery;
  /** Answers to successive `<Gather>`s, in order. Missing = no input (Twilio moves to the next verb). */
  gatherAnswers?: GatherAnswer[];
  /** Outcomes of successive `<Dial>`s. Default `{ status: "completed", durationSec: 30 }`. */
  dialOutcomes?: DialOutcome[];
  /** Number-level status callback (inbound) or the REST `StatusCallback` (outbound). */
  statusCallback?: string;
  statusCallbackMethod?: "POST" | "GET";
  /** Default for inbound: ["completed"]; outbound: what the REST request asked for. */
  statusCallbackEvent?: string[];
  /** Playback idle this long (media ms) ends an assistant turn. Default 400. */
  turnGapMs?: number;
  /** Safety net: the simulated call hangs up after this much call time (ms). Default 300,000. */
  maxCallMs?: number;
  /**
   * Audio per inbound `media` message, a multiple of 20 ms (default 20: what Twilio is observed to send; it is
   * not promised, so a gateway test can ask for 40 or 100 to prove it copes with other sizes).
   */
  inboundFrameMs?: number;
};

export type TimelineEntry = { at: number; callMs: number; type: string } & Record<string, unknown>;

/** One stretch of gateway audio the caller heard over the media stream. */
export type AssistantTurn = {
  index: number;
  startMediaMs: number;
  endMediaMs: number | undefined;
  bytesReceived: number;
  bytesPlayed: number;
  /** bytesPlayed / 8. */
  playedMs: number;
  /** The turn was cut short by a `clear`. */
  cleared: boolean;
  /** Marks echoed during this turn. */
  marks: string[];
  /** The mu-law bytes actually played (complete once the turn ended). */
  audio: Buffer;
};

export type StreamRecord = {
  url: string;
  connectedTo: string;
  signature: string;
  streamSid: string;
  customParameters: Record<string, string>;
  /** How the stream ended: the server closed it, the caller hung up, a REST update redirected the call, or the handshake failed. */
  outcome: "closed-by-server" | "caller-hung-up" | "redirected" | "handshake-failed" | "max-call-time" | undefined;
  closeCode: number | undefined;
  handshakeStatus: number | undefined;
  framesSent: number;
  framesReceived: number;
  messagesReceived: number;
  stopSent: boolean;
};

export type DialRecord = {
  number: string;
  callerId: string | undefined;
  timeout: string | undefined;
  action: string | undefined;
  answerOnBridge: string | undefined;
  whisperUrl: string | undefined;
  /** What the dialled staff member heard from the whisper TwiML (`<Say>` texts). */
  whisper: string[];
  outcome: DialOutcome;
  childCallSid: string;
};

export type SaidRecord = { text: string; voice: string | undefined; language: string | undefined; where: "call" | "gather" | "whisper" };
export type LatencyRecord = { speechEndMediaMs: number; mediaMs: number; wallMs: number };
export type CallError = { code: number | undefined; message: string };

type Doc = { xml: string; url: string };
type Redirect = { twiml: string } | { url: string; method: "GET" | "POST" } | { hangup: true };
type StreamOutcome = NonNullable<StreamRecord["outcome"]>;

/** A call failed in a way a test should see (assertNoErrors). */
export class SimulatedCallError extends Error {
  override readonly name = "SimulatedCallError";
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });

export function newSid(prefix: string): string {
  return prefix + randomBytes(16).toString("hex");
}

function isLoopback(host: string): boolean {
  return host === "127.0.0.1" || host === "localhost" || host === "[::1]";
}

/**
 * A phone call as Twilio runs it: webhooks (signed), TwiML followed verb by verb, media stream, status
 * callbacks. Created by TwilioCloud.placeCall (inbound) or by the REST emulator's Calls.json (outbound).
 */
export class SimulatedCall {
  readonly sid: string;
  readonly from: string;
  readonly to: string;
  readonly direction: "inbound" | "outbound-api";
  status: CallStatus = "queued";
  answeredBy: string | undefined;

  /** Everything that happened, in order. */
  readonly timeline: TimelineEntry[] = [];
  /** Each TwiML document received, with the URL it came from ("(inline)" for REST twiml). */
  readonly twiml: Doc[] = [];
  /** `<Say>` texts the caller (or the dialled staff member, where "whisper") heard. */
  readonly said: SaidRecord[] = [];
  /** Gateway audio per assistant turn. */
  readonly heard: AssistantTurn[] = [];
  readonly marksReceived: string[] = [];
  readonly marksEchoed: string[] = [];
  readonly clears: { mediaMs: number; droppedBytes: number; marksFlushed: string[] }[] = [];
  /** Caller speech end → first gateway audio after it. */
  readonly latencies: LatencyRecord[] = [];
  readonly streams: StreamRecord[] = [];
  /** `<Connect><ConversationRelay>` sessions. */
  readonly relays: RelayRecord[] = [];
  readonly dials: DialRecord[] = [];
  readonly gathers: { action: string | undefined; answer: GatherAnswer }[] = [];
  /** Webhook and callback requests the simulator made (URL as signed). */
  readonly requests: { url: string; method: string; params: Record<string, string>; status: number | undefined; kind: string }[] = [];
  /** Protocol violations by our server and Twilio-side failures; assertNoErrors() fails on any. */
  readonly errors: CallError[] = [];
  /** Resolves when the call has ended and every callback has been posted. */
  readonly done: Promise<SimulatedCall>;

  private readonly cloud: CloudContext;
  private readonly behaviour: CallBehaviour;
  private readonly startWall = performance.now();
  private callMs = 0;
  private redirect: Redirect | undefined;
  private verbAbort = new AbortController();
  private readonly pendingCallbacks: Promise<unknown>[] = [];
  private resolveDone!: (c: SimulatedCall) => void;
  private readonly listeners = new Set<() => void>();
  private statusSeq = 0;
  private gatherIndex = 0;
  private dialIndex = 0;
  private liveStream: LiveStream | undefined;
  private liveRelay: RelaySession | undefined;
  readonly extraParams: Record<string, string> = {};

  constructor(
    cloud: CloudContext,
    init: { sid?: string; from: string; to: string; direction: "inbound" | "outbound-api"; behaviour: CallBehaviour },
  ) {
    this.cloud = cloud;
    this.sid = init.sid ?? newSid("CA");
    this.from = init.from;
    this.to = init.to;
    this.direction = init.direction;
    this.behaviour = init.behaviour;
    const frameMs = init.behaviour.inboundFrameMs;
    if (frameMs !== undefined && (!Number.isInteger(frameMs / FRAME_MS) || frameMs < FRAME_MS)) {
      throw new RangeError(`inboundFrameMs must be a positive multiple of ${FRAME_MS} ms, got ${frameMs}`);
    }
    this.done = new Promise((r) => {
      this.resolveDone = r;
    });
  }

  /** Call time in ms: pauses plus media streamed (scaled time does not change it). */
  get elapsedMs(): number {
    return this.callMs + (this.liveStream?.mediaMs ?? 0);
  }

  get ended(): boolean {
    return ["completed", "busy", "no-answer", "failed", "canceled"].includes(this.status);
  }

  /** The currently open media stream, if any. */
  get stream(): StreamRecord | undefined {
    return this.liveStream?.record;
  }

  record(type: string, detail: Record<string, unknown> = {}): void {
    this.timeline.push({ at: Math.round(performance.now() - this.startWall), callMs: this.elapsedMs, type, ...detail });
    this.notify();
  }

  /** Re-checks waitFor() predicates (after every timeline entry and every media frame). */
  notify(): void {
    for (const l of [...this.listeners]) l();
  }

  error(message: string, code?: number): void {
    this.errors.push({ code, message });
    this.record("error", { code, message });
  }

  /** Resolves once `predicate()` holds (checked after every timeline entry); rejects after `timeoutMs` wall time. */
  waitFor(predicate: (call: SimulatedCall) => boolean, description = "condition", timeoutMs = 10_000): Promise<void> {
    if (predicate(this)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (predicate(this)) {
          cleanup();
          resolve();
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new SimulatedCallError(`call ${this.sid}: timed out after ${timeoutMs} ms waiting for ${description}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
    });
  }

  /** The timeline as readable lines (`wall-ms call-ms type {detail}`), for debugging a failing test. */
  formatTimeline(opts: { skip?: string[] } = {}): string {
    const skip = new Set(opts.skip ?? ["stream-sent"]);
    return this.timeline
      .filter((t) => !skip.has(t.type))
      .map(({ at, callMs, type, xml: _xml, ...rest }) => `${String(at).padStart(6)} ${String(callMs).padStart(7)} ${type} ${JSON.stringify(rest)}`)
      .join("\n");
  }

  /** Throws a readable list of everything that went wrong on this call. */
  assertNoErrors(): void {
    if (this.errors.length > 0) {
      throw new SimulatedCallError(
        `call ${this.sid} had ${this.errors.length} error(s):\n${this.errors.map((e) => `  - ${e.code ? `[${e.code}] ` : ""}${e.message}`).join("\n")}`,
      );
    }
  }

  /** The call's standard webhook parameters (what Twilio sends with every voice request). */
  callParams(): Record<string, string> {
    const p: Record<string, string> = {
      AccountSid: this.cloud.accountSid,
      ApiVersion: "2010-04-01",
      CallSid: this.sid,
      CallStatus: this.status,
      Called: this.to,
      CalledCountry: "US",
      Caller: this.from,
      CallerCountry: "US",
      Direction: this.direction,
      From: this.from,
      FromCountry: "US",
      To: this.to,
      ToCountry: "US",
      ...this.extraParams,
    };
    return p;
  }

  /** The caller hangs up now, whatever the call is doing (a media stream gets `stop`). */
  hangUp(): void {
    if (this.ended) return;
    this.record("caller-hangs-up");
    this.redirect = { hangup: true };
    this.verbAbort.abort();
    this.liveStream?.end("caller-hung-up");
    this.liveRelay?.end("caller-hung-up");
  }

  /** REST Calls/{sid}.json update: stop the stream (if any) and follow the new TwiML / URL, or hang up. */
  update(redirect: Redirect): void {
    this.record("rest-update", { ...redirect });
    this.redirect = redirect;
    this.verbAbort.abort();
    this.liveStream?.end("redirected");
    this.liveRelay?.end("redirected");
  }

  // ── request helpers ───────────────────────────────────────────────────────────────────────────────

  /** Posts a signed form request exactly like Twilio. Returns the response (undefined on network error). */
  async request(kind: string, url: string, method: "GET" | "POST", params: Record<string, string>): Promise<{ status: number; body: string } | undefined> {
    const signedUrl = method === "GET" ? appendQuery(url, params) : url;
    const signature = twilioSignature(this.cloud.authToken, signedUrl, method === "GET" ? {} : params);
    const entry: SimulatedCall["requests"][number] = { url: signedUrl, method, params, status: undefined, kind };
    this.requests.push(entry);
    try {
      const res = await fetch(this.cloud.transport(signedUrl), {
        method,
        headers: {
          "X-Twilio-Signature": signature,
          "I-Twilio-Idempotency-Token": newSid(""),
          "User-Agent": "TwilioProxy/1.1",
          Accept: "*/*",
          ...(method === "POST" ? { "Content-Type": "application/x-www-form-urlencoded; charset=utf-8" } : {}),
        },
        body: method === "POST" ? encodeForm(params) : undefined,
        signal: AbortSignal.timeout(this.cloud.webhookTimeoutMs),
      });
      const body = await res.text();
      entry.status = res.status;
      this.record("request", { kind, url: signedUrl, method, status: res.status });
      return { status: res.status, body };
    } catch (err) {
      this.record("request", { kind, url: signedUrl, method, failed: String(err) });
      return undefined;
    }
  }

  /** Fire-and-forget callback (status, stream status, AMD); `done` waits for all of them. */
  callback(kind: string, url: string | undefined, params: Record<string, string>, method: "GET" | "POST" = "POST"): void {
    if (!url) return;
    const p = this.request(kind, url, method, params).then((res) => {
      if (!res) this.error(`${kind} callback to ${url} failed to connect`, 15003);
      else if (res.status >= 400) this.error(`${kind} callback to ${url} answered HTTP ${res.status}`, 15003);
    });
    this.pendingCallbacks.push(p);
  }

  statusCallback(event: string): void {
    const events = this.behaviour.statusCallbackEvent ?? ["completed"];
    if (!events.includes(event)) return;
    const params: Record<string, string> = {
      ...this.callParams(),
      CallbackSource: "call-progress-events",
      SequenceNumber: String(this.statusSeq++),
      Timestamp: new Date().toUTCString(),
    };
    if (this.ended) {
      params["CallDuration"] = String(Math.ceil(this.elapsedMs / 1000));
      params["Duration"] = String(Math.max(1, Math.ceil(this.elapsedMs / 60000)));
    }
    this.record("status-callback", { event, status: this.status });
    this.callback("status", this.behaviour.statusCallback, params, this.behaviour.statusCallbackMethod ?? "POST");
  }

  setStatus(status: CallStatus, event?: string): void {
    this.status = status;
    this.record("status", { status });
    if (event) this.statusCallback(event);
  }

  /** Fetches a TwiML document (voice webhook, action, redirect). Errors end the call like Twilio's "application error". */
  async fetchTwiml(kind: string, url: string, method: "GET" | "POST", extra: Record<string, string> = {}): Promise<Doc | undefined> {
    const res = await this.request(kind, url, method, { ...this.callParams(), ...extra });
    if (!res) {
      this.error(`${kind}: could not reach ${url}`, 11200);
      return undefined;
    }
    if (res.status < 200 || res.status >= 300) {
      this.error(`${kind}: ${method} ${url} answered HTTP ${res.status}: ${res.body.slice(0, 200)}`, 11200);
      return undefined;
    }
    return { xml: res.body, url };
  }

  // ── running a call ────────────────────────────────────────────────────────────────────────────────

  /** Runs the call from its first document until it ends. Called by the cloud; resolves `done`. */
  async run(first: () => Promise<Doc | undefined>): Promise<void> {
    try {
      let doc = await first();
      while (doc && !this.ended) {
        doc = await this.runDocument(doc);
        // A REST update wins over whatever the interrupted verb would have done next.
        if (this.redirect) doc = await this.takeRedirect();
      }
    } catch (err) {
      this.error(`simulator failure: ${err instanceof Error ? err.stack : String(err)}`);
    } finally {
      if (!this.ended) this.setStatus("completed", "completed");
      this.record("call-ended", { status: this.status });
      this.cloud.onCallEnded(this);
      await Promise.allSettled(this.pendingCallbacks);
      // a callback scheduled while we awaited
      await Promise.allSettled(this.pendingCallbacks);
      this.resolveDone(this);
    }
  }

  private async takeRedirect(): Promise<Doc | undefined> {
    const r = this.redirect;
    this.redirect = undefined;
    this.verbAbort = new AbortController();
    if (!r || "hangup" in r) return undefined;
    if ("twiml" in r) return { xml: r.twiml, url: "(inline)" };
    return this.fetchTwiml("redirect", r.url, r.method);
  }

  /** Absolute URLs are kept exactly as written (Twilio signs them as given); relative ones resolve against the document. */
  private resolveUrl(ref: string | undefined, docUrl: string): string | undefined {
    if (ref === undefined || ref === "") return undefined;
    if (URL.canParse(ref)) return ref;
    if (docUrl !== "(inline)" && URL.canParse(ref, docUrl)) return new URL(ref, docUrl).toString();
    this.error(`URL "${ref}" is not absolute and cannot be resolved against ${docUrl} (inline TwiML needs absolute URLs)`, 11100);
    return undefined;
  }

  private method(node: TwimlNode): "GET" | "POST" {
    return node.attrs["method"]?.toUpperCase() === "GET" ? "GET" : "POST";
  }

  /** Runs one document; returns the next one to run (action/redirect), or undefined when the call ends. */
  private async runDocument(doc: Doc): Promise<Doc | undefined> {
    this.twiml.push(doc);
    this.record("twiml", { url: doc.url, xml: doc.xml });
    let root: TwimlNode;
    try {
      root = parseTwiml(doc.xml);
    } catch (err) {
      this.error(`TwiML from ${doc.url} rejected: ${(err as Error).message}`, 12100);
      return undefined;
    }
    for (const verb of root.children) {
      if (this.redirect || this.ended) return undefined;
      if (this.elapsedMs > (this.behaviour.maxCallMs ?? 300_000)) {
        this.error(`call exceeded maxCallMs (${this.behaviour.maxCallMs ?? 300_000} ms); hanging up`);
        return undefined;
      }
      const next = await this.runVerb(verb, doc.url);
      if (next === "hangup") return undefined;
      if (next) return next;
    }
    return undefined;
  }

  private say(node: TwimlNode, where: SaidRecord["where"]): void {
    this.said.push({ text: node.text, voice: node.attrs["voice"], language: node.attrs["language"], where });
    this.record("say", { text: node.text, voice: node.attrs["voice"], where });
  }

  private async pause(node: TwimlNode): Promise<void> {
    const seconds = Number(node.attrs["length"] ?? "1");
    if (!Number.isFinite(seconds) || seconds < 0) this.error(`<Pause length="${node.attrs["length"]}"> is not a number of seconds`, 13910);
    const ms = Math.max(0, seconds) * 1000;
    this.record("pause", { ms });
    await sleep(ms * this.cloud.timeScale, this.verbAbort.signal);
    this.callMs += ms;
  }

  private async runVerb(verb: TwimlNode, docUrl: string): Promise<Doc | "hangup" | undefined> {
    switch (verb.name) {
      case "Say":
        this.say(verb, "call");
        return undefined;
      case "Play":
        this.record("play", { url: verb.text, digits: verb.attrs["digits"] });
        return undefined;
      case "Pause":
        await this.pause(verb);
        return undefined;
      case "Hangup":
        this.record("hangup-verb");
        return "hangup";
      case "Reject":
        this.record("reject", { reason: verb.attrs["reason"] ?? "rejected" });
        this.setStatus(verb.attrs["reason"] === "busy" ? "busy" : "no-answer", "completed");
        return "hangup";
      case "Redirect": {
        const url = this.resolveUrl(verb.text, docUrl);
        if (!url) return "hangup";
        this.record("redirect", { url });
        return (await this.fetchTwiml("redirect", url, this.method(verb))) ?? "hangup";
      }
      case "Gather":
        return this.gather(verb, docUrl);
      case "Dial":
        return this.dial(verb, docUrl);
      case "Connect":
        return this.connect(verb, docUrl);
      default:
        this.error(`unsupported or misplaced TwiML verb <${verb.name}> in ${docUrl}`, 12100);
        return "hangup";
    }
  }

  private async gather(verb: TwimlNode, docUrl: string): Promise<Doc | "hangup" | undefined> {
    for (const child of verb.children) {
      if (child.name === "Say") this.say(child, "gather");
      else if (child.name === "Pause") await this.pause(child);
      else if (child.name === "Play") this.record("play", { url: child.text, where: "gather" });
      else this.error(`<${child.name}> is not allowed inside <Gather>`, 12200);
    }
    const answer = this.behaviour.gatherAnswers?.[this.gatherIndex++] ?? "timeout";
    const action = this.resolveUrl(verb.attrs["action"], docUrl) ?? (docUrl === "(inline)" ? undefined : docUrl);
    this.gathers.push({ action, answer });
    this.record("gather", { input: verb.attrs["input"] ?? "dtmf", action, answer });
    const input = verb.attrs["input"] ?? "dtmf";
    if (answer === "timeout") {
      if (verb.attrs["actionOnEmptyResult"] === "true" && action) return (await this.fetchTwiml("gather", action, this.method(verb))) ?? "hangup";
      return undefined;
    }
    const extra: Record<string, string> = {};
    if ("speech" in answer) {
      if (!input.includes("speech")) this.error(`gather answer is speech but <Gather input="${input}"> does not accept speech`);
      extra["SpeechResult"] = answer.speech;
      if (answer.confidence !== undefined) extra["Confidence"] = String(answer.confidence);
    } else {
      if (!input.includes("dtmf")) this.error(`gather answer is digits but <Gather input="${input}"> does not accept dtmf`);
      extra["Digits"] = answer.digits;
    }
    if (!action) {
      this.error("<Gather> in inline TwiML without an absolute action URL", 11100);
      return "hangup";
    }
    return (await this.fetchTwiml("gather", action, this.method(verb), extra)) ?? "hangup";
  }

  private async dial(verb: TwimlNode, docUrl: string): Promise<Doc | "hangup" | undefined> {
    const numberNode = verb.children.find((c) => c.name === "Number");
    const number = numberNode ? numberNode.text : verb.text;
    if (!/^\+[1-9]\d{6,14}$/.test(number)) this.error(`<Dial> number "${number}" is not E.164`, 13223);
    const callerId = verb.attrs["callerId"];
    if (callerId !== undefined && !/^\+[1-9]\d{6,14}$/.test(callerId)) this.error(`<Dial callerId="${callerId}"> is not E.164`, 13214);
    const outcome = this.behaviour.dialOutcomes?.[this.dialIndex++] ?? { status: "completed", durationSec: 30 };
    const whisperUrl = this.resolveUrl(numberNode?.attrs["url"], docUrl);
    const rec: DialRecord = {
      number,
      callerId,
      timeout: verb.attrs["timeout"],
      action: this.resolveUrl(verb.attrs["action"], docUrl),
      answerOnBridge: verb.attrs["answerOnBridge"],
      whisperUrl,
      whisper: [],
      outcome,
      childCallSid: newSid("CA"),
    };
    this.dials.push(rec);
    this.record("dial", { number, callerId, action: rec.action, whisperUrl, outcome });
    const child = {
      AccountSid: this.cloud.accountSid,
      ApiVersion: "2010-04-01",
      CallSid: rec.childCallSid,
      ParentCallSid: this.sid,
      Direction: "outbound-dial",
      From: callerId ?? this.from,
      To: number,
      Called: number,
      Caller: callerId ?? this.from,
    };
    const numberEvents = (numberNode?.attrs["statusCallbackEvent"] ?? "completed").split(/[\s,]+/).filter(Boolean);
    const numberCallback = this.resolveUrl(numberNode?.attrs["statusCallback"], docUrl);
    const childStatus = (event: string, status: string) => {
      if (numberEvents.includes(event)) {
        const method = numberNode?.attrs["statusCallbackMethod"]?.toUpperCase() === "GET" ? "GET" : "POST";
        this.callback("dial-status", numberCallback, { ...child, CallStatus: status, CallbackSource: "call-progress-events" }, method);
      }
    };
    childStatus("initiated", "initiated");
    childStatus("ringing", "ringing");
    if (outcome.status === "completed") {
      childStatus("answered", "in-progress");
      if (whisperUrl) {
        const res = await this.request("whisper", whisperUrl, numberNode?.attrs["method"]?.toUpperCase() === "GET" ? "GET" : "POST", { ...child, CallStatus: "in-progress" });
        if (!res || res.status >= 300) this.error(`whisper ${whisperUrl} answered ${res ? `HTTP ${res.status}` : "nothing"}`, 11200);
        else {
          try {
            for (const w of parseTwiml(res.body).children) {
              if (w.name === "Say") {
                rec.whisper.push(w.text);
                this.say(w, "whisper");
              } else if (w.name === "Pause" || w.name === "Play") this.record(`whisper-${w.name.toLowerCase()}`);
              else this.record("whisper-verb", { verb: w.name });
            }
          } catch (err) {
            this.error(`whisper TwiML from ${whisperUrl} rejected: ${(err as Error).message}`, 12100);
          }
        }
      }
      this.callMs += (outcome.durationSec ?? 30) * 1000;
    }
    childStatus("completed", outcome.status);
    const callerGone = outcome.status === "completed" && outcome.callerHangsUp === true;
    if (callerGone) this.setStatus("completed", "completed");
    // No action: Twilio moves on to the next verb (and ends the call when there is none).
    if (!rec.action) return callerGone ? "hangup" : undefined;
    const next = await this.fetchTwiml("dial-action", rec.action, this.method(verb), {
      DialCallStatus: outcome.status,
      DialCallSid: rec.childCallSid,
      DialCallDuration: String(outcome.status === "completed" ? (outcome.durationSec ?? 30) : 0),
      DialBridged: String(outcome.status === "completed"),
    });
    return callerGone ? "hangup" : (next ?? "hangup");
  }

  private async connect(verb: TwimlNode, docUrl: string): Promise<Doc | "hangup" | undefined> {
    const relayNode = verb.children.find((c) => c.name === "ConversationRelay");
    if (relayNode && verb.children.length === 1) return this.connectRelay(verb, relayNode, docUrl);
    const streamNode = verb.children.find((c) => c.name === "Stream");
    if (!streamNode || verb.children.length !== 1) {
      this.error(`<Connect> must hold exactly one <Stream> here, got ${verb.children.map((c) => `<${c.name}>`).join("") || "nothing"}`, 12100);
      return "hangup";
    }
    const outcome = await this.runStream(streamNode, docUrl);
    if (outcome === "caller-hung-up" || outcome === "max-call-time") return "hangup";
    if (outcome === "redirected") return undefined;
    const action = this.resolveUrl(verb.attrs["action"], docUrl);
    if (action) return (await this.fetchTwiml("connect-action", action, this.method(verb))) ?? "hangup";
    return undefined;
  }

  /** `<Connect action><ConversationRelay>`: the session, then the action with SessionId/Status/Duration/HandoffData. */
  private async connectRelay(verb: TwimlNode, node: TwimlNode, docUrl: string): Promise<Doc | "hangup" | undefined> {
    const url = node.attrs["url"] ?? "";
    const parsed = URL.canParse(url) ? new URL(url) : undefined;
    if (!parsed || !(parsed.protocol === "wss:" || (parsed.protocol === "ws:" && isLoopback(parsed.hostname)))) {
      this.error(`<ConversationRelay url="${url}">: Twilio only connects to absolute wss:// URLs (ws:// is accepted here for loopback only)`, 64101);
      return "hangup";
    }
    const maxCallMs = this.behaviour.maxCallMs ?? 300_000;
    const session = new RelaySession(this, this.cloud, node, {
      caller: this.behaviour.relayCaller ?? [],
      forgery: this.behaviour.relayForgery,
      maxWallMs: Math.max(1_000, maxCallMs * Math.max(this.cloud.timeScale, 0.05)),
    });
    this.liveRelay = session;
    this.relays.push(session.record);
    const outcome = await session.run();
    this.liveRelay = undefined;
    this.callMs += session.record.durationMs / Math.max(this.cloud.timeScale, 0.05);
    if (outcome === "redirected") return undefined;
    const callerGone = outcome === "caller-hung-up" || outcome === "max-call-time";
    if (callerGone) this.setStatus("completed", "completed");
    const action = this.resolveUrl(verb.attrs["action"], docUrl);
    if (!action) return callerGone ? "hangup" : undefined;
    const params: Record<string, string> = {
      SessionId: session.record.sessionId,
      SessionStatus: RELAY_SESSION_STATUS[outcome],
      SessionDuration: String(Math.ceil(session.record.durationMs / 1000)),
    };
    if (session.record.handoffData !== undefined) params["HandoffData"] = session.record.handoffData;
    const next = await this.fetchTwiml("connect-action", action, this.method(verb), params);
    return callerGone ? "hangup" : (next ?? "hangup");
  }

  private async runStream(node: TwimlNode, docUrl: string): Promise<StreamOutcome> {
    const url = node.attrs["url"] ?? "";
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      this.error(`<Stream url="${url}"> is not an absolute URL`, 31920);
      return "handshake-failed";
    }
    if (parsed.protocol !== "wss:" && !(parsed.protocol === "ws:" && isLoopback(parsed.hostname))) {
      this.error(`<Stream url="${url}">: Twilio only connects to wss:// URLs (ws:// is accepted here for loopback only)`, 31920);
      return "handshake-failed";
    }
    if (parsed.search) this.error(`<Stream url="${url}"> carries a query string; Twilio requires <Parameter> instead`, 31920);
    const customParameters: Record<string, string> = {};
    for (const p of node.children) {
      if (p.name !== "Parameter") {
        this.error(`<${p.name}> is not allowed inside <Stream>`, 12200);
        continue;
      }
      const name = p.attrs["name"] ?? "";
      const value = p.attrs["value"] ?? "";
      if (!name) this.error("<Parameter> without a name", 12200);
      if (name.length + value.length >= 500) this.error(`<Parameter name="${name}">: name+value must be under 500 characters`, 12200);
      customParameters[name] = value;
    }
    const statusCallback = this.resolveUrl(node.attrs["statusCallback"], docUrl);
    const live = new LiveStream(this, this.cloud, url, customParameters, this.behaviour);
    this.liveStream = live;
    this.streams.push(live.record);
    const statusParams = (event: string, extra: Record<string, string> = {}) => ({
      AccountSid: this.cloud.accountSid,
      CallSid: this.sid,
      StreamSid: live.record.streamSid,
      StreamName: node.attrs["name"] ?? live.record.streamSid,
      StreamEvent: event,
      Timestamp: new Date().toISOString(),
      ...extra,
    });
    const statusMethod = node.attrs["statusCallbackMethod"]?.toUpperCase() === "GET" ? "GET" : "POST";
    const outcome = await live.run(() => this.callback("stream-status", statusCallback, statusParams("stream-started"), statusMethod));
    this.callMs += live.mediaMs;
    this.liveStream = undefined;
    if (outcome === "handshake-failed") {
      this.callback("stream-status", statusCallback, statusParams("stream-error", { StreamError: `handshake failed (HTTP ${live.record.handshakeStatus ?? "none"})` }), statusMethod);
    } else {
      this.callback("stream-status", statusCallback, statusParams("stream-stopped"), statusMethod);
    }
    if (outcome === "caller-hung-up") this.setStatus("completed", "completed");
    return outcome;
  }

  // ── internals used by LiveStream ──────────────────────────────────────────────────────────────────
  /** @internal */ get wallNow(): number {
    return performance.now() - this.startWall;
  }
}

function appendQuery(url: string, params: FormParams): string {
  const qs = encodeForm(params);
  if (!qs) return url;
  return url + (url.includes("?") ? "&" : "?") + qs;
}

/** Twilio buffers at most 10 minutes of outbound audio (warning 31931 beyond). */
const MAX_BUFFER_BYTES = 10 * 60 * 1000 * MULAW_BYTES_PER_MS;

type StepState = { mediaMs: number; turnIndex: number; spoke: boolean };
type PlaybackItem = { kind: "audio"; bytes: Buffer; offset: number } | { kind: "mark"; name: string };

/** One `<Connect><Stream>` session: handshake, media clock, caller script, playback of gateway audio. */
class LiveStream {
  readonly record: StreamRecord;
  mediaMs = 0;
  private readonly call: SimulatedCall;
  private readonly cloud: CloudContext;
  private readonly script: CallerStep[];
  private readonly turnGapMs: number;
  private readonly maxCallMs: number;
  private ws: WebSocket | undefined;
  private seq = 0;
  private chunk = 0;
  private playback: PlaybackItem[] = [];
  private outAudio: Buffer = Buffer.alloc(0);
  private speaking = false;
  private speechEnd: { mediaMs: number; wall: number } | undefined;
  private turn: AssistantTurn | undefined;
  private turnChunks: Buffer[] = [];
  private lastPlayedMediaMs = 0;
  private stepIndex = 0;
  private stepStart: StepState | undefined;
  private readonly inboundFrameMs: number;
  private pendingFrames: Buffer[] = [];
  private sentMediaMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private finished = false;
  private resolve!: (o: StreamOutcome) => void;

  constructor(call: SimulatedCall, cloud: CloudContext, url: string, customParameters: Record<string, string>, behaviour: CallBehaviour) {
    this.call = call;
    this.cloud = cloud;
    this.script = behaviour.caller ?? [];
    this.turnGapMs = behaviour.turnGapMs ?? 400;
    this.maxCallMs = behaviour.maxCallMs ?? 300_000;
    this.inboundFrameMs = behaviour.inboundFrameMs ?? FRAME_MS;
    if (!Number.isInteger(this.inboundFrameMs / FRAME_MS) || this.inboundFrameMs < FRAME_MS) {
      throw new RangeError(`inboundFrameMs must be a positive multiple of ${FRAME_MS}, got ${this.inboundFrameMs}`);
    }
    this.record = {
      url,
      connectedTo: cloud.transport(url),
      signature: twilioSignature(cloud.authToken, url, {}),
      streamSid: newSid("MZ"),
      customParameters,
      outcome: undefined,
      closeCode: undefined,
      handshakeStatus: undefined,
      framesSent: 0,
      framesReceived: 0,
      messagesReceived: 0,
      stopSent: false,
    };
  }

  run(onStarted: () => void): Promise<StreamOutcome> {
    const done = new Promise<StreamOutcome>((r) => {
      this.resolve = r;
    });
    const ws = new WebSocket(this.record.connectedTo, {
      headers: { "x-twilio-signature": this.record.signature, "user-agent": "Twilio.TmeWs/1.0" },
      handshakeTimeout: this.cloud.webhookTimeoutMs,
    });
    this.ws = ws;
    ws.on("unexpected-response", (_req, res) => {
      this.record.handshakeStatus = res.statusCode;
      this.call.error(`stream handshake to ${this.record.url} refused with HTTP ${res.statusCode}`, 31920);
      res.resume();
      ws.terminate();
      this.finish("handshake-failed");
    });
    ws.on("error", (err) => {
      if (this.record.handshakeStatus !== undefined) return;
      if (ws.readyState === WebSocket.CONNECTING || !this.record.framesSent) {
        this.call.error(`stream ${this.record.url}: ${err.message}`, 31920);
        this.finish("handshake-failed");
      } else this.call.record("stream-socket-error", { message: err.message });
    });
    ws.on("open", () => {
      this.record.handshakeStatus = 101;
      this.call.record("stream-open", { url: this.record.url, streamSid: this.record.streamSid });
      this.send({ event: "connected", protocol: "Call", version: "1.0.0" });
      this.send({
        event: "start",
        sequenceNumber: this.nextSeq(),
        streamSid: this.record.streamSid,
        start: {
          streamSid: this.record.streamSid,
          accountSid: this.cloud.accountSid,
          callSid: this.call.sid,
          tracks: ["inbound"],
          customParameters: this.record.customParameters,
          mediaFormat: { encoding: "audio/x-mulaw", sampleRate: 8000, channels: 1 },
        },
      });
      onStarted();
      this.startClock();
    });
    ws.on("message", (data, isBinary) => this.onMessage(data as Buffer, isBinary));
    ws.on("close", (code) => {
      this.record.closeCode ??= code;
      if (!this.finished) {
        this.call.record("stream-closed-by-server", { code });
        this.finish("closed-by-server");
      }
    });
    return done;
  }

  /** Ends the stream from Twilio's side: `stop`, then close (caller hung up / REST redirect / time limit). */
  end(outcome: StreamOutcome): void {
    if (this.finished) return;
    if (this.ws?.readyState === WebSocket.OPEN) {
      this.send({
        event: "stop",
        sequenceNumber: this.nextSeq(),
        streamSid: this.record.streamSid,
        stop: { accountSid: this.cloud.accountSid, callSid: this.call.sid },
      });
      this.record.stopSent = true;
      this.ws.close(1000);
    } else this.ws?.terminate();
    this.finish(outcome);
  }

  private finish(outcome: StreamOutcome): void {
    if (this.finished) return;
    this.finished = true;
    this.record.outcome = outcome;
    if (this.timer) clearTimeout(this.timer);
    this.endTurn(false);
    this.call.record("stream-ended", { outcome, closeCode: this.record.closeCode });
    this.resolve(outcome);
  }

  private nextSeq(): string {
    this.seq += 1;
    return String(this.seq);
  }

  private send(msg: Record<string, unknown>): void {
    if (this.ws?.readyState !== WebSocket.OPEN) return;
    this.ws.send(JSON.stringify(msg));
    if (msg["event"] !== "media") this.call.record("stream-sent", { event: msg["event"], message: msg });
  }

  private startClock(): void {
    const start = performance.now();
    let n = 0;
    const tick = () => {
      if (this.finished) return;
      this.onTick();
      n += 1;
      if (this.finished) return;
      const due = start + n * FRAME_MS * this.cloud.timeScale;
      this.timer = setTimeout(tick, Math.max(0, due - performance.now()));
    };
    this.timer = setTimeout(tick, FRAME_MS * this.cloud.timeScale);
  }

  // ── gateway → Twilio ──────────────────────────────────────────────────────────────────────────────

  private violation(message: string): void {
    this.call.error(`stream protocol: ${message}`, 31951);
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    this.record.messagesReceived += 1;
    if (isBinary) {
      this.violation("binary frame received; Twilio expects JSON text frames");
      return;
    }
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(data.toString("utf8"));
    } catch {
      this.violation(`message is not JSON: ${data.toString("utf8").slice(0, 80)}`);
      return;
    }
    if (msg["streamSid"] !== this.record.streamSid) {
      this.violation(`"${String(msg["event"])}" carries streamSid ${JSON.stringify(msg["streamSid"])}, expected ${this.record.streamSid}`);
      return;
    }
    switch (msg["event"]) {
      case "media": {
        const media = msg["media"] as { payload?: unknown } | undefined;
        if (typeof media?.payload !== "string") {
          this.violation("media without media.payload string");
          return;
        }
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(media.payload)) {
          this.violation("media.payload is not base64");
          return;
        }
        const bytes = Buffer.from(media.payload, "base64");
        this.record.framesReceived += 1;
        if (bytes.length === 0) return;
        if (!this.turn) this.startTurn();
        this.turn!.bytesReceived += bytes.length;
        if (this.speechEnd) {
          this.call.latencies.push({
            speechEndMediaMs: this.speechEnd.mediaMs,
            mediaMs: this.mediaMs - this.speechEnd.mediaMs,
            wallMs: Math.round(this.call.wallNow - this.speechEnd.wall),
          });
          this.call.record("latency", { ...this.call.latencies.at(-1) });
          this.speechEnd = undefined;
        }
        const buffered = this.playback.reduce((n, p) => n + (p.kind === "audio" ? p.bytes.length - p.offset : 0), 0);
        if (buffered + bytes.length > MAX_BUFFER_BYTES) {
          this.call.error("more than 10 minutes of audio buffered for playback; Twilio drops the excess (warning 31931)", 31931);
          return;
        }
        this.playback.push({ kind: "audio", bytes, offset: 0 });
        return;
      }
      case "mark": {
        const name = (msg["mark"] as { name?: unknown } | undefined)?.name;
        if (typeof name !== "string") {
          this.violation("mark without mark.name string");
          return;
        }
        this.call.marksReceived.push(name);
        this.call.record("mark", { name });
        if (!this.playback.some((p) => p.kind === "audio")) this.echoMark(name);
        else this.playback.push({ kind: "mark", name });
        return;
      }
      case "clear": {
        let dropped = 0;
        const flushed: string[] = [];
        for (const p of this.playback) {
          if (p.kind === "audio") dropped += p.bytes.length - p.offset;
          else flushed.push(p.name);
        }
        this.playback = [];
        this.call.clears.push({ mediaMs: this.mediaMs, droppedBytes: dropped, marksFlushed: flushed });
        this.call.record("clear", { droppedBytes: dropped, marksFlushed: flushed });
        if (this.turn) this.endTurn(true);
        for (const name of flushed) this.echoMark(name);
        return;
      }
      default:
        this.violation(`unknown event ${JSON.stringify(msg["event"])} (Twilio accepts media, mark, clear)`);
        return;
    }
  }

  private echoMark(name: string): void {
    this.call.marksEchoed.push(name);
    this.turn?.marks.push(name);
    this.send({ event: "mark", sequenceNumber: this.nextSeq(), streamSid: this.record.streamSid, mark: { name } });
  }

  private startTurn(): void {
    this.turn = {
      index: this.call.heard.length,
      startMediaMs: this.mediaMs,
      endMediaMs: undefined,
      bytesReceived: 0,
      bytesPlayed: 0,
      playedMs: 0,
      cleared: false,
      marks: [],
      audio: Buffer.alloc(0),
    };
    this.turnChunks = [];
    this.call.heard.push(this.turn);
    this.call.record("turn-start", { index: this.turn.index });
  }

  private endTurn(cleared: boolean): void {
    const t = this.turn;
    if (!t) return;
    t.cleared = cleared;
    t.endMediaMs = this.mediaMs;
    t.audio = Buffer.concat(this.turnChunks);
    this.turn = undefined;
    this.call.record("turn-end", { index: t.index, playedMs: t.playedMs, bytesReceived: t.bytesReceived, cleared });
  }

  /** Plays up to one frame of queued gateway audio; echoes marks reached. */
  private play(): void {
    let budget = FRAME_BYTES;
    while (this.playback.length > 0) {
      const head = this.playback[0]!;
      if (head.kind === "mark") {
        this.playback.shift();
        this.echoMark(head.name);
        continue;
      }
      if (budget === 0) break;
      const take = Math.min(budget, head.bytes.length - head.offset);
      const chunk = head.bytes.subarray(head.offset, head.offset + take);
      head.offset += take;
      budget -= take;
      if (this.turn) {
        this.turn.bytesPlayed += take;
        this.turn.playedMs = this.turn.bytesPlayed / MULAW_BYTES_PER_MS;
        this.turnChunks.push(chunk);
      }
      this.lastPlayedMediaMs = this.mediaMs;
      if (head.offset >= head.bytes.length) this.playback.shift();
    }
    if (this.turn && this.playback.length === 0 && this.mediaMs - this.lastPlayedMediaMs >= this.turnGapMs) this.endTurn(false);
  }

  // ── Twilio → gateway: the media clock ─────────────────────────────────────────────────────────────

  private onTick(): void {
    this.mediaMs += FRAME_MS;
    this.call.notify();
    this.play();
    this.runScript();
    if (this.finished) return;
    let frame: Buffer;
    if (this.outAudio.length > 0) {
      frame = this.outAudio.subarray(0, FRAME_BYTES);
      this.outAudio = this.outAudio.subarray(frame.length);
      if (frame.length < FRAME_BYTES) frame = Buffer.concat([frame, silenceMuLaw((FRAME_BYTES - frame.length) / MULAW_BYTES_PER_MS)]);
      if (this.outAudio.length === 0 && this.speaking) {
        this.speaking = false;
        this.speechEnd = { mediaMs: this.mediaMs, wall: this.call.wallNow };
        this.call.record("caller-speech-end", { mediaMs: this.mediaMs });
      }
    } else frame = silenceMuLaw(FRAME_MS);
    this.pendingFrames.push(frame);
    if (this.pendingFrames.length * FRAME_MS >= this.inboundFrameMs) {
      const payload = Buffer.concat(this.pendingFrames);
      this.pendingFrames = [];
      this.chunk += 1;
      this.record.framesSent += 1;
      this.send({
        event: "media",
        sequenceNumber: this.nextSeq(),
        streamSid: this.record.streamSid,
        media: { track: "inbound", chunk: String(this.chunk), timestamp: String(this.sentMediaMs), payload: payload.toString("base64") },
      });
      this.sentMediaMs += payload.length / MULAW_BYTES_PER_MS;
    }
    if (this.call.elapsedMs >= this.maxCallMs) {
      this.call.error(`call exceeded maxCallMs (${this.maxCallMs} ms); hanging up`);
      this.end("max-call-time");
    }
  }

  private speak(audio: Buffer, text: string | undefined): void {
    this.outAudio = Buffer.concat([this.outAudio, audio]);
    this.speaking = true;
    this.speechEnd = undefined;
    this.call.record("caller-speech-start", { mediaMs: this.mediaMs, ms: audio.length / MULAW_BYTES_PER_MS, text });
  }

  private runScript(): void {
    for (;;) {
      const step = this.script[this.stepIndex];
      if (!step) return;
      if (!this.stepStart) {
        this.stepStart = { mediaMs: this.mediaMs, turnIndex: this.turn ? this.turn.index : this.call.heard.length, spoke: false };
        this.call.record("caller-step", { index: this.stepIndex, kind: step.kind });
        if (step.kind === "says") this.speak(step.audio, step.text);
      }
      if (!this.stepDone(step, this.stepStart)) return;
      this.stepIndex += 1;
      this.stepStart = undefined;
      if (this.finished) return;
    }
  }

  private stepDone(step: CallerStep, start: StepState): boolean {
    const waited = this.mediaMs - start.mediaMs;
    switch (step.kind) {
      case "says":
        return this.outAudio.length === 0;
      case "pauses":
        return waited >= step.ms;
      case "presses":
        for (const digit of step.digits) {
          this.send({ event: "dtmf", streamSid: this.record.streamSid, sequenceNumber: this.nextSeq(), dtmf: { track: "inbound_track", digit } });
        }
        return true;
      case "hangsUp":
        this.call.record("caller-hangs-up");
        this.end("caller-hung-up");
        return true;
      case "waitsForReply": {
        const t = this.call.heard.find((h) => h.index >= start.turnIndex && h.endMediaMs !== undefined);
        if (t) return true;
        if (waited >= step.timeoutMs) {
          this.call.error(`caller waited ${step.timeoutMs} ms of media for the assistant to reply and heard nothing; hanging up`);
          this.end("caller-hung-up");
          return true;
        }
        return false;
      }
      case "interrupts": {
        if (start.spoke) return this.outAudio.length === 0;
        if (this.turn && this.turn.playedMs >= step.afterMs) {
          this.call.record("caller-interrupts", { turn: this.turn.index, playedMs: this.turn.playedMs });
          this.speak(step.audio, step.text);
          start.spoke = true;
          return false;
        }
        if (waited >= step.timeoutMs) {
          this.call.error(`caller waited ${step.timeoutMs} ms to interrupt after ${step.afterMs} ms of assistant audio and it never got that far; hanging up`);
          this.end("caller-hung-up");
          return true;
        }
        return false;
      }
      case "waitsUntil": {
        if (step.predicate()) return true;
        if (waited >= step.timeoutMs) {
          this.call.error(`caller waited ${step.timeoutMs} ms for ${step.description}; hanging up`);
          this.end("caller-hung-up");
          return true;
        }
        return false;
      }
    }
  }
}
