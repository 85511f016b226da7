import { context, propagation, ROOT_CONTEXT, SpanStatusCode, trace } from "@opentelemetry/api";
import {
  createRealtimeToTwilioState,
  createTwilioToRealtimeState,
  type RealtimeToTwilioState,
  realtimePcmToTwilio,
  type TwilioToRealtimeState,
  twilioToRealtimePcm,
} from "@orderline/audio";
import {
  type CallEvent,
  type EscalationReason,
  isToolName,
  type RequestEnvelopeInput,
  realtimeTools,
  TOOLS,
  type ToolName,
  type ToolReply,
  toolSubject,
  type TranscriptEntry,
} from "@orderline/contracts";
import { NatsRequestError, type NatsConnection, requestTool } from "@orderline/nats";
import type { Logger } from "@orderline/telemetry";
import type { RealtimeClientEvent } from "openai/resources/realtime/realtime";
import WebSocket from "ws";
import type { GatewayConfig } from "../env.ts";
import { apologyInstructions, buildInstructions, resumeNote } from "../domain/instructions.ts";
import type { CallFinalizer } from "../finalize.ts";
import type { GatewayMetrics } from "../metrics.ts";
import type { CallSession } from "../state/session.ts";
import type { CallStore } from "../state/store.ts";
import type { CallTransferer } from "../transfer.ts";
import { type Lang, langOf, texts } from "../twiml.ts";
import { base64DecodedLength, base64StringDecodedLength, markName, parseMarkName, sliceRealtimeDelta, sliceTwilioMedia } from "./wire.ts";

const tracer = trace.getTracer("telephony-gateway");

/** Shared plain counters the per-frame path bumps; the service moves them into Prometheus once a second. */
export interface FrameCounters {
  framesIn: number;
  framesOut: number;
  appendsOut: number;
}

export interface BridgeDeps {
  config: GatewayConfig;
  store: CallStore;
  finalizer: CallFinalizer;
  transferer: CallTransferer;
  nc: NatsConnection;
  metrics: GatewayMetrics;
  counters: FrameCounters;
  logger: Logger;
  /** Called once when the bridge is done (both sockets closed). */
  onClosed: (bridge: CallBridge) => void;
  /** Called once the stream passed its token check (the call is live on this pod). */
  onLive: (bridge: CallBridge) => void;
}

type State = "awaiting-start" | "starting" | "live" | "closed";

/** Assistant audio of the item being played: what was sent, what Twilio says was played. */
interface PlayingItem {
  itemId: string;
  sentMs: number;
  lastMarkMs: number;
  firstSentAt: number;
  echoMs: number;
  echoAt: number;
  /** response.output_audio.done seen: no more audio for this item. */
  done: boolean;
}

const APPEND_PREFIX = '{"type":"input_audio_buffer.append","audio":"';
const APPEND_PREFIX_BUF = Buffer.from(APPEND_PREFIX);
const JSON_STRING_END = Buffer.from('"}');
const TWILIO_MEDIA_END = Buffer.from('"}}');
const HEARTBEAT_MS = 10_000;

/** Tool errors that mean "we could not answer what the caller asked". */
const UNANSWERED_CODES = new Set(["not_on_menu", "ambiguous_item", "unknown_category", "invalid_day", "line_not_found", "ambiguous_line"]);
const UNANSWERED_HINT =
  "This is the second time in a row you could not answer the caller. Offer to connect them to a team member (transfer_to_human with reason unanswered_question).";

const TRANSIENT_FAILURE_OUTPUT = {
  error: {
    code: "timeout",
    message: "The restaurant system did not answer in time. Tell the caller you are having a little trouble and try once more.",
  },
};

/**
 * One phone call's media stream bridged to one Realtime session. Created for every upgraded `/voice/stream`
 * socket; does nothing (and opens nothing) until `start` carries a valid single-use token for its call.
 */
export class CallBridge {
  readonly deps: BridgeDeps;
  readonly twilio: WebSocket;
  readonly log: Logger;
  state: State = "awaiting-start";
  callSid: string | null = null;
  streamSid: string | null = null;
  session: CallSession | null = null;
  lang: Lang = "en";

  private realtime: WebSocket | null = null;
  private realtimeOpenedAt = 0;
  private readonly audioMode: GatewayConfig["AUDIO_MODE"];
  private readonly batchBytes: number;
  private upBuf: Buffer;
  private upLen = 0;
  private upState: TwilioToRealtimeState | null = null;
  private downState: RealtimeToTwilioState | null = null;
  private twilioPrefix: Buffer = Buffer.alloc(0);

  private generation = 0;
  private playing: PlayingItem | null = null;
  private readonly discardItems = new Set<string>();
  private playbackWaiters: Array<() => void> = [];

  private activeResponse: string | null = null;
  private responseWaiters: Array<() => void> = [];
  private pendingTools = 0;
  private needResponse = false;
  private transferring = false;
  /** A technical hand-off is under way (apology playing): no second one, no new responses. */
  private handingOff = false;
  private closingRealtimeOnPurpose = false;
  private stopped = false;

  private startTimer: NodeJS.Timeout | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private rotateTimer: NodeJS.Timeout | null = null;
  /**
   * The caller started speaking and the model has not started answering yet: their words are in the
   * current Realtime session's input buffer, so the session must not be swapped out now.
   */
  private callerTurnOpen = false;
  private parentContext = ROOT_CONTEXT;

