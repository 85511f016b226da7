import { FRAME_MS } from "./audio.ts";
import type {
  AssistantTurn,
  CallBehaviour,
  CallError,
  CallRedirect,
  CallStatus,
  CloudContext,
  DialOutcome,
  DialRecord,
  GatherAnswer,
  GatherRecord,
  LatencyRecord,
  SaidRecord,
  StreamRecord,
  TimelineEntry,
  TwimlDoc,
} from "./call-types.ts";
import { SimulatedCallError } from "./call-types.ts";
import { appendQuery, newSid, sleep } from "./call-util.ts";
import { runVerb } from "./call-verbs.ts";
import type { LiveStream } from "./live-stream.ts";
import type { RelayRecord } from "./relay-record.ts";
import type { RelaySession } from "./relay-session.ts";
import { encodeForm, twilioSignature } from "./signature.ts";
import { Waiters } from "./waiters.ts";
import { parseTwiml, type TwimlNode } from "./twiml.ts";

export * from "./call-types.ts";
export { newSid } from "./call-util.ts";

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
  readonly twiml: TwimlDoc[] = [];
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
  readonly gathers: GatherRecord[] = [];
  /** Webhook and callback requests the simulator made (URL as signed). */
  readonly requests: { url: string; method: string; params: Record<string, string>; status: number | undefined; kind: string }[] = [];
  /** Protocol violations by our server and Twilio-side failures; assertNoErrors() fails on any. */
  readonly errors: CallError[] = [];
  /** Twilio warnings (e.g. 13335): worth knowing, not failures. */
  readonly warnings: CallError[] = [];
  /** Resolves when the call has ended and every callback has been posted. */
  readonly done: Promise<SimulatedCall>;

  /** @internal */ readonly cloud: CloudContext;
  /** @internal */ readonly behaviour: CallBehaviour;
  private readonly startWall = performance.now();
  private callMs = 0;
  private redirect: CallRedirect | undefined;
  private verbAbort = new AbortController();
  private readonly pendingCallbacks: Promise<unknown>[] = [];
  private resolveDone!: (c: SimulatedCall) => void;
  private readonly waiters = new Waiters();
  private statusSeq = 0;
  private gatherIndex = 0;
  private dialIndex = 0;
  /** @internal The open media stream / relay session, ended by hangUp() and update(). */
  liveStream: LiveStream | undefined;
  /** @internal */ liveRelay: RelaySession | undefined;
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
    this.waiters.notify();
  }

  /** Records a Twilio warning (not a failure). */
  warn(message: string, code?: number): void {
    this.warnings.push({ code, message });
    this.record("warning", { code, message });
  }

  error(message: string, code?: number): void {
    this.errors.push({ code, message });
    this.record("error", { code, message });
  }

  /** Resolves once `predicate()` holds (checked after every timeline entry); rejects after `timeoutMs` wall time. */
  waitFor(predicate: (call: SimulatedCall) => boolean, description = "condition", timeoutMs = 10_000): Promise<void> {
    return this.waiters.until(
      () => predicate(this),
      timeoutMs,
      () => new SimulatedCallError(`call ${this.sid}: timed out after ${timeoutMs} ms waiting for ${description}`),
    );
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
  update(redirect: CallRedirect): void {
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
  async fetchTwiml(kind: string, url: string, method: "GET" | "POST", extra: Record<string, string> = {}): Promise<TwimlDoc | undefined> {
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
  async run(first: () => Promise<TwimlDoc | undefined>): Promise<void> {
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

  private async takeRedirect(): Promise<TwimlDoc | undefined> {
    const r = this.redirect;
    this.redirect = undefined;
    this.verbAbort = new AbortController();
    if (!r || "hangup" in r) return undefined;
    if ("twiml" in r) return { xml: r.twiml, url: "(inline)" };
    return this.fetchTwiml("redirect", r.url, r.method);
  }

  /** Absolute URLs are kept exactly as written (Twilio signs them as given); relative ones resolve against the document. */
  /** @internal */ resolveUrl(ref: string | undefined, docUrl: string): string | undefined {
    if (ref === undefined || ref === "") return undefined;
    if (URL.canParse(ref)) return ref;
    if (docUrl !== "(inline)" && URL.canParse(ref, docUrl)) return new URL(ref, docUrl).toString();
    this.error(`URL "${ref}" is not absolute and cannot be resolved against ${docUrl} (inline TwiML needs absolute URLs)`, 11100);
    return undefined;
  }

  /** @internal */ method(node: TwimlNode): "GET" | "POST" {
    return node.attrs["method"]?.toUpperCase() === "GET" ? "GET" : "POST";
  }

  /** Runs one document; returns the next one to run (action/redirect), or undefined when the call ends. */
  private async runDocument(doc: TwimlDoc): Promise<TwimlDoc | undefined> {
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
      const next = await runVerb(this, verb, doc.url);
      if (next === "hangup") return undefined;
      if (next) return next;
    }
    return undefined;
  }

  /** @internal */ say(node: TwimlNode, where: SaidRecord["where"]): void {
    this.said.push({ text: node.text, voice: node.attrs["voice"], language: node.attrs["language"], where });
    this.record("say", { text: node.text, voice: node.attrs["voice"], where });
  }

  /** @internal */ async pause(node: TwimlNode): Promise<void> {
    const seconds = Number(node.attrs["length"] ?? "1");
    if (!Number.isFinite(seconds) || seconds < 0) this.error(`<Pause length="${node.attrs["length"]}"> is not a number of seconds`, 13910);
    const ms = Math.max(0, seconds) * 1000;
    this.record("pause", { ms });
    await sleep(ms * this.cloud.timeScale, this.verbAbort.signal);
    this.callMs += ms;
  }


  // ── internals for the verb and session modules (not for tests) ──────────────────────────────────
  /** @internal */ get wallNow(): number {
    return performance.now() - this.startWall;
  }

  /** @internal Adds call time spent outside a live stream (pauses, bridged dials, relay sessions). */
  addCallMs(ms: number): void {
    this.callMs += ms;
  }

  /** @internal */ nextGatherAnswer(): GatherAnswer {
    return this.behaviour.gatherAnswers?.[this.gatherIndex++] ?? "timeout";
  }

  /** @internal */ nextDialOutcome(): DialOutcome {
    return this.behaviour.dialOutcomes?.[this.dialIndex++] ?? { status: "completed", durationSec: 30 };
  }
}
