import {
  createRealtimeToTwilioState,
  createTwilioToRealtimeState,
  type RealtimeToTwilioState,
  realtimePcmToTwilio,
  type TwilioToRealtimeState,
  twilioToRealtimePcm,
} from "@orderline/audio";
import { realtimeTools } from "@orderline/contracts";
import type { Logger } from "@orderline/telemetry";
import type { RealtimeClientEvent } from "openai/resources/realtime/realtime";
import WebSocket from "ws";
import type { CallRecords } from "../conversation/call-records.ts";
import { cartOfSummaryReply, cartSummary } from "../conversation/cart-summary.ts";
import type { DispatchOutcome, ToolDispatcher } from "../conversation/tool-dispatch.ts";
import { buildInstructions, resumeNote } from "../domain/instructions.ts";
import type { GatewayConfig } from "../env.ts";
import type { GatewayMetrics } from "../metrics.ts";
import type { CallSession } from "../state/session.ts";
import type { CallStore } from "../state/store.ts";
import type { Lang } from "../twiml.ts";
import type { FrameCounters, MediaStreamTransport } from "./media-stream.ts";
import { connectRealtime } from "./realtime-socket.ts";
import { base64StringDecodedLength, sliceRealtimeDelta } from "./wire.ts";

const APPEND_PREFIX = '{"type":"input_audio_buffer.append","audio":"';
const APPEND_PREFIX_BUF = Buffer.from(APPEND_PREFIX);
const JSON_STRING_END = Buffer.from('"}');

/** What the engine needs from the call it serves. */
export interface RealtimeHost {
  readonly transport: MediaStreamTransport;
  readonly records: CallRecords;
  readonly tools: ToolDispatcher;
  readonly lang: Lang;
  /** A tool outcome that takes the call away from the model (staff asked for, system down). */
  leaveModel(outcome: Extract<DispatchOutcome, { kind: "handoff" | "technical" }>, callId: string): void;
  /** The Realtime session can no longer hold the conversation (dropped, failing, stalled). */
  engineLost(why: string, detail: Record<string, unknown>): void;
  /** The caller hung up or the stream went away. */
  isOver(): boolean;
}

export interface RealtimeEngineDeps {
  config: GatewayConfig;
  store: CallStore;
  metrics: GatewayMetrics;
  counters: FrameCounters;
  logger: Logger;
}

/** Where the engine's model turn is: nothing asked, asked (no `response.created` yet), or answering. */
type ResponseState = { kind: "idle" } | { kind: "requested"; at: number } | { kind: "active"; id: string; at: number };

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
    status_details?: { type?: string; reason?: string; error?: { code?: string; message?: string } } | null;
    usage?: {
      input_token_details?: { text_tokens?: number; audio_tokens?: number; cached_tokens?: number };
      output_token_details?: { text_tokens?: number; audio_tokens?: number };
    };
  };
  error?: { type?: string; code?: string; message?: string };
}

/**
 * The OpenAI Realtime conversation engine of a Media Stream call (docs/PROTOCOLS.md §5, §6, §8): the socket,
 * session.update, caller audio appends (batched, or converted to PCM16 24 kHz), assistant audio to the
 * transport, response gating (one at a time, after tool outputs), truncation on barge-in, a watchdog for
 * failed and stalled responses, usage, and rotation before the session cap.
 */
export class RealtimeEngine {
  private readonly deps: RealtimeEngineDeps;
  private readonly host: RealtimeHost;
  private readonly log: Logger;
  private session: CallSession;
  private ws: WebSocket | null = null;
  private openedAt = 0;
  private readonly pcm: boolean;
  private readonly batchBytes: number;
  private upBuf: Buffer;
  private upLen = 0;
  private upState: TwilioToRealtimeState | null = null;
  private downState: RealtimeToTwilioState | null = null;