  constructor(deps: BridgeDeps, twilioWs: WebSocket) {
    this.deps = deps;
    this.twilio = twilioWs;
    this.log = deps.logger;
    this.audioMode = deps.config.AUDIO_MODE;
    const bytesPerMs = this.audioMode === "pcmu" ? 8 : 48;
    this.batchBytes = deps.config.AUDIO_BATCH_MS * bytesPerMs;
    this.upBuf = Buffer.allocUnsafe(this.batchBytes + 4096);
    twilioWs.on("message", (data: Buffer, isBinary: boolean) => this.onTwilioMessage(data, isBinary));
    twilioWs.on("close", () => this.onTwilioClose());
    twilioWs.on("error", (err) => this.log.warn({ err, callSid: this.callSid }, "twilio socket error"));
    this.startTimer = setTimeout(() => this.reject("no start event in time"), deps.config.STREAM_START_TIMEOUT_MS);
    this.startTimer.unref();
  }

  // ---------------------------------------------------------------------------------------------------------
  // Twilio side

  private onTwilioMessage(data: Buffer, isBinary: boolean): void {
    if (isBinary) return;
    if (this.state === "live") {
      const media = sliceTwilioMedia(data);
      if (media !== null) {
        this.deps.counters.framesIn++;
        this.forwardUp(data, media.start, media.end);
        return;
      }
    }
    let msg: TwilioMessage;
    try {
      msg = JSON.parse(data.toString("utf8")) as TwilioMessage;
    } catch {
      this.log.warn({ callSid: this.callSid }, "twilio sent a frame that is not JSON");
      return;
    }
    switch (msg.event) {
      case "connected":
        return;
      case "start":
        if (this.state === "awaiting-start") {
          this.state = "starting";
          void this.onStart(msg).catch((err: unknown) => {
            this.log.error({ err, callSid: this.callSid }, "stream start failed");
            this.deps.metrics.errors.inc({ kind: "stream_start" });
            if (this.session) void this.technicalTransfer("stream start failed", false);
            else this.reject("stream start failed");
          });
        }
        return;
      case "media":
        // Before the call is live (token check, Realtime connecting) caller audio is dropped: the model speaks first.
        if (this.state === "live" && msg.media?.payload) {
          this.deps.counters.framesIn++;
          const b = Buffer.from(`"${msg.media.payload}"`, "latin1");
          this.forwardUp(b, 1, b.length - 1);
        }
        return;
      case "mark":
        if (msg.mark?.name) this.onMarkEcho(msg.mark.name);
        return;
      case "stop":
        void this.onStop();
        return;
      case "dtmf":
        return;
      default:
        return;
    }
  }

  private reject(reason: string): void {
    if (this.state === "closed") return;
    this.log.warn({ reason, callSid: this.callSid }, "media stream rejected");
    this.deps.metrics.rejectedStreams.inc({ reason: reason.startsWith("token") ? "token" : reason.replace(/\s+/g, "_").slice(0, 40) });
    this.state = "closed";
    this.clearTimers();
    this.twilio.close(1008, "rejected");
    this.deps.onClosed(this);
  }

  private async onStart(msg: TwilioMessage): Promise<void> {
    const start = msg.start;
    const callSid = start?.callSid;
    const token = start?.customParameters?.callToken;
    const streamSid = msg.streamSid ?? start?.streamSid;
    if (!callSid || !token || !streamSid) return this.reject("token missing from start");
    const tokenCall = await this.deps.store.consumeToken(token);
    if (tokenCall === null) return this.reject("token unknown or already used");
    if (tokenCall !== callSid) return this.reject("token issued for another call");
    if (this.state !== "starting") return; // the socket closed meanwhile
    const session = await this.deps.store.getSession(callSid);
    if (!session || session.phase === "ended" || session.phase === "transferred") return this.reject("call is not live");
    if (this.startTimer) clearTimeout(this.startTimer);
    this.callSid = callSid;
    this.streamSid = streamSid;
    this.session = session;
    this.lang = langOf(session.location.language);
    this.twilioPrefix = Buffer.from(`{"event":"media","streamSid":"${streamSid}","media":{"payload":"`);
    if (session.traceparent) this.parentContext = propagation.extract(ROOT_CONTEXT, { traceparent: session.traceparent });
    const streams = await this.deps.store.incr(callSid, "streams");
    const resumed = streams > 1;
    await this.deps.store.patch(callSid, { streamSid, phase: "live", heartbeatAt: Date.now(), model: this.deps.config.OPENAI_REALTIME_MODEL });
    await this.event(resumed ? "stream_resumed" : "stream_started", { streamSid, stream: streams });
    if (resumed) this.deps.metrics.resumes.inc();
    if (this.isOver()) return; // stopped or dropped during the awaits above
    this.heartbeatTimer = setInterval(() => {
      if (this.callSid) void this.deps.store.heartbeat(this.callSid).catch(() => {});
    }, HEARTBEAT_MS);
    this.heartbeatTimer.unref();
    if (this.audioMode === "pcm24k") {
      this.upState = createTwilioToRealtimeState();
      this.downState = createRealtimeToTwilioState();
    }
    this.deps.onLive(this);
    this.log.info({ callSid, streamSid, resumed, location: session.location.id }, "media stream started");

    try {
      const ws = await this.connectRealtime();
      if (this.isOver()) {
        // The caller hung up (or the stream dropped) while we were connecting.
        ws.close(1000);
        return;
      }
      this.attachRealtime(ws);
    } catch (err) {
      if (this.isOver()) return;
      this.log.error({ err, callSid }, "realtime connect failed");
      this.deps.metrics.errors.inc({ kind: "realtime_connect" });
      await this.event("realtime_error", { phase: "connect", message: errMessage(err) });
      this.state = "live";
      await this.technicalTransfer("realtime connect failed", false);
      return;
    }
    this.sendRealtime(this.sessionUpdate());
    if (resumed) await this.sendResumeContext("reconnected");
    if (this.isOver()) return;
    this.state = "live";
    this.requestResponse();
    this.scheduleRotation();
  }

