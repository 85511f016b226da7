import { randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { closeServer, listenOnLoopback } from "./loopback-server.ts";
import twilio from "twilio";
import { decodeForm, encodeForm, twilioSignature } from "./signature.ts";
import { type CallBehaviour, type CloudContext, newSid, SimulatedCall } from "./simulated-call.ts";
import { Waiters } from "./waiters.ts";


/** What Twilio puts in `From` when the caller withholds their number (or the network sends none). */
export const WITHHELD_CALLER_IDS: ReadonlySet<string> = new Set(["anonymous", "Anonymous", "Restricted", "Unavailable", "+266696687"]);
export type TwilioCloudOptions = {
  /** Default: a random AC… SID. */
  accountSid?: string;
  /** Default: a random 32-hex token. */
  authToken?: string;
  /**
   * The gateway's public base URL as configured in production (e.g. https://voice.example.com). URLs under it
   * are signed as written but sent to `target` instead. Leave both unset when TwiML already holds loopback URLs.
   */
  publicBaseUrl?: string;
  /** Where `publicBaseUrl` really lives in the test, e.g. http://127.0.0.1:3000. */
  target?: string;
  /** Loopback https:// / wss:// URLs are reached over plain http:// / ws:// (default true). */
  loopbackWithoutTls?: boolean;
  /** Wall-clock ms per media ms: 1 real time (default), 0.25 four times faster, 0 as fast as possible. */
  timeScale?: number;
  /** Webhook timeout in ms (Twilio: 15 s; default 15,000). */
  webhookTimeoutMs?: number;
  /** Port for the REST emulator (default: any free port). */
  restPort?: number;
};

/** How the far end of an outbound (REST-created) call behaves. */
export type CalleeBehaviour = CallBehaviour & {
  /** Who/what picks up: a human, an answering machine (AMD result) — or the call never connects. Default "human". */
  answer?: "human" | "machine_start" | "machine_end_beep" | "machine_end_silence" | "machine_end_other" | "fax" | "unknown" | "busy" | "no-answer" | "failed";
  /** Only take this behaviour for calls to this number. */
  to?: string;
};

export type PlaceCallOptions = CallBehaviour & {
  /** The voice webhook URL configured on the dialled number. */
  url: string;
  method?: "GET" | "POST";
  /** Caller ID, E.164. */
  from: string;
  /** Dialled number, E.164. */
  to: string;
};

export type RestRequestRecord = { method: string; path: string; params: Record<string, string | string[]>; status: number; body: unknown };
export type MessageRecord = { sid: string; to: string; from: string | undefined; messagingServiceSid: string | undefined; body: string; statusCallback: string | undefined };

type Json = Record<string, unknown>;

const E164 = /^\+[1-9]\d{6,14}$/;
const ERROR_INFO = (code: number) => `https://www.twilio.com/docs/errors/${code}`;

class RestError extends Error {
  readonly status: number;
  readonly code: number;
  constructor(status: number, code: number, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

function one(params: Record<string, string | string[]>, name: string): string | undefined {
  const v = params[name];
  return Array.isArray(v) ? v[0] : v;
}

function many(params: Record<string, string | string[]>, name: string): string[] {
  const v = params[name];
  return v === undefined ? [] : Array.isArray(v) ? v : v.split(/[\s,]+/).filter(Boolean);
}

/**
 * The in-process "Twilio cloud" shared by the call simulator and the REST emulator: one account, the live
 * calls by CallSid, the SMS sent. Start it with `startTwilioCloud()`.
 */
export class TwilioCloud implements CloudContext {
  readonly accountSid: string;
  readonly authToken: string;
  readonly timeScale: number;
  readonly webhookTimeoutMs: number;
  /** Every call ever placed or created, by CallSid. */
  readonly calls = new Map<string, SimulatedCall>();
  readonly messages: MessageRecord[] = [];
  /** Every REST request the emulator answered. */
  readonly restRequests: RestRequestRecord[] = [];
  /** Signed callbacks not tied to a call (SMS status), with their HTTP status. */
  readonly otherCallbacks: { url: string; params: Record<string, string>; status: number | undefined }[] = [];
  private readonly opts: TwilioCloudOptions;
  private readonly callees: CalleeBehaviour[] = [];
  private readonly waiters = new Waiters();
  private server: Server | undefined;
  private restBase = "";
  private readonly running = new Set<Promise<unknown>>();

  constructor(opts: TwilioCloudOptions = {}) {
    this.opts = opts;
    this.accountSid = opts.accountSid ?? newSid("AC");
    this.authToken = opts.authToken ?? randomBytes(16).toString("hex");
    this.timeScale = opts.timeScale ?? 1;
    this.webhookTimeoutMs = opts.webhookTimeoutMs ?? 15_000;
    if (!/^AC[0-9a-f]{32}$/.test(this.accountSid)) throw new Error(`accountSid must look like AC + 32 hex digits, got "${this.accountSid}"`);
    if (!(this.timeScale >= 0)) throw new RangeError(`timeScale must be >= 0, got ${this.timeScale}`);
    if ((opts.publicBaseUrl === undefined) !== (opts.target === undefined)) {
      throw new Error("publicBaseUrl and target go together: set both (public URL as configured, loopback URL where it runs) or neither");
    }
  }

  /** Base URL of the REST emulator (stands in for https://api.twilio.com). */
  get restUrl(): string {
    if (!this.restBase) throw new Error("the REST emulator is not started: use `await startTwilioCloud()` or `await cloud.start()`");
    return this.restBase;
  }

  transport(url: string): string {
    let out = url;
    const { publicBaseUrl, target } = this.opts;
    if (publicBaseUrl && target) {
      const pub = publicBaseUrl.replace(/\/$/, "");
      const tgt = target.replace(/\/$/, "");
      const wsPub = pub.replace(/^http/, "ws");
      if (out.startsWith(pub)) out = tgt + out.slice(pub.length);
      else if (out.startsWith(wsPub)) out = tgt.replace(/^http/, "ws") + out.slice(wsPub.length);
    }
    if (this.opts.loopbackWithoutTls ?? true) {
      const m = /^(https|wss):\/\/(127\.0\.0\.1|localhost|\[::1\])([:/?#]|$)/.exec(out);
      if (m) out = (m[1] === "https" ? "http" : "ws") + out.slice(m[1]!.length);
    }
    return out;
  }

  onCallEnded(): void {
    this.notify();
  }

  private notify(): void {
    this.waiters.notify();
  }

  private track(p: Promise<unknown>): void {
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
  }

  /**
   * An inbound call: Twilio posts the number's voice webhook (signed), follows the TwiML, streams media,
   * posts status callbacks. Returns at once; `await call.done` for the end.
   */
  placeCall(opts: PlaceCallOptions): SimulatedCall {
    if (!E164.test(opts.from) && !WITHHELD_CALLER_IDS.has(opts.from)) {
      throw new Error(`placeCall: from must be E.164 (e.g. +14155550123) or a withheld caller ID (${[...WITHHELD_CALLER_IDS].join(", ")}), got "${opts.from}"`);
    }
    if (!E164.test(opts.to)) throw new Error(`placeCall: to must be E.164 (e.g. +14155550123), got "${opts.to}"`);
    if (!URL.canParse(opts.url)) throw new Error(`placeCall: url must be an absolute URL, got "${opts.url}"`);
    const { url, method, from, to, ...behaviour } = opts;
    const call = new SimulatedCall(this, { from, to, direction: "inbound", behaviour });
    this.calls.set(call.sid, call);
    this.notify();
    this.track(
      call.run(async () => {
        call.setStatus("ringing", "ringing");
        const doc = await call.fetchTwiml("voice", url, method ?? "POST");
        if (doc) call.setStatus("in-progress", "answered");
        return doc;
      }),
    );
    return call;
  }

  /** Queues how the next outbound call (optionally: the next one to `to`) is answered. */
  nextCallee(behaviour: CalleeBehaviour): void {
    this.callees.push(behaviour);
  }

  /** Resolves with the first call (existing or future) that matches. */
  async waitForCall(predicate: (c: SimulatedCall) => boolean = () => true, timeoutMs = 10_000): Promise<SimulatedCall> {
    const find = () => [...this.calls.values()].find(predicate);
    await this.waiters.until(
      () => find() !== undefined,
      timeoutMs,
      () => new Error(`no matching call within ${timeoutMs} ms (calls so far: ${[...this.calls.keys()].join(", ") || "none"})`),
    );
    return find()!;
  }

  /** Posts a signed form callback that belongs to no call (e.g. SMS status). */
  async postSigned(url: string, params: Record<string, string>): Promise<number | undefined> {
    const rec: TwilioCloud["otherCallbacks"][number] = { url, params, status: undefined };
    this.otherCallbacks.push(rec);
    try {
      const res = await fetch(this.transport(url), {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "X-Twilio-Signature": twilioSignature(this.authToken, url, params) },
        body: encodeForm(params),
        signal: AbortSignal.timeout(this.webhookTimeoutMs),
      });
      await res.arrayBuffer();
      rec.status = res.status;
    } catch {
      rec.status = undefined;
    }
    return rec.status;
  }

  // ── REST emulator ─────────────────────────────────────────────────────────────────────────────────

  async start(): Promise<this> {
    if (this.server) return this;
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    this.restBase = await listenOnLoopback(server, this.opts.restPort);
    return this;
  }

  /** Resolves once every call in progress has ended and every pending callback (SMS status…) was posted. */
  async settle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /** Hangs up live calls, waits for them to finish, closes the REST emulator. */
  async close(): Promise<void> {
    for (const call of this.calls.values()) call.hangUp();
    await Promise.allSettled([...this.running]);
    if (this.server) {
      await closeServer(this.server);
      this.server = undefined;
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? "/", "http://emulator");
    const params = decodeForm(req.method === "GET" ? url.search.slice(1) : Buffer.concat(chunks).toString("utf8"));
    let status = 200;
    let body: unknown;
    try {
      this.authenticate(req, url.pathname);
      ({ status, body } = this.route(req.method ?? "GET", url.pathname, params));
    } catch (err) {
      if (!(err instanceof RestError)) throw err;
      status = err.status;
      body = { code: err.code, message: err.message, more_info: ERROR_INFO(err.code), status: err.status };
    }
    this.restRequests.push({ method: req.method ?? "GET", path: url.pathname, params, status, body });
    res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Twilio-Request-Id": newSid("RQ") });
    res.end(JSON.stringify(body));
  }

  private authenticate(req: IncomingMessage, path: string): void {
    const expected = Buffer.from(`Basic ${Buffer.from(`${this.accountSid}:${this.authToken}`).toString("base64")}`);
    const got = Buffer.from(req.headers.authorization ?? "");
    if (got.length !== expected.length || !timingSafeEqual(got, expected)) throw new RestError(401, 20003, "Authenticate");
    const m = /^\/2010-04-01\/Accounts\/([^/]+)/.exec(path);
    if (m && m[1] !== this.accountSid) throw new RestError(404, 20404, `The requested resource ${path} was not found`);
  }

  private route(method: string, path: string, params: Record<string, string | string[]>): { status: number; body: unknown } {
    const base = `/2010-04-01/Accounts/${this.accountSid}`;
    if (path === `${base}/Calls.json` && method === "POST") return { status: 201, body: this.createCall(params) };
    const callMatch = new RegExp(`^${base}/Calls/([^/]+)\\.json$`).exec(path);
    if (callMatch) {
      const call = this.calls.get(callMatch[1]!);
      if (!call) throw new RestError(404, 20404, `The requested resource ${path} was not found`);
      if (method === "GET") return { status: 200, body: this.callJson(call) };
      if (method === "POST") return { status: 200, body: this.updateCall(call, params) };
    }
    if (path === `${base}/Messages.json` && method === "POST") return { status: 201, body: this.createMessage(params) };
    throw new RestError(404, 20404, `The requested resource ${path} was not found`);
  }

  private callJson(call: SimulatedCall): Json {
    const now = new Date().toUTCString();
    const uri = `/2010-04-01/Accounts/${this.accountSid}/Calls/${call.sid}.json`;
    return {
      sid: call.sid,
      date_created: now,
      date_updated: now,
      parent_call_sid: null,
      account_sid: this.accountSid,
      to: call.to,
      to_formatted: call.to,
      from: call.from,
      from_formatted: call.from,
      phone_number_sid: null,
      status: call.status,
      start_time: null,
      end_time: call.ended ? now : null,
      duration: call.ended ? String(Math.ceil(call.elapsedMs / 1000)) : null,
      price: null,
      price_unit: "USD",
      direction: call.direction,
      answered_by: call.answeredBy ?? null,
      api_version: "2010-04-01",
      forwarded_from: null,
      group_sid: null,
      caller_name: null,
      queue_time: "0",
      trunk_sid: null,
      uri,
      subresource_uris: {
        notifications: uri.replace(".json", "/Notifications.json"),
        recordings: uri.replace(".json", "/Recordings.json"),
      },
    };
  }

  private createCall(params: Record<string, string | string[]>): Json {
    const to = one(params, "To");
    const from = one(params, "From");
    const url = one(params, "Url");
    const twiml = one(params, "Twiml");
    if (!to) throw new RestError(400, 21201, "No 'To' number is specified");
    if (!E164.test(to)) throw new RestError(400, 21211, `Invalid 'To' Phone Number: ${to}`);
    if (!from) throw new RestError(400, 21213, "No 'From' number is specified");
    if (!E164.test(from)) throw new RestError(400, 21212, `Invalid 'From' Phone Number: ${from}`);
    if (!url && !twiml) throw new RestError(400, 21205, "Either Url, Twiml or ApplicationSid is required");
    if (url && twiml) throw new RestError(400, 21205, "Url and Twiml are mutually exclusive");
    if (url && !URL.canParse(url)) throw new RestError(400, 21205, `Url is not a valid URL: ${url}`);
    if (twiml && twiml.length > 4000) throw new RestError(400, 21232, "Twiml exceeds the maximum length of 4000 characters");
    const amd = one(params, "MachineDetection");
    if (amd && amd !== "Enable" && amd !== "DetectMessageEnd") throw new RestError(400, 21218, `Invalid MachineDetection value: ${amd}`);
    const asyncAmd = one(params, "AsyncAmd") === "true";
    const idx = this.callees.findIndex((c) => c.to === undefined || c.to === to);
    const callee = idx >= 0 ? this.callees.splice(idx, 1)[0]! : {};
    const { answer = "human", to: _to, ...behaviour } = callee;
    const events = many(params, "StatusCallbackEvent");
    const call = new SimulatedCall(this, {
      from,
      to,
      direction: "outbound-api",
      behaviour: {
        ...behaviour,
        statusCallback: one(params, "StatusCallback"),
        statusCallbackMethod: one(params, "StatusCallbackMethod") === "GET" ? "GET" : "POST",
        statusCallbackEvent: events.length > 0 ? events : ["completed"],
      },
    });
    this.calls.set(call.sid, call);
    this.notify();
    const created = this.callJson(call);
    const answerLater = async () => {
      // Twilio answers the REST request (status "queued") before the call starts progressing.
      await new Promise((r) => setImmediate(r));
      await call.run(async () => {
        call.setStatus("initiated", "initiated");
        call.setStatus("ringing", "ringing");
        if (answer === "busy" || answer === "no-answer" || answer === "failed") {
          call.setStatus(answer, "completed");
          return undefined;
        }
        if (amd) {
          call.answeredBy = answer;
          if (!asyncAmd) call.extraParams["AnsweredBy"] = answer;
        }
        call.setStatus("in-progress", "answered");
        if (amd && asyncAmd) {
          const amdUrl = one(params, "AsyncAmdStatusCallback");
          const post = () => {
            call.record("amd", { answeredBy: answer });
            call.callback("amd", amdUrl, {
              AccountSid: this.accountSid,
              CallSid: call.sid,
              AnsweredBy: answer,
              MachineDetectionDuration: "2100",
            }, one(params, "AsyncAmdStatusCallbackMethod") === "GET" ? "GET" : "POST");
          };
          setTimeout(post, 100 * this.timeScale);
        }
        if (twiml) return { xml: twiml, url: "(inline)" };
        return call.fetchTwiml("voice", url!, one(params, "Method") === "GET" ? "GET" : "POST");
      });
    };
    this.track(answerLater());
    return created;
  }

  private updateCall(call: SimulatedCall, params: Record<string, string | string[]>): Json {
    const twiml = one(params, "Twiml");
    const url = one(params, "Url");
    const status = one(params, "Status");
    if (status !== undefined && status !== "completed" && status !== "canceled") {
      throw new RestError(400, 21218, `Invalid Status: ${status} (completed or canceled)`);
    }
    if (twiml && url) throw new RestError(400, 21205, "Url and Twiml are mutually exclusive");
    if (!twiml && !url && !status) throw new RestError(400, 21205, "Nothing to update: give Twiml, Url or Status");
    if (twiml && twiml.length > 4000) throw new RestError(400, 21232, "Twiml exceeds the maximum length of 4000 characters");
    if (url && !URL.canParse(url)) throw new RestError(400, 21205, `Url is not a valid URL: ${url}`);
    if (call.ended) throw new RestError(400, 21220, "Call is not in-progress. Cannot redirect.");
    if (status) call.update({ hangup: true });
    else if (twiml) call.update({ twiml });
    else call.update({ url: url!, method: one(params, "Method") === "GET" ? "GET" : "POST" });
    return this.callJson(call);
  }

  private createMessage(params: Record<string, string | string[]>): Json {
    const to = one(params, "To");
    const from = one(params, "From");
    const messagingServiceSid = one(params, "MessagingServiceSid");
    const body = one(params, "Body");
    if (!to) throw new RestError(400, 21604, "A 'To' phone number is required.");
    if (!E164.test(to)) throw new RestError(400, 21211, `Invalid 'To' Phone Number: ${to}`);
    if (!from && !messagingServiceSid) throw new RestError(400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required to send a message");
    if (from && !E164.test(from)) throw new RestError(400, 21212, `Invalid 'From' Phone Number: ${from}`);
    if (!body) throw new RestError(400, 21602, "Message body is required.");
    if (body.length > 1600) throw new RestError(400, 21617, "The concatenated message body exceeds the 1600 character limit.");
    const sid = newSid("SM");
    const statusCallback = one(params, "StatusCallback");
    this.messages.push({ sid, to, from, messagingServiceSid, body, statusCallback });
    if (statusCallback) {
      const base = { AccountSid: this.accountSid, ApiVersion: "2010-04-01", MessageSid: sid, SmsSid: sid, To: to, From: from ?? "+15005550006" };
      const p = (async () => {
        for (const s of ["sent", "delivered"]) await this.postSigned(statusCallback, { ...base, MessageStatus: s, SmsStatus: s });
      })();
      this.track(p);
    }
    const now = new Date().toUTCString();
    return {
      sid,
      account_sid: this.accountSid,
      to,
      from: from ?? null,
      messaging_service_sid: messagingServiceSid ?? null,
      body,
      status: messagingServiceSid && !from ? "accepted" : "queued",
      num_segments: String(Math.max(1, Math.ceil(body.length / 153))),
      num_media: "0",
      direction: "outbound-api",
      api_version: "2010-04-01",
      price: null,
      price_unit: "USD",
      error_code: null,
      error_message: null,
      date_created: now,
      date_updated: now,
      date_sent: null,
      uri: `/2010-04-01/Accounts/${this.accountSid}/Messages/${sid}.json`,
      subresource_uris: { media: `/2010-04-01/Accounts/${this.accountSid}/Messages/${sid}/Media.json` },
    };
  }
}

/** Creates a TwilioCloud and starts its REST emulator. */
export async function startTwilioCloud(opts: TwilioCloudOptions = {}): Promise<TwilioCloud> {
  return new TwilioCloud(opts).start();
}

/**
 * The real `twilio` client, aimed at the cloud's REST emulator through its `httpClient` option
 * (docs/PROTOCOLS.md §4): every https://*.twilio.com request goes to the emulator instead.
 */
export function twilioClientFor(cloud: TwilioCloud): twilio.Twilio {
  const real = new twilio.RequestClient();
  const httpClient = {
    request: (o: Parameters<typeof real.request>[0]) => real.request({ ...o, uri: o.uri.replace(/^https:\/\/[a-z0-9.-]*twilio\.com/, cloud.restUrl) }),
  } as unknown as InstanceType<typeof twilio.RequestClient>;
  return twilio(cloud.accountSid, cloud.authToken, { httpClient });
}
