import { randomBytes } from "node:crypto";
import { WebSocket } from "ws";
import { RelayAppMessage } from "./relay-messages.ts";
import type { RelayForgery, RelayHeardTurn, RelayOutcome, RelayRecord } from "./relay-record.ts";
import type { RelayStep } from "./relay-script.ts";
import { RelayCaller } from "./relay-caller.ts";
import { twilioSignature } from "./signature.ts";
import type { TwimlNode } from "./twiml.ts";

/** What a relay session needs from its call (SimulatedCall provides it). */
export type RelayCallContext = {
  readonly sid: string;
  readonly from: string;
  readonly to: string;
  readonly direction: string;
  readonly status: string;
  record(type: string, detail?: Record<string, unknown>): void;
  error(message: string, code?: number): void;
  notify(): void;
};

/** What a relay session needs from the cloud. */
export type RelayCloudContext = {
  readonly accountSid: string;
  readonly authToken: string;
  readonly timeScale: number;
  readonly webhookTimeoutMs: number;
  transport(url: string): string;
};

export type RelayOptions = { caller: RelayStep[]; forgery: RelayForgery | undefined; maxWallMs: number };

const INVALID_MESSAGE = 64107;
const HANDSHAKE_FAILED = 64101;
const SPEECH_INTERRUPTS = new Set(["any", "speech", "true"]);

/**
 * One `<Connect><ConversationRelay>` session as Twilio runs it: signed upgrade, `setup`, the welcome
 * greeting, the scripted caller (RelayCaller), every app message validated and "spoken", `end`.
 */
export class RelaySession {
  readonly record: RelayRecord;
  readonly call: RelayCallContext;
  private readonly cloud: RelayCloudContext;
  private readonly opts: RelayOptions;
  private ws: WebSocket | undefined;
  private finished = false;
  private resolve!: (o: RelayOutcome) => void;
  private openedAt = 0;
  private readonly watchers = new Set<() => void>();
  private current: RelayHeardTurn | undefined;

  constructor(call: RelayCallContext, cloud: RelayCloudContext, node: TwimlNode, opts: RelayOptions) {
    this.call = call;
    this.cloud = cloud;
    this.opts = opts;
    const url = node.attrs["url"] ?? "";
    const customParameters: Record<string, string> = {};
    const languages: Record<string, string>[] = [];
    for (const child of node.children) {
      if (child.name === "Parameter") customParameters[child.attrs["name"] ?? ""] = child.attrs["value"] ?? "";
      else if (child.name === "Language") languages.push({ ...child.attrs });
      else call.error(`<${child.name}> is not allowed inside <ConversationRelay>`, 12200);
    }
    const language = node.attrs["language"] ?? "en-US";
    const signature =
      opts.forgery === "no-signature" ? "" : twilioSignature(opts.forgery === "wrong-signature" ? `${cloud.authToken}-forged` : cloud.authToken, url, {});
    this.record = {
      url,
      connectedTo: cloud.transport(url),
      signature,
      forgery: opts.forgery,
      sessionId: `VX${randomBytes(16).toString("hex")}`,
      attributes: { ...node.attrs },
      languages,
      customParameters,
      outcome: undefined,
      handoffData: undefined,
      closeCode: undefined,
      handshakeStatus: undefined,
      received: [],
      sent: [],
      heard: [],
      interrupts: [],
      prompts: [],
      digitsSent: [],
      languageChanges: [],
      ttsLanguage: node.attrs["ttsLanguage"] ?? language,
      transcriptionLanguage: node.attrs["transcriptionLanguage"] ?? language,
      violations: [],
      replay: undefined,
      durationMs: 0,
    };
  }

  get ended(): boolean {
    return this.finished;
  }

  /** Speech interrupts allowed by the session's `interruptible` attribute (default "any"). */
  get sessionInterruptible(): boolean {
    return SPEECH_INTERRUPTS.has(this.record.attributes["interruptible"] ?? "any");
  }

  get dtmfDetection(): boolean {
    return this.record.attributes["dtmfDetection"] === "true";
  }

  /** Calls `fn` after every message and state change until the returned function is called. */
  watch(fn: () => void): () => void {
    this.watchers.add(fn);
    return () => this.watchers.delete(fn);
  }

  changed(): void {
    for (const w of [...this.watchers]) w();
    this.call.notify();
  }

  /** Sends a message to the app and records it. */
  send(msg: Record<string, unknown>): void {
    if (this.ws?.readyState !== WebSocket.OPEN) return;
    this.ws.send(JSON.stringify(msg));
    this.record.sent.push(msg);
    this.call.record("relay-sent", { message: msg });
  }

  sendRaw(frame: string): void {
    if (this.ws?.readyState !== WebSocket.OPEN) return;
    this.ws.send(frame);
    this.record.sent.push({ raw: frame.slice(0, 200) });
    this.call.record("relay-sent-raw", { bytes: frame.length });
  }