  private async onStop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const callSid = this.callSid;
    this.flushUp();
    this.closeRealtime();
    if (callSid && this.session) {
      try {
        const s = await this.deps.store.getSession(callSid);
        // A REST redirect (transfer) also stops the stream: that call is not over, the status callback ends it.
        const reason = s?.phase === "transferred" || s?.phase === "transferring" ? "transferred" : "caller_hung_up";
        if (reason !== "transferred") await this.deps.finalizer.finalize(callSid, { reason: "stream_stopped" });
        else await this.deps.store.patch(callSid, { heartbeatAt: 0 });
      } catch (err) {
        this.log.error({ err, callSid }, "finalization after stop failed");
      }
    }
    this.shutdown();
  }

  /** The stream is gone (stopped or closed); read through a method so narrowing across awaits does not lie. */
  private isOver(): boolean {
    return this.state === "closed" || this.stopped;
  }

  private onTwilioClose(): void {
    if (this.state === "closed" || this.stopped) return; // after a stop, onStop finishes (finalization) and shuts down
    // Without a stop the call may still be up (the socket dropped): leave the session for after-stream to resume.
    this.flushUp();
    this.closeRealtime();
    if (this.callSid && !this.stopped) void this.deps.store.patch(this.callSid, { heartbeatAt: 0 }).catch(() => {});
    this.shutdown();
  }

  private shutdown(): void {
    if (this.state === "closed") return;
    this.state = "closed";
    this.clearTimers();
    for (const w of this.playbackWaiters.splice(0)) w();
    for (const w of this.responseWaiters.splice(0)) w();
    if (this.twilio.readyState === WebSocket.OPEN) this.twilio.close(1000);
    this.deps.onClosed(this);
  }

  private clearTimers(): void {
    for (const t of [this.startTimer, this.heartbeatTimer, this.rotateTimer]) if (t) clearTimeout(t);
    this.startTimer = this.heartbeatTimer = this.rotateTimer = null;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Audio up: Twilio → Realtime, batched

  private forwardUp(src: Buffer, start: number, end: number): void {
    const rt = this.realtime;
    if (rt === null || rt.readyState !== WebSocket.OPEN) return;
    if (this.audioMode === "pcmu") {
      if (this.batchBytes <= 160 && this.upLen === 0) {
        // One frame per append: no decode at all, the base64 text goes through as is.
        rt.send(Buffer.concat([APPEND_PREFIX_BUF, src.subarray(start, end), JSON_STRING_END]), { binary: false });
        this.deps.counters.appendsOut++;
        return;
      }
      const b64 = src.toString("latin1", start, end);
      const need = base64StringDecodedLength(b64);
      if (this.upLen + need > this.upBuf.length) this.growUp(need);
      this.upLen += this.upBuf.write(b64, this.upLen, "base64");
    } else {
      const mulaw = Buffer.from(src.toString("latin1", start, end), "base64");
      const need = mulaw.length * 6;
      if (this.upLen + need > this.upBuf.length) this.growUp(need);
      twilioToRealtimePcm(mulaw, this.upState!, this.upBuf.subarray(this.upLen, this.upLen + need));
      this.upLen += need;
    }
    if (this.upLen >= this.batchBytes) this.flushUp();
  }

  private growUp(need: number): void {
    this.flushUp();
    if (need > this.upBuf.length) this.upBuf = Buffer.allocUnsafe(need + this.batchBytes);
  }

  private flushUp(): void {
    if (this.upLen === 0) return;
    const rt = this.realtime;
    if (rt !== null && rt.readyState === WebSocket.OPEN) {
      rt.send(`${APPEND_PREFIX}${this.upBuf.toString("base64", 0, this.upLen)}"}`);
      this.deps.counters.appendsOut++;
    }
    this.upLen = 0;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Audio down: Realtime → Twilio, marks, barge-in

  private forwardDown(buf: Buffer, start: number, end: number, itemId: string): void {
    if (this.discardItems.has(itemId) || this.twilio.readyState !== WebSocket.OPEN) return;
    let ms: number;
    if (this.audioMode === "pcmu") {
      ms = base64DecodedLength(buf, start, end) / 8;
      this.twilio.send(Buffer.concat([this.twilioPrefix, buf.subarray(start, end), TWILIO_MEDIA_END]), { binary: false });
    } else {
      const pcm = Buffer.from(buf.toString("latin1", start, end), "base64");
      const mulaw = realtimePcmToTwilio(pcm, this.downState!);
      if (mulaw.length === 0) return;
      ms = mulaw.length / 8;
      this.twilio.send(`{"event":"media","streamSid":"${this.streamSid}","media":{"payload":"${Buffer.from(mulaw.buffer, mulaw.byteOffset, mulaw.length).toString("base64")}"}}`);
    }
    this.deps.counters.framesOut++;
    let p = this.playing;
    if (p === null || p.itemId !== itemId) {
      p = { itemId, sentMs: 0, lastMarkMs: 0, firstSentAt: Date.now(), echoMs: 0, echoAt: 0, done: false };
      this.playing = p;
    }
    p.sentMs += ms;
    if (p.sentMs - p.lastMarkMs >= this.deps.config.MARK_INTERVAL_MS) this.sendMark(p);
  }

  private sendMark(p: PlayingItem): void {
    p.lastMarkMs = p.sentMs;
    const name = markName(p.itemId, p.sentMs, this.generation);
    this.twilio.send(`{"event":"mark","streamSid":"${this.streamSid}","mark":{"name":"${name}"}}`);
  }

  private onMarkEcho(name: string): void {
    const m = parseMarkName(name);
    if (m === null || m.generation !== this.generation) return; // stale: flushed by a clear
    const p = this.playing;
    if (p === null || p.itemId !== m.itemId) return;
    if (m.sentMs >= p.echoMs) {
      p.echoMs = m.sentMs;
      p.echoAt = Date.now();
    }
    if (this.playbackIdle()) for (const w of this.playbackWaiters.splice(0)) w();
  }

  /** Estimated ms of the current item the caller has heard: last echoed mark plus at most one mark interval. */
  playedMs(now = Date.now()): number {
    const p = this.playing;
    if (p === null) return 0;
    const interval = this.deps.config.MARK_INTERVAL_MS;
    const since = p.echoAt > 0 ? p.echoMs + Math.min(now - p.echoAt, interval) : Math.min(now - p.firstSentAt, interval);
    return Math.max(0, Math.min(p.sentMs, Math.floor(since)));
  }

  private playbackIdle(): boolean {
    const p = this.playing;
    return p === null || (p.done && p.echoMs >= Math.floor(p.sentMs));
  }

  private onSpeechStarted(): void {
    const p = this.playing;
    if (p === null || this.playbackIdle()) return;
    const audioEndMs = this.playedMs();
    this.sendRealtime({ type: "conversation.item.truncate", item_id: p.itemId, content_index: 0, audio_end_ms: audioEndMs });
    this.twilio.send(`{"event":"clear","streamSid":"${this.streamSid}"}`);
    this.generation++;
    this.discardItems.add(p.itemId);
    if (this.discardItems.size > 32) this.discardItems.delete(this.discardItems.values().next().value!);
    this.playing = null;
    this.deps.metrics.bargeIns.inc();
    void this.event("barge_in", { itemId: p.itemId, audioEndMs, sentMs: Math.round(p.sentMs) });
    for (const w of this.playbackWaiters.splice(0)) w();
  }

  private waitForPlayback(maxMs: number): Promise<void> {
    if (this.playbackIdle() || this.state === "closed") return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(done, maxMs);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.playbackWaiters.push(done);
    });
  }

  private waitForResponseDone(maxMs: number): Promise<void> {
    if (this.activeResponse === null || this.state === "closed") return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(done, maxMs);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.responseWaiters.push(done);
    });
  }

  // ---------------------------------------------------------------------------------------------------------
  // Realtime side

  private connectRealtime(): Promise<WebSocket> {
    const cfg = this.deps.config;
    const url = new URL(cfg.OPENAI_REALTIME_URL);
    url.searchParams.set("model", cfg.OPENAI_REALTIME_MODEL);
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, {
        headers: { Authorization: `Bearer ${cfg.OPENAI_API_KEY}` },
        handshakeTimeout: cfg.REALTIME_CONNECT_TIMEOUT_MS,
        perMessageDeflate: false,
        skipUTF8Validation: true,
      });
      const fail = (err: unknown) => {
        ws.removeAllListeners();
        ws.on("error", () => {});
        ws.terminate();
        reject(err instanceof Error ? err : new Error(String(err)));
      };
      ws.once("open", () => {
        ws.removeListener("error", fail);
        resolve(ws);
      });
      ws.once("error", fail);
      ws.once("unexpected-response", (_req, res) => fail(new Error(`realtime handshake answered HTTP ${res.statusCode}`)));
    });
  }

  private attachRealtime(ws: WebSocket): void {
    this.realtime = ws;
    this.realtimeOpenedAt = Date.now();
    ws.on("message", (data: Buffer) => this.onRealtimeMessage(data));
    ws.on("error", (err) => this.log.warn({ err, callSid: this.callSid }, "realtime socket error"));
    ws.on("close", (code, reason) => {
      if (this.realtime !== ws) return; // an old socket after rotation
      this.realtime = null;
      if (this.closingRealtimeOnPurpose || this.state === "closed" || this.stopped) return;
      this.log.error({ callSid: this.callSid, code, reason: reason.toString() }, "realtime session dropped mid-call");
      this.deps.metrics.errors.inc({ kind: "realtime_disconnect" });
      void this.event("realtime_error", { phase: "mid_call", code, reason: reason.toString() });
      void this.technicalTransfer("realtime disconnected", false);
    });
  }

  private sendRealtime(ev: RealtimeClientEvent): void {
    const rt = this.realtime;
    if (rt !== null && rt.readyState === WebSocket.OPEN) rt.send(JSON.stringify(ev));
  }

  private closeRealtime(): void {
    this.closingRealtimeOnPurpose = true;
    const rt = this.realtime;
    this.realtime = null;
    if (rt) {
      rt.removeAllListeners("message");
      if (rt.readyState === WebSocket.OPEN || rt.readyState === WebSocket.CONNECTING) rt.close(1000);
    }
  }

  sessionUpdate(): RealtimeClientEvent {
    const cfg = this.deps.config;
    const format = cfg.AUDIO_MODE === "pcmu" ? ({ type: "audio/pcmu" } as const) : ({ type: "audio/pcm", rate: 24000 } as const);
    return {
      type: "session.update",
      session: {
        type: "realtime",
        model: cfg.OPENAI_REALTIME_MODEL,
        instructions: buildInstructions(this.session!),
        output_modalities: ["audio"],
        audio: {
          input: {
            format,
            noise_reduction: { type: "near_field" },
            transcription: { model: cfg.OPENAI_TRANSCRIPTION_MODEL },
            turn_detection: {
              type: "server_vad",
              threshold: 0.5,
              prefix_padding_ms: 300,
              silence_duration_ms: 500,
              create_response: true,
              interrupt_response: true,
            },
          },
          output: { format, voice: cfg.OPENAI_REALTIME_VOICE, speed: 1.0 },
        },
        tools: realtimeTools() as never,
        tool_choice: "auto",
        max_output_tokens: "inf",
        truncation: "auto",
      },
    };
  }

  private async sendResumeContext(reason: "reconnected" | "rotated"): Promise<void> {
    const session = this.session!;
    let cartSpeech: string | null = null;
    try {
      const reply = await this.natsRequest("get_order_summary", {}, `resume-${Date.now()}`);
      if (reply.ok) cartSpeech = summarizeCart(reply.result);
    } catch (err) {
      this.log.warn({ err, callSid: session.callSid }, "cart lookup for resume failed");
    }
    const tail = await this.deps.store.transcript(session.callSid, 12);
    this.sendRealtime({
      type: "conversation.item.create",
      item: { type: "message", role: "system", content: [{ type: "input_text", text: resumeNote({ lang: this.lang, reason, cartSpeech, transcriptTail: tail }) }] },
    });
  }

  private onRealtimeMessage(data: Buffer): void {
    const delta = sliceRealtimeDelta(data);
    if (delta !== null) {
      this.forwardDown(data, delta.start, delta.end, delta.itemId);
      return;
    }
    let ev: ServerEvent;
    try {
      ev = JSON.parse(data.toString("utf8")) as ServerEvent;
    } catch {
      this.log.warn({ callSid: this.callSid }, "realtime sent a frame that is not JSON");
      return;
    }
    if (this.deps.config.DEBUG_REALTIME_EVENTS) this.log.debug({ callSid: this.callSid, type: ev.type }, "realtime event");
    switch (ev.type) {
      case "response.output_audio.delta":
        // A delta the fast path did not recognise (other key order): same handling.
        if (typeof ev.delta === "string" && typeof ev.item_id === "string") {
          const b = Buffer.from(`"${ev.delta}"`, "latin1");
          this.forwardDown(b, 1, b.length - 1, ev.item_id);
        }
        return;
      case "response.output_audio.done":
        if (this.playing && this.playing.itemId === ev.item_id && !this.discardItems.has(ev.item_id)) {
          this.playing.done = true;
          this.sendMark(this.playing);
        }
        return;
      case "input_audio_buffer.speech_started":
        this.callerTurnOpen = true;
        this.onSpeechStarted();
        return;
      case "response.created":
        this.callerTurnOpen = false;
        this.activeResponse = ev.response?.id ?? "unknown";
        return;
      case "response.done":
        this.onResponseDone(ev);
        return;
      case "response.function_call_arguments.done":
        void this.onFunctionCall(ev.call_id ?? "", ev.name ?? "", ev.arguments ?? "");
        return;
      case "conversation.item.input_audio_transcription.completed":
        if (ev.transcript?.trim()) void this.transcript("caller", ev.transcript.trim());
        return;
      case "response.output_audio_transcript.done":
        if (ev.transcript?.trim()) void this.transcript("assistant", ev.transcript.trim());
        return;
      case "error":
        this.log.warn({ callSid: this.callSid, error: ev.error }, "realtime error event");
        this.deps.metrics.errors.inc({ kind: "realtime_event" });
        void this.event("realtime_error", { phase: "event", code: ev.error?.code ?? null, message: ev.error?.message ?? null });
        if (ev.error?.code === "conversation_already_has_active_response") this.needResponse = false;
        return;
      default:
        return;
    }
  }

  private onResponseDone(ev: ServerEvent): void {
    this.activeResponse = null;
    this.callerTurnOpen = false;
    const usage = ev.response?.usage;
    if (usage && this.callSid) {
      const u = {
        inputTextTokens: usage.input_token_details?.text_tokens ?? 0,
        inputAudioTokens: usage.input_token_details?.audio_tokens ?? 0,
        cachedTokens: usage.input_token_details?.cached_tokens ?? 0,
        outputTextTokens: usage.output_token_details?.text_tokens ?? 0,
        outputAudioTokens: usage.output_token_details?.audio_tokens ?? 0,
        responses: 1,
      };
      const t = this.deps.metrics.realtimeTokens;
      t.inc({ kind: "input_text" }, u.inputTextTokens);
      t.inc({ kind: "input_audio" }, u.inputAudioTokens);
      t.inc({ kind: "cached" }, u.cachedTokens);
      t.inc({ kind: "output_text" }, u.outputTextTokens);
      t.inc({ kind: "output_audio" }, u.outputAudioTokens);
      void this.deps.store.addUsage(this.callSid, u).catch(() => {});
    }
    for (const w of this.responseWaiters.splice(0)) w();
    this.maybeCreateResponse();
  }

  /** Asks the model to speak (greeting, after tool outputs) once no response is running and no tool is pending. */
  private requestResponse(): void {
    this.needResponse = true;
    this.maybeCreateResponse();
  }

  private maybeCreateResponse(): void {
    if (!this.needResponse || this.activeResponse !== null || this.pendingTools > 0 || this.transferring || this.handingOff) return;
    this.needResponse = false;
    this.activeResponse = "requested";
    this.sendRealtime({ type: "response.create" });
  }

  // ---------------------------------------------------------------------------------------------------------
  // Tools

  private async onFunctionCall(callId: string, name: string, rawArgs: string): Promise<void> {
    if (this.transferring || this.handingOff || !this.session) return;
    this.pendingTools++;
    const started = performance.now();
    let outcome = "ok";
    try {
      const output = await this.runTool(callId, name, rawArgs, (o) => {
        outcome = o;
      });
      if (output !== null) {
        this.sendRealtime({ type: "conversation.item.create", item: { type: "function_call_output", call_id: callId, output: JSON.stringify(output) } });
        this.needResponse = true;
      }
    } catch (err) {
      outcome = "internal";
      this.log.error({ err, callSid: this.callSid, tool: name }, "tool dispatch crashed");
      this.sendRealtime({
        type: "conversation.item.create",
        item: { type: "function_call_output", call_id: callId, output: JSON.stringify(TRANSIENT_FAILURE_OUTPUT) },
      });
      this.needResponse = true;
    } finally {
      this.pendingTools--;
      this.deps.metrics.toolLatency.observe({ tool: isToolName(name) ? name : "unknown", outcome }, (performance.now() - started) / 1000);
      this.maybeCreateResponse();
    }
  }

  /** The function_call_output for one tool call, or null when the call is being handed off (transfer). */
  private async runTool(callId: string, name: string, rawArgs: string, setOutcome: (o: string) => void): Promise<unknown> {
    const at = new Date().toISOString();
    if (!isToolName(name)) {
      setOutcome("unknown_tool");
      await this.event("tool_error", { tool: name, callId, code: "unknown_tool" }, at);
      return { error: { code: "invalid_arguments", message: `There is no tool named "${name}". Use only the tools you were given.` } };
    }
    let parsedJson: unknown;
    try {
      parsedJson = rawArgs.trim() === "" ? {} : JSON.parse(rawArgs);
    } catch {
      setOutcome("invalid_arguments");
      await this.event("tool_call", { tool: name, callId, ok: false, code: "invalid_arguments" }, at);
      return { error: { code: "invalid_arguments", message: `The arguments for ${name} are not valid JSON. Call it again with a JSON object.` } };
    }
    const def = TOOLS[name];
    const parsed = def.args.safeParse(parsedJson);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.length ? i.path.join(".") : "arguments"}: ${i.message}`);
      setOutcome("invalid_arguments");
      await this.event("tool_call", { tool: name, callId, ok: false, code: "invalid_arguments", problems }, at);
      return {
        error: {
          code: "invalid_arguments",
          message: `The arguments for ${name} were not valid: ${problems.join("; ")}. Ask the caller if needed, then call ${name} again with corrected arguments.`,
        },
      };
    }
    if (name === "transfer_to_human") {
      const args = parsed.data as { reason: EscalationReason; summary: string };
      await this.event("tool_call", { tool: name, callId, ok: true, reason: args.reason }, at);
      return this.modelTransfer(callId, args);
    }

    const span = tracer.startSpan(`tool ${name}`, { attributes: { "orderline.tool": name, "orderline.call_sid": this.callSid ?? "" } }, this.parentContext);
    const ctx = trace.setSpan(this.parentContext, span);
    const t0 = performance.now();
    let attempts = 0;
    try {
      let reply: ToolReply<unknown> | null = null;
      let failure: NatsRequestError | Error | null = null;
      while (reply === null) {
        attempts++;
        try {
          reply = await context.with(ctx, () => this.natsRequest(name, parsed.data, callId));
        } catch (err) {
          failure = err instanceof Error ? err : new Error(String(err));
          // A timeout may have been applied: only an idempotent tool is retried, with the same request id.
          if (err instanceof NatsRequestError && err.kind === "timeout" && def.idempotent && attempts < 2) continue;
          break;
        }
      }
      const ms = Math.round(performance.now() - t0);
      if (reply !== null) {
        await this.deps.store.patch(this.callSid!, { consecutiveToolFailures: 0 });
        setOutcome(reply.ok ? "ok" : reply.error.code);
        let unanswered = 0;
        if (!reply.ok && UNANSWERED_CODES.has(reply.error.code)) unanswered = await this.deps.store.incr(this.callSid!, "unansweredQuestions");
        else if (reply.ok && name !== "get_order_summary") await this.deps.store.patch(this.callSid!, { unansweredQuestions: 0 });
        span.setAttribute("orderline.outcome", reply.ok ? "ok" : reply.error.code);
        if (reply.ok && name === "submit_order") {
          const orderId = (reply.result as { orderId?: string }).orderId;
          if (orderId) await this.deps.store.patch(this.callSid!, { orderId });
        }
        await this.event(
          "tool_call",
          { tool: name, callId, ok: reply.ok, ...(reply.ok ? {} : { code: reply.error.code }), attempts, ms, args: redactArgs(name, parsed.data) },
          at,
        );
        if (reply.ok) return reply.result;
        // The seed's escalation rule: a question not answered after two attempts goes to staff.
        return unanswered >= 2 ? { error: reply.error, hint: UNANSWERED_HINT } : { error: reply.error };
      }
      // No usable reply.
      const kind = failure instanceof NatsRequestError ? failure.kind : "internal";
      setOutcome(kind);
      span.setStatus({ code: SpanStatusCode.ERROR, message: failure?.message ?? kind });
      this.deps.metrics.errors.inc({ kind: `tool_${kind}` });
      await this.event("tool_error", { tool: name, callId, code: kind, attempts, ms, message: failure?.message ?? null }, at);
      await this.deps.store.incr(this.callSid!, "failedTools");
      const consecutive = await this.deps.store.incr(this.callSid!, "consecutiveToolFailures");
      if (kind === "no_responders" || consecutive >= 2) {
        // A service is down (or keeps failing): apologise and hand the caller to staff — never dead air.
        this.sendRealtime({
          type: "conversation.item.create",
          item: { type: "function_call_output", call_id: callId, output: JSON.stringify({ error: { code: kind, message: "The restaurant system is unavailable." } }) },
        });
        void this.technicalTransfer(`tool ${name} ${kind}`, true);
        return null;
      }
      return TRANSIENT_FAILURE_OUTPUT;
    } finally {
      span.end();
    }
  }

  private natsRequest(name: ToolName, args: unknown, requestId: string): Promise<ToolReply<unknown>> {
    const s = this.session!;
    const carrier: Record<string, string> = {};
    propagation.inject(context.active(), carrier);
    const envelope: RequestEnvelopeInput = {
      callSid: s.callSid,
      locationId: s.location.id,
      orderSessionId: s.orderSessionId,
      ...(s.callerPhone ? { callerPhone: s.callerPhone } : {}),
      requestId,
      attempt: 0,
      ...(carrier.traceparent ? { traceparent: carrier.traceparent } : {}),
      ...(carrier.tracestate ? { tracestate: carrier.tracestate } : {}),
    };
    return requestTool(this.deps.nc, toolSubject(name, this.deps.config.NATS_SUBJECT_PREFIX), { envelope, args }, { timeoutMs: this.deps.config.TOOL_TIMEOUT_MS });
  }

  // ---------------------------------------------------------------------------------------------------------
  // Transfers

  private async modelTransfer(callId: string, args: { reason: EscalationReason; summary: string }): Promise<unknown> {
    const staff = this.session?.location.staffNumbers[0] ?? this.session?.location.publicPhone ?? null;
    // The model gets its answer before the call leaves (no response is requested: the caller is on the way to staff).
    this.sendRealtime({
      type: "conversation.item.create",
      item: {
        type: "function_call_output",
        call_id: callId,
        output: JSON.stringify({ transferred: true, to: staff, callbackRequested: false, speech: "Connecting the caller to a team member now." }),
      },
    });
    const ok = await this.transfer(args.reason, args.summary, texts(this.lang).transfer, { waitForSpeech: true });
    if (ok) return null;
    return {
      transferred: false,
      to: null,
      callbackRequested: true,
      speech: "Nobody can take the call right now; tell the caller the restaurant will call them back, and keep helping if you can.",
    };
  }

  /**
   * Technical failure: optionally let the model apologise (bounded wait), then transfer. When the model is
   * gone the transfer TwiML's `<Say>` carries the apology.
   */
  async technicalTransfer(why: string, apologize: boolean, reason: EscalationReason = "technical_failure", sayText?: string): Promise<void> {
    if (this.transferring || this.handingOff || this.state === "closed") return;
    this.handingOff = true;
    if (apologize && this.realtime) {
      if (this.activeResponse !== null && this.activeResponse !== "requested") this.sendRealtime({ type: "response.cancel" });
      await this.waitForResponseDone(1500);
      this.activeResponse = "requested";
      this.sendRealtime({ type: "response.create", response: { instructions: apologyInstructions(this.lang), tool_choice: "none" } });
      await this.waitForResponseDone(6000);
    }
    const summary = `Technical problem on the AI line (${why}). ${this.session?.customer?.name ? `Caller: ${this.session.customer.name}. ` : ""}Please take over the call.`;
    await this.transfer(reason, summary, sayText ?? (apologize ? texts(this.lang).transfer : texts(this.lang).technicalTransfer), { waitForSpeech: apologize });
  }

  /** SIGTERM grace is over: tell the caller and hand them to staff. */
  async drainTransfer(): Promise<void> {
    await this.technicalTransfer("gateway shutting down", false, "other", texts(this.lang).shutdownTransfer);
  }

  private async transfer(reason: EscalationReason, summary: string, sayText: string, opts: { waitForSpeech: boolean }): Promise<boolean> {
    if (this.transferring || !this.session || !this.callSid) return false;
    this.transferring = true;
    const callSid = this.callSid;
    await this.deps.store.patch(callSid, { phase: "transferring", transferReason: reason, transferSummary: summary });
    if (opts.waitForSpeech) await this.waitForPlayback(8000);
    const session = (await this.deps.store.getSession(callSid)) ?? this.session;
    try {
      const out = await this.deps.transferer.transfer(session, { reason, summary, sayText });
      if (!out.transferred) throw new Error(out.problem ?? "not transferred");
      await this.deps.store.patch(callSid, { phase: "transferred", transferredTo: out.to });
      await this.event("transfer", { reason, to: out.to, summary });
      this.deps.metrics.transfers.inc({ reason });
      this.log.info({ callSid, reason, to: out.to }, "call transferred to staff");
      return true;
    } catch (err) {
      // The REST update failed: closing the stream makes Twilio ask after-stream, which answers a <Dial> fallback.
      this.log.error({ err, callSid, reason }, "transfer failed; closing the stream for the after-stream fallback");
      this.deps.metrics.errors.inc({ kind: "transfer" });
      await this.event("error", { phase: "transfer", message: errMessage(err) });
      this.closeRealtime();
      this.shutdown();
      return false;
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Rotation before the Realtime session cap

  private scheduleRotation(): void {
    const ms = this.deps.config.REALTIME_MAX_SESSION_MS;
    this.rotateTimer = setTimeout(() => void this.rotate(0), ms);
    this.rotateTimer.unref();
  }

  private async rotate(tries: number): Promise<void> {
    if (this.state !== "live" || this.transferring) return;
    // Swap sessions only between turns: not while the model answers, a tool runs, audio still plays or the
    // caller is mid-sentence (after ~30 s of that it rotates anyway, before the hard cap).
    const busy = this.activeResponse !== null || this.pendingTools > 0 || !this.playbackIdle() || this.callerTurnOpen;
    if (busy && tries < 60) {
      this.rotateTimer = setTimeout(() => void this.rotate(tries + 1), 500);
      this.rotateTimer.unref();
      return;
    }
    const old = this.realtime;
    try {
      const ws = await this.connectRealtime();
      this.flushUp();
      this.realtime = null;
      if (old) {
        old.removeAllListeners("message");
        old.close(1000);
      }
      this.attachRealtime(ws);
      this.sendRealtime(this.sessionUpdate());
      await this.sendResumeContext("rotated");
      await this.event("stream_resumed", { rotated: true, afterMs: Date.now() - this.realtimeOpenedAt });
      this.log.info({ callSid: this.callSid }, "realtime session rotated");
      this.scheduleRotation();
    } catch (err) {
      this.log.error({ err, callSid: this.callSid }, "realtime rotation failed");
      await this.technicalTransfer("realtime rotation failed", true);
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Records

  private async event(type: CallEvent["type"], data: Record<string, unknown>, at = new Date().toISOString()): Promise<void> {
    if (!this.callSid) return;
    try {
      await this.deps.store.appendEvents(this.callSid, [{ type, at, data }]);
    } catch (err) {
      this.log.warn({ err, callSid: this.callSid, type }, "could not record call event");
    }
  }

  private async transcript(role: TranscriptEntry["role"], text: string): Promise<void> {
    if (!this.callSid) return;
    try {
      await this.deps.store.appendTranscript(this.callSid, [{ role, text, at: new Date().toISOString() }]);
    } catch (err) {
      this.log.warn({ err, callSid: this.callSid }, "could not record transcript");
    }
  }
}

function errMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Keeps customer details out of event data (the finalizer stores events as they are). */
function redactArgs(name: string, args: unknown): unknown {
  if (name === "submit_order") return { redacted: true };
  return args;
}

function summarizeCart(result: unknown): string | null {
  const r = result as { speech?: string; cart?: { lines?: Array<{ quantity: number; size: string | null; name: string }>; totalCents?: number } };
  const lines = r.cart?.lines ?? [];
  if (lines.length === 0) return r.speech ?? null;
  const items = lines.map((l) => `${l.quantity} ${l.size ? `${l.size} ` : ""}${l.name}`).join(", ");
  return `${items}${typeof r.cart?.totalCents === "number" ? ` (total ${(r.cart.totalCents / 100).toFixed(2)})` : ""}`;
}

interface TwilioMessage {
  event?: string;
  streamSid?: string;
  start?: { streamSid?: string; callSid?: string; customParameters?: Record<string, string> };
  media?: { payload?: string; timestamp?: string };
  mark?: { name?: string };
}

interface ServerEvent {
  type: string;
  item_id?: string;
  delta?: string;
  call_id?: string;
  name?: string;
  arguments?: string;
  transcript?: string;
  response?: {
    id?: string;
    status?: string;
    usage?: {
      input_token_details?: { text_tokens?: number; audio_tokens?: number; cached_tokens?: number };
      output_token_details?: { text_tokens?: number; audio_tokens?: number };
    };
  };
  error?: { type?: string; code?: string; message?: string };
}