  private response: ResponseState = { kind: "idle" };
  private responseWaiters: Array<() => void> = [];
  private pendingTools = 0;
  private needResponse = false;
  /** Responses in a row that failed or stalled; one retry, then the engine is lost. */
  private failedResponses = 0;
  private watchdog: NodeJS.Timeout | null = null;
  /** Responses given up on (stalled, then cancelled): their late events must not end the response asked for since. */
  private readonly abandoned = new Set<string>();
  private rotateTimer: NodeJS.Timeout | null = null;
  /** No more model turns: the call is being handed off, or the engine is lost or closed. */
  private halted = false;
  /**
   * The caller started speaking and the model has not started answering yet: their words are in the current
   * session's input buffer, so the session must not be swapped out now.
   */
  private callerTurnOpen = false;

  constructor(deps: RealtimeEngineDeps, host: RealtimeHost, session: CallSession) {
    this.deps = deps;
    this.host = host;
    this.session = session;
    this.log = deps.logger;
    this.pcm = deps.config.AUDIO_MODE === "pcm24k";
    this.batchBytes = deps.config.AUDIO_BATCH_MS * (this.pcm ? 48 : 8);
    this.upBuf = Buffer.allocUnsafe(this.batchBytes + 4096);
    if (this.pcm) {
      this.upState = createTwilioToRealtimeState();
      this.downState = createRealtimeToTwilioState();
    }
  }

  get model(): string {
    return this.session.location.conversation?.realtimeModel ?? this.deps.config.OPENAI_REALTIME_MODEL;
  }

  /** Opens the session and configures it; `resumed` adds the conversation so far. Throws when unreachable. */
  async start(resumed: boolean): Promise<void> {
    const ws = await connectRealtime(this.deps.config, this.model);
    if (this.host.isOver()) {
      ws.close(1000); // the caller hung up while we were connecting: never leave a paid session open
      return;
    }
    this.attach(ws);
    this.send(this.sessionUpdate());
    if (resumed) await this.sendResumeContext("reconnected");
  }

  /** Speak first (greeting) and arm rotation. */
  begin(): void {
    this.requestResponse();
    this.scheduleRotation();
  }

  /** No more model turns (hand-off under way); audio already sent still plays. */
  halt(): void {
    this.halted = true;
    this.clearWatchdog();
  }