  run(): Promise<RelayOutcome> {
    const done = new Promise<RelayOutcome>((r) => {
      this.resolve = r;
    });
    const headers: Record<string, string> = { "user-agent": "Twilio.TmeWs/1.0" };
    if (this.record.signature) headers["x-twilio-signature"] = this.record.signature;
    const ws = new WebSocket(this.record.connectedTo, { headers, handshakeTimeout: this.cloud.webhookTimeoutMs });
    this.ws = ws;
    ws.on("unexpected-response", (_req, res) => {
      this.record.handshakeStatus = res.statusCode;
      res.resume();
      ws.terminate();
      // A refused forged upgrade is what the test wants; an honest one refused is an error.
      if (!this.record.forgery || this.record.forgery === "replay") this.call.error(`relay handshake to ${this.record.url} refused with HTTP ${res.statusCode}`, HANDSHAKE_FAILED);
      this.finish("handshake-failed");
    });
    ws.on("error", (err) => {
      if (this.record.handshakeStatus !== undefined) return;
      this.call.error(`relay ${this.record.url}: ${err.message}`, HANDSHAKE_FAILED);
      this.finish("handshake-failed");
    });
    ws.on("open", () => this.onOpen());
    ws.on("message", (data, isBinary) => this.onMessage(data as Buffer, isBinary));
    ws.on("close", (code) => {
      this.record.closeCode ??= code;
      if (!this.finished) {
        this.call.record("relay-closed-by-app", { code });
        this.finish("closed-by-app");
      }
    });
    const limit = setTimeout(() => {
      if (this.finished) return;
      this.call.error(`relay session exceeded ${this.opts.maxWallMs} ms of wall time; hanging up`);
      this.end("max-call-time");
    }, this.opts.maxWallMs);
    void done.finally(() => clearTimeout(limit));
    return done;
  }

  private setupMessage(): Record<string, unknown> {
    return {
      type: "setup",
      sessionId: this.record.sessionId,
      accountSid: this.cloud.accountSid,
      parentCallSid: "",
      callSid: this.call.sid,
      from: this.call.from,
      to: this.call.to,
      forwardedFrom: "",
      callType: "PSTN",
      callerName: "",
      direction: this.call.direction,
      callStatus: this.call.status.toUpperCase(),
      customParameters: this.record.customParameters,
    };
  }

  private onOpen(): void {
    this.record.handshakeStatus = 101;
    this.openedAt = performance.now();
    this.call.record("relay-open", { url: this.record.url, sessionId: this.record.sessionId, forgery: this.record.forgery });
    if (this.record.forgery === "prompt-before-setup") this.send({ type: "prompt", voicePrompt: "hello", lang: this.record.transcriptionLanguage, last: true });
    this.send(this.setupMessage());
    const welcome = this.record.attributes["welcomeGreeting"];
    if (welcome) {
      const interruptible = SPEECH_INTERRUPTS.has(this.record.attributes["welcomeGreetingInterruptible"] ?? this.record.attributes["interruptible"] ?? "any");
      this.pushTurn({ source: "welcome", text: welcome, tokens: [welcome], complete: true, interruptible });
    }
    if (this.record.forgery === "replay") void this.replay();
    void new RelayCaller(this, this.opts.caller, this.cloud.timeScale).run();
  }

  /** A second upgrade with the same signature, then the same setup (a replayed token). */
  private async replay(): Promise<void> {
    const rec: NonNullable<RelayRecord["replay"]> = { handshakeStatus: undefined, closeCode: undefined, rejected: false, messagesReceived: 0 };
    this.record.replay = rec;
    const ws = new WebSocket(this.record.connectedTo, { headers: { "x-twilio-signature": this.record.signature, "user-agent": "Twilio.TmeWs/1.0" } });
    await new Promise<void>((resolve) => {
      const giveUp = setTimeout(() => ws.terminate(), 2_000);
      ws.on("unexpected-response", (_req, res) => {
        rec.handshakeStatus = res.statusCode;
        res.resume();
        ws.terminate();
      });
      ws.on("open", () => {
        rec.handshakeStatus = 101;
        ws.send(JSON.stringify(this.setupMessage()));
      });
      ws.on("message", () => {
        rec.messagesReceived += 1;
      });
      ws.on("close", (code) => {
        rec.closeCode = code;
        rec.rejected = code !== 1006 || rec.handshakeStatus !== 101;
        clearTimeout(giveUp);
        resolve();
      });
      ws.on("error", () => {});
    });
    this.call.record("relay-replay", { ...rec });
    this.changed();
  }

  /** Ends the session from Twilio's side (caller hung up, REST redirect, time limit). */
  end(outcome: RelayOutcome): void {
    if (this.finished) return;
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.close(1000);
    else this.ws?.terminate();
    this.finish(outcome);
  }