  close(): void {
    this.halted = true;
    this.flushUp();
    this.clearWatchdog();
    if (this.rotateTimer) clearTimeout(this.rotateTimer);
    this.rotateTimer = null;
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.removeAllListeners("message");
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close(1000);
    }
    for (const w of this.responseWaiters.splice(0)) w();
  }

  // ---- caller audio up --------------------------------------------------------------------------------------

  append(src: Buffer, start: number, end: number): void {
    const rt = this.ws;
    if (rt === null || rt.readyState !== WebSocket.OPEN) return;
    if (!this.pcm) {
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

  flushUp(): void {
    if (this.upLen === 0) return;
    const rt = this.ws;
    if (rt !== null && rt.readyState === WebSocket.OPEN) {
      rt.send(`${APPEND_PREFIX}${this.upBuf.toString("base64", 0, this.upLen)}"}`);
      this.deps.counters.appendsOut++;
    }
    this.upLen = 0;
  }

  // ---- the socket -------------------------------------------------------------------------------------------

  private attach(ws: WebSocket): void {
    this.ws = ws;
    this.openedAt = Date.now();
    ws.on("message", (data: Buffer) => this.onMessage(data));
    ws.on("error", (err) => this.log.warn({ err, callSid: this.session.callSid }, "realtime socket error"));
    ws.on("close", (code, reason) => {
      if (this.ws !== ws) return; // an old socket after rotation, or closed on purpose
      this.ws = null;
      if (this.host.isOver()) return;
      this.deps.metrics.errors.inc({ kind: "realtime_disconnect" });
      this.host.engineLost("realtime disconnected", { phase: "mid_call", code, reason: reason.toString() });
    });
  }

  private send(ev: RealtimeClientEvent): void {
    const rt = this.ws;
    if (rt !== null && rt.readyState === WebSocket.OPEN) rt.send(JSON.stringify(ev));
  }

  sessionUpdate(): RealtimeClientEvent {
    const cfg = this.deps.config;
    const format = this.pcm ? ({ type: "audio/pcm", rate: 24000 } as const) : ({ type: "audio/pcmu" } as const);
    const voice = this.session.location.conversation?.voice ?? cfg.OPENAI_REALTIME_VOICE;
    return {
      type: "session.update",
      session: {
        type: "realtime",
        model: this.model,
        instructions: buildInstructions(this.session),
        output_modalities: ["audio"],
        audio: {
          input: {
            format,
            noise_reduction: { type: "near_field" },
            transcription: { model: cfg.OPENAI_TRANSCRIPTION_MODEL },
            // server_vad (not semantic_vad) for its idle timeout: a silent caller is re-prompted, never left in dead air.
            turn_detection: {
              type: "server_vad",
              threshold: 0.5,
              prefix_padding_ms: 300,
              silence_duration_ms: 500,
              idle_timeout_ms: cfg.REALTIME_IDLE_TIMEOUT_MS || null,
              create_response: true,
              interrupt_response: true,
            },
          },
          output: { format, voice: voice as never, speed: 1.0 },
        },
        tools: realtimeTools() as never,
        tool_choice: "auto",
        max_output_tokens: "inf",
        // Dropping history in chunks keeps the cached prefix stable (cheaper cached input tokens).
        truncation: { type: "retention_ratio", retention_ratio: 0.8 },
      },
    };
  }

  private async sendResumeContext(reason: "reconnected" | "rotated"): Promise<void> {
    const callSid = this.session.callSid;
    let cartSpeech: string | null = null;
    try {
      const cart = cartOfSummaryReply(await this.host.tools.request("get_order_summary", {}, `resume-${Date.now()}`));
      if (cart) cartSpeech = cartSummary(cart);
    } catch (err) {
      this.log.warn({ err, callSid }, "cart lookup for resume failed");
    }
    const tail = await this.deps.store.transcript(callSid, 12);
    this.send({
      type: "conversation.item.create",
      item: { type: "message", role: "system", content: [{ type: "input_text", text: resumeNote({ lang: this.host.lang, reason, cartSpeech, transcriptTail: tail }) }] },
    });
  }

  // ---- server events ----------------------------------------------------------------------------------------

  private onMessage(data: Buffer): void {
    const delta = sliceRealtimeDelta(data);
    if (delta !== null) {
      this.kickWatchdog();
      this.playDown(data, delta.start, delta.end, delta.itemId);
      return;
    }
    let ev: ServerEvent;
    try {
      ev = JSON.parse(data.toString("utf8")) as ServerEvent;
    } catch {
      this.log.warn({ callSid: this.session.callSid }, "realtime sent a frame that is not JSON");
      return;
    }
    this.kickWatchdog();
    if (this.deps.config.DEBUG_REALTIME_EVENTS) this.log.debug({ callSid: this.session.callSid, type: ev.type }, "realtime event");
    switch (ev.type) {
      case "response.output_audio.delta":
        // A delta the fast path did not recognise (other key order): same handling.
        if (typeof ev.delta === "string" && typeof ev.item_id === "string") {
          const b = Buffer.from(`"${ev.delta}"`, "latin1");
          this.playDown(b, 1, b.length - 1, ev.item_id);
        }
        return;
      case "response.output_audio.done":
        if (ev.item_id) this.host.transport.itemDone(ev.item_id);
        return;
      case "input_audio_buffer.speech_started":
        this.callerTurnOpen = true;
        this.onSpeechStarted();
        return;
      case "response.created":
        if (ev.response?.id && this.abandoned.has(ev.response.id)) return;
        this.callerTurnOpen = false;
        this.response = { kind: "active", id: ev.response?.id ?? "unknown", at: Date.now() };
        return;
      case "response.done":
        this.onResponseDone(ev);
        return;
      case "response.function_call_arguments.done":
        void this.onFunctionCall(ev.call_id ?? "", ev.name ?? "", ev.arguments ?? "");
        return;
      case "conversation.item.input_audio_transcription.completed":
        if (ev.transcript?.trim()) void this.host.records.transcript("caller", ev.transcript.trim());
        return;
      case "response.output_audio_transcript.done":
        if (ev.transcript?.trim()) void this.host.records.transcript("assistant", ev.transcript.trim());
        return;
      case "error":
        this.log.warn({ callSid: this.session.callSid, error: ev.error }, "realtime error event");
        this.deps.metrics.errors.inc({ kind: "realtime_event" });
        void this.host.records.event("realtime_error", { phase: "event", code: ev.error?.code ?? null, message: ev.error?.message ?? null });
        if (ev.error?.code === "conversation_already_has_active_response") this.needResponse = false;
        return;
      default:
        return;
    }
  }

  private playDown(buf: Buffer, start: number, end: number, itemId: string): void {
    if (!this.pcm) {
      this.host.transport.playBase64(itemId, buf, start, end);
      return;
    }
    const pcm = Buffer.from(buf.toString("latin1", start, end), "base64");
    this.host.transport.playMulaw(itemId, realtimePcmToTwilio(pcm, this.downState!));
  }

  private onSpeechStarted(): void {
    const cut = this.host.transport.bargeIn();
    if (cut === null) return;
    this.send({ type: "conversation.item.truncate", item_id: cut.itemId, content_index: 0, audio_end_ms: cut.audioEndMs });
    this.deps.metrics.bargeIns.inc();
    void this.host.records.event("barge_in", { itemId: cut.itemId, audioEndMs: cut.audioEndMs, sentMs: cut.sentMs });
  }

  private onResponseDone(ev: ServerEvent): void {
    const id = ev.response?.id;
    if (id !== undefined && this.abandoned.delete(id)) {
      this.recordUsage(ev.response?.usage);
      return;
    }
    this.response = { kind: "idle" };
    this.callerTurnOpen = false;
    this.clearWatchdog();
    this.recordUsage(ev.response?.usage);
    for (const w of this.responseWaiters.splice(0)) w();
    const status = ev.response?.status;
    if (status === "failed") {
      const detail = ev.response?.status_details?.error;
      void this.host.records.event("realtime_error", { phase: "response", status, code: detail?.code ?? null, message: detail?.message ?? null });
      this.deps.metrics.errors.inc({ kind: "realtime_response_failed" });
      this.retryOrLose("response failed");
      return;
    }
    if (status === "completed") this.failedResponses = 0;
    this.maybeCreateResponse();
  }

  private recordUsage(usage: NonNullable<ServerEvent["response"]>["usage"]): void {
    if (!usage) return;
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
    void this.deps.store.addUsage(this.session.callSid, u).catch(() => {});
  }

  /** A failed or stalled response: ask once more; a second in a row means the engine is lost. */
  private retryOrLose(why: string): void {
    this.failedResponses++;
    if (this.failedResponses >= 2) {
      this.halted = true;
      this.host.engineLost(`realtime ${why} twice`, { phase: "response" });
      return;
    }
    this.requestResponse();
  }

  // ---- response gating and the watchdog -----------------------------------------------------------------------

  /** Asks the model to speak (greeting, after tool outputs) once no response is running and no tool is pending. */
  requestResponse(): void {
    this.needResponse = true;
    this.maybeCreateResponse();
  }

  private maybeCreateResponse(): void {
    if (!this.needResponse || this.response.kind !== "idle" || this.pendingTools > 0 || this.halted) return;
    this.needResponse = false;
    this.response = { kind: "requested", at: Date.now() };
    this.send({ type: "response.create" });
    this.kickWatchdog();
  }

  /** While a response is asked for or running, silence from the server longer than the stall limit is a fault. */
  private kickWatchdog(): void {
    if (this.response.kind === "idle" || this.halted) {
      this.clearWatchdog();
      return;
    }
    if (this.watchdog) this.watchdog.refresh();
    else {
      this.watchdog = setTimeout(() => this.onStall(), this.deps.config.REALTIME_STALL_MS);
      this.watchdog.unref();
    }
  }

  private clearWatchdog(): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdog = null;
  }

  private onStall(): void {
    this.watchdog = null;
    if (this.response.kind === "idle" || this.halted || this.host.isOver()) return;
    this.log.warn({ callSid: this.session.callSid, response: this.response }, "realtime response stalled");
    this.deps.metrics.errors.inc({ kind: "realtime_stall" });
    void this.host.records.event("realtime_error", { phase: "response", status: "stalled", afterMs: this.deps.config.REALTIME_STALL_MS });
    if (this.response.kind === "active") {
      this.abandoned.add(this.response.id);
      this.send({ type: "response.cancel" });
    }
    this.response = { kind: "idle" };
    for (const w of this.responseWaiters.splice(0)) w();
    this.retryOrLose("response stalled");
  }

  /** Resolves when the running response is done (or after `maxMs`). */
  waitForResponseDone(maxMs: number): Promise<void> {
    if (this.response.kind === "idle" || this.ws === null) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(done, maxMs);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.responseWaiters.push(done);
    });
  }

  /** Technical hand-off: cancel what the model is saying and have it apologise once (bounded). */
  async apologize(instructions: string): Promise<void> {
    if (this.ws === null) return;
    this.halted = true;
    if (this.response.kind === "active") this.send({ type: "response.cancel" });
    await this.waitForResponseDone(1500);
    this.response = { kind: "requested", at: Date.now() };
    this.send({ type: "response.create", response: { instructions, tool_choice: "none" } });
    await this.waitForResponseDone(6000);
  }

  // ---- tools --------------------------------------------------------------------------------------------------

  private async onFunctionCall(callId: string, name: string, rawArgs: string): Promise<void> {
    if (this.halted) return;
    this.pendingTools++;
    try {
      const outcome = await this.host.tools.dispatch(callId, name, rawArgs);
      if (outcome.kind === "output") {
        this.toolOutput(callId, outcome.output);
        this.needResponse = true;
      } else {
        // The model gets its answer before the call leaves; no response is asked for.
        this.toolOutput(callId, outcome.kind === "handoff" ? HANDOFF_OUTPUT : outcome.output);
        this.host.leaveModel(outcome, callId);
      }
    } finally {
      this.pendingTools--;
      this.maybeCreateResponse();
    }
  }

  private toolOutput(callId: string, output: unknown): void {
    this.send({ type: "conversation.item.create", item: { type: "function_call_output", call_id: callId, output: JSON.stringify(output) } });
  }

  /** Tells the model something outside a tool result (a failed transfer) and lets it speak; resumes model turns. */
  systemNote(text: string): void {
    this.send({ type: "conversation.item.create", item: { type: "message", role: "system", content: [{ type: "input_text", text }] } });
    this.halted = false;
    this.requestResponse();
  }

  // ---- rotation before the session cap ------------------------------------------------------------------------

  private scheduleRotation(): void {
    this.rotateTimer = setTimeout(() => void this.rotate(0), this.deps.config.REALTIME_MAX_SESSION_MS);
    this.rotateTimer.unref();
  }

  private async rotate(tries: number): Promise<void> {
    if (this.halted || this.host.isOver()) return;
    // Swap sessions only between turns: not while the model answers, a tool runs, audio still plays or the
    // caller is mid-sentence (after ~30 s of that it rotates anyway, before the hard cap).
    const busy = this.response.kind !== "idle" || this.pendingTools > 0 || !this.host.transport.playbackIdle() || this.callerTurnOpen;
    if (busy && tries < 60) {
      this.rotateTimer = setTimeout(() => void this.rotate(tries + 1), 500);
      this.rotateTimer.unref();
      return;
    }
    const old = this.ws;
    try {
      const ws = await connectRealtime(this.deps.config, this.model);
      if (this.halted || this.host.isOver()) {
        ws.close(1000); // the call ended (or is leaving) while the new session connected
        return;
      }
      this.flushUp();
      this.ws = null;
      if (old) {
        old.removeAllListeners("message");
        old.close(1000);
      }
      this.attach(ws);
      this.send(this.sessionUpdate());
      await this.sendResumeContext("rotated");
      await this.host.records.event("stream_resumed", { rotated: true, afterMs: Date.now() - this.openedAt });
      this.log.info({ callSid: this.session.callSid }, "realtime session rotated");
      this.scheduleRotation();
    } catch (err) {
      this.log.error({ err, callSid: this.session.callSid }, "realtime rotation failed");
      this.host.engineLost("realtime rotation failed", { phase: "rotation" });
    }
  }
}

const HANDOFF_OUTPUT = { transferred: true, callbackRequested: false, speech: "Connecting the caller to a team member now." };