  private finish(outcome: RelayOutcome): void {
    if (this.finished) return;
    this.finished = true;
    this.record.outcome = outcome;
    this.record.durationMs = this.openedAt ? Math.round(performance.now() - this.openedAt) : 0;
    this.call.record("relay-ended", { outcome, closeCode: this.record.closeCode, handoffData: this.record.handoffData });
    this.changed();
    this.resolve(outcome);
  }

  pushTurn(t: Omit<RelayHeardTurn, "index" | "interrupted" | "droppedText" | "lang"> & { lang?: string }): RelayHeardTurn {
    const turn: RelayHeardTurn = { index: this.record.heard.length, interrupted: false, droppedText: "", ...t, lang: t.lang ?? this.record.ttsLanguage };
    this.record.heard.push(turn);
    this.call.record("relay-turn", { index: turn.index, source: turn.source });
    return turn;
  }

  /** The caller interrupts `turn` having heard `utterance`: `interrupt` goes to the app, the rest is never spoken. */
  interrupt(turn: RelayHeardTurn, utterance: string, durationMs: number, asString: boolean): void {
    turn.interrupted = true;
    turn.droppedText = turn.text.slice(utterance.length);
    turn.text = utterance;
    this.record.interrupts.push({ turn: turn.index, utteranceUntilInterrupt: utterance, durationUntilInterruptMs: durationMs });
    this.send({ type: "interrupt", utteranceUntilInterrupt: utterance, durationUntilInterruptMs: asString ? String(durationMs) : durationMs });
  }

  private violation(message: string): void {
    this.record.violations.push(message);
    this.call.error(`relay protocol: ${message}`, INVALID_MESSAGE);
    this.send({ type: "error", description: `Invalid message received: ${message}` });
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (this.finished) return;
    const msg = this.validate(data, isBinary);
    if (!msg) return;
    this.call.record("relay-received", { message: msg });
    switch (msg.type) {

      case "text":
        this.onText(msg.token, msg.last, msg.lang, msg.interruptible);
        break;
      case "play":
        this.pushTurn({ source: "play", text: "", tokens: [], complete: true, interruptible: (msg.interruptible ?? true) && this.sessionInterruptible, playSource: msg.source });
        break;
      case "sendDigits":
        this.record.digitsSent.push(msg.digits);
        break;
      case "language": {
        const change: RelayRecord["languageChanges"][number] = {};
        if (msg.ttsLanguage) this.record.ttsLanguage = change.ttsLanguage = msg.ttsLanguage;
        if (msg.transcriptionLanguage) this.record.transcriptionLanguage = change.transcriptionLanguage = msg.transcriptionLanguage;
        this.record.languageChanges.push(change);
        break;
      }
      case "end":
        this.record.handoffData = msg.handoffData;
        this.end("ended-by-app");
        return;
    }
    this.changed();
  }

  /** Parses and validates one app frame; an invalid one is answered with `error` and yields undefined. */
  private validate(data: Buffer, isBinary: boolean): RelayAppMessage | undefined {
    const text = data.toString("utf8");
    let json: unknown;
    try {
      json = isBinary ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    this.record.received.push(typeof json === "object" && json !== null ? (json as Record<string, unknown>) : { raw: text.slice(0, 200) });
    if (isBinary) return this.reject("binary frame; ConversationRelay takes JSON text frames");
    if (typeof json !== "object" || json === null) return this.reject(`message is not a JSON object: ${text.slice(0, 80)}`);
    const parsed = RelayAppMessage.safeParse(json);
    if (!parsed.success) {
      const type = (json as { type?: unknown }).type;
      const issue = parsed.error.issues[0]!;
      const where = issue.path.join(".");
      return this.reject(
        issue.code === "invalid_union" && where === "type"
          ? `unknown message type ${JSON.stringify(type)} (text, play, sendDigits, language, end)`
          : `${String(type)}${where ? `.${where}` : ""}: ${issue.message}`,
      );
    }
    return parsed.data;
  }

  private reject(message: string): undefined {
    this.violation(message);
    return undefined;
  }

  private onText(token: string, last: boolean, lang: string | undefined, interruptible: boolean | undefined): void {
    let turn = this.current;
    if (!turn || turn.complete) {
      turn = this.pushTurn({ source: "text", text: "", tokens: [], complete: false, interruptible: this.sessionInterruptible, lang: lang ?? this.record.ttsLanguage });
      this.current = turn;
    }
    turn.tokens.push(token);
    if (interruptible === false) turn.interruptible = false;
    if (turn.interrupted) turn.droppedText += token;
    else turn.text += token;
    if (last) {
      turn.complete = true;
      this.current = undefined;
    }
  }
}
