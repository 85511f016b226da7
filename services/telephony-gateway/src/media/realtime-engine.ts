import type { Logger } from "@orderline/telemetry";
import type { RealtimeClientEvent } from "openai/resources/realtime/realtime";
import WebSocket from "ws";
import type { CallRecords } from "../conversation/call-records.ts";
import { cartOfSummaryReply, cartSummary } from "../conversation/cart-summary.ts";
import type { DispatchOutcome, ToolDispatcher } from "../conversation/tool-dispatch.ts";
import { resumeNote, silenceInstructions } from "../domain/instructions.ts";
import type { GatewayConfig } from "../env.ts";
import type { GatewayMetrics } from "../metrics.ts";
import type { CallSession } from "../state/session.ts";
import type { CallStore } from "../state/store.ts";
import type { Lang } from "../twiml.ts";
import type { FrameCounters, MediaStreamTransport } from "./media-stream.ts";
import { RealtimeAudio } from "./realtime-audio.ts";
import { type ResponseUsage, type ServerEvent, usageOf } from "./realtime-server-event.ts";
import { realtimeModel, sessionUpdate, systemMessage } from "./realtime-session-config.ts";
import { connectRealtime } from "./realtime-socket.ts";
import { SilenceWatch } from "./silence-watch.ts";
import { ResponseGate } from "./response-gate.ts";
import { sliceRealtimeDelta } from "./wire.ts";

/** What the engine needs from the call it serves. */
export interface RealtimeHost {
  readonly transport: MediaStreamTransport;
  readonly records: CallRecords;
  readonly tools: ToolDispatcher;
  readonly lang: Lang;
  /** A tool outcome that takes the call away from the model (staff asked for, system down). */
  leaveModel(outcome: Extract<DispatchOutcome, { kind: "handoff" | "technical" }>, callId: string): void;
  /** The caller's words of one turn (input transcription): assessed and recorded off the audio path. */
  callerSaid(text: string): void;
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

/**
 * The OpenAI Realtime conversation engine of a Media Stream call (docs/PROTOCOLS.md §5, §6, §8): the socket,
 * session.update, audio both ways (`RealtimeAudio`), response gating and the stall watchdog (`ResponseGate`),
 * truncation on barge-in, tool calls, usage, and rotation before the session cap.
 */
export class RealtimeEngine {
  private readonly deps: RealtimeEngineDeps;
  private readonly host: RealtimeHost;
  private readonly log: Logger;
  private session: CallSession;
  private ws: WebSocket | null = null;
  private openedAt = 0;
  private readonly audio: RealtimeAudio;
  private readonly gate: ResponseGate;
  private rotateTimer: NodeJS.Timeout | null = null;
  /** No more model turns: the call is being handed off, or the engine is lost or closed. */
  private halted = false;
  /**
   * The caller started speaking and the model has not started answering yet: their words are in the current
   * session's input buffer, so the session must not be swapped out now.
   */
  private callerTurnOpen = false;
  /** Semantic VAD has no server-side idle timeout: the gateway re-prompts a silent caller itself. */
  private readonly silence: SilenceWatch | null;
  /** A playback waiter is pending (it arms the silence watch once the caller heard everything). */
  private awaitingPlayback = false;

  constructor(deps: RealtimeEngineDeps, host: RealtimeHost, session: CallSession) {
    this.deps = deps;
    this.host = host;
    this.session = session;
    this.log = deps.logger;
    this.audio = new RealtimeAudio(deps.config, deps.counters, () => this.ws);
    this.gate = new ResponseGate(
      {
        send: (ev) => this.send(ev),
        halted: () => this.halted,
        isOver: () => host.isOver(),
        stalled: (response, afterMs) => {
          this.log.warn({ callSid: this.session.callSid, response }, "realtime response stalled");
          deps.metrics.errors.inc({ kind: "realtime_stall" });
          void host.records.event("realtime_error", { phase: "response", status: "stalled", afterMs });
        },
        lost: (why) => {
          this.halted = true;
          host.engineLost(why, { phase: "response" });
        },
      },
      deps.config.REALTIME_STALL_MS,
    );
    this.silence =
      deps.config.REALTIME_TURN_DETECTION === "semantic_vad" && deps.config.REALTIME_IDLE_TIMEOUT_MS > 0
        ? new SilenceWatch({ idleMs: deps.config.REALTIME_IDLE_TIMEOUT_MS, maxPrompts: 2, onSilence: (n) => this.onSilence(n) })
        : null;
  }

  get model(): string {
    return realtimeModel(this.deps.config, this.session);
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
    this.gate.request();
    this.scheduleRotation();
  }

  /** No more model turns (hand-off under way); audio already sent still plays. */
  halt(): void {
    this.halted = true;
    this.gate.clearWatchdog();
  }

  close(): void {
    this.halted = true;
    this.silence?.disarm();
    this.audio.flush();
    this.gate.clearWatchdog();
    if (this.rotateTimer) clearTimeout(this.rotateTimer);
    this.rotateTimer = null;
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.removeAllListeners("message");
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close(1000);
    }
    this.gate.releaseWaiters();
  }

  /** Caller audio up (one Twilio media payload). */
  append(src: Buffer, start: number, end: number): void {
    this.audio.append(src, start, end);
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
    return sessionUpdate(this.deps.config, this.session, this.audio.pcm);
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
    this.send(systemMessage(resumeNote({ lang: this.host.lang, reason, cartSpeech, transcriptTail: tail })));
  }

  // ---- server events ----------------------------------------------------------------------------------------

  private onMessage(data: Buffer): void {
    const delta = sliceRealtimeDelta(data);
    if (delta !== null) {
      this.gate.kick();
      this.audio.play(this.host.transport, data, delta.start, delta.end, delta.itemId);
      return;
    }
    let ev: ServerEvent;
    try {
      ev = JSON.parse(data.toString("utf8")) as ServerEvent;
    } catch {
      this.log.warn({ callSid: this.session.callSid }, "realtime sent a frame that is not JSON");
      return;
    }
    this.gate.kick();
    if (this.deps.config.DEBUG_REALTIME_EVENTS) this.log.debug({ callSid: this.session.callSid, type: ev.type }, "realtime event");
    switch (ev.type) {
      case "response.output_audio.delta":
        // A delta the fast path did not recognise (other key order): same handling.
        if (typeof ev.delta === "string" && typeof ev.item_id === "string") {
          const b = Buffer.from(`"${ev.delta}"`, "latin1");
          this.audio.play(this.host.transport, b, 1, b.length - 1, ev.item_id);
        }
        return;
      case "response.output_audio.done":
        if (ev.item_id) {
          this.host.transport.itemDone(ev.item_id);
          // One waiter at a time: a model that talks on (response after response) must not pile up timers.
          if (this.silence && !this.awaitingPlayback) {
            this.awaitingPlayback = true;
            void this.host.transport.waitForPlayback(60_000).then(() => this.armSilence());
          }
        }
        return;
      case "input_audio_buffer.speech_started":
        this.silence?.callerSpoke();
        this.callerTurnOpen = true;
        this.onSpeechStarted();
        return;
      case "response.created":
        this.silence?.disarm();
        if (this.gate.created(ev.response?.id)) this.callerTurnOpen = false;
        return;
      case "response.done":
        this.onResponseDone(ev);
        return;
      case "response.function_call_arguments.done":
        void this.onFunctionCall(ev.call_id ?? "", ev.name ?? "", ev.arguments ?? "");
        return;
      case "conversation.item.input_audio_transcription.completed":
        if (ev.transcript?.trim()) this.host.callerSaid(ev.transcript.trim());
        return;
      case "response.output_audio_transcript.done":
        if (ev.transcript?.trim()) void this.host.records.transcript("assistant", ev.transcript.trim());
        return;
      case "error":
        this.log.warn({ callSid: this.session.callSid, error: ev.error }, "realtime error event");
        this.deps.metrics.errors.inc({ kind: "realtime_event" });
        void this.host.records.event("realtime_error", { phase: "event", code: ev.error?.code ?? null, message: ev.error?.message ?? null });
        if (ev.error?.code === "conversation_already_has_active_response") this.gate.notNeeded();
        return;
      default:
        return;
    }
  }

  /** Playback is over: if nothing else is going on, the caller's silence starts to count. */
  private armSilence(): void {
    this.awaitingPlayback = false;
    if (this.halted || this.host.isOver() || this.gate.busy() || this.callerTurnOpen) return;
    if (!this.host.transport.playbackIdle()) return;
    this.silence?.arm();
  }

  private onSilence(nth: number): void {
    if (this.halted || this.host.isOver() || this.gate.busy() || this.callerTurnOpen) return;
    void this.host.records.event("reprompt", { transport: "media_stream", silentMs: this.deps.config.REALTIME_IDLE_TIMEOUT_MS, inARow: nth });
    this.gate.createNow({ type: "response.create", response: { instructions: silenceInstructions(this.host.lang, nth) } });
  }

  private onSpeechStarted(): void {
    const cut = this.host.transport.bargeIn();
    if (cut === null) return;
    this.send({ type: "conversation.item.truncate", item_id: cut.itemId, content_index: 0, audio_end_ms: cut.audioEndMs });
    this.deps.metrics.bargeIns.inc();
    void this.host.records.event("barge_in", { itemId: cut.itemId, audioEndMs: cut.audioEndMs, sentMs: cut.sentMs });
  }

  private onResponseDone(ev: ServerEvent): void {
    if (!this.gate.done(ev.response?.id)) {
      this.recordUsage(ev.response?.usage);
      return;
    }
    this.callerTurnOpen = false;
    this.recordUsage(ev.response?.usage);
    const status = ev.response?.status;
    if (status === "failed") {
      const detail = ev.response?.status_details?.error;
      void this.host.records.event("realtime_error", { phase: "response", status, code: detail?.code ?? null, message: detail?.message ?? null });
      this.deps.metrics.errors.inc({ kind: "realtime_response_failed" });
      this.gate.retryOrLose("response failed");
      return;
    }
    if (status === "completed") this.gate.completed();
    this.gate.maybeCreate();
  }

  private recordUsage(usage: ResponseUsage | undefined): void {
    if (!usage) return;
    const u = usageOf(usage);
    const t = this.deps.metrics.realtimeTokens;
    t.inc({ kind: "input_text" }, u.inputTextTokens);
    t.inc({ kind: "input_audio" }, u.inputAudioTokens);
    t.inc({ kind: "cached" }, u.cachedTokens);
    t.inc({ kind: "output_text" }, u.outputTextTokens);
    t.inc({ kind: "output_audio" }, u.outputAudioTokens);
    void this.deps.store.addUsage(this.session.callSid, u).catch(() => {});
  }

  /** Asks the model to speak once no response is running and no tool is pending. */
  requestResponse(): void {
    this.gate.request();
  }

  /** Resolves when the running response is done (or after `maxMs`). */
  waitForResponseDone(maxMs: number): Promise<void> {
    if (this.ws === null) return Promise.resolve();
    return this.gate.waitForDone(maxMs);
  }

  /** Technical hand-off: cancel what the model is saying and have it apologise once (bounded). */
  async apologize(instructions: string): Promise<void> {
    if (this.ws === null) return;
    this.halted = true;
    this.gate.cancelActive();
    await this.waitForResponseDone(1500);
    this.gate.createNow({ type: "response.create", response: { instructions, tool_choice: "none" } });
    await this.waitForResponseDone(6000);
  }

  // ---- tools --------------------------------------------------------------------------------------------------

  private async onFunctionCall(callId: string, name: string, rawArgs: string): Promise<void> {
    if (this.halted) return;
    this.gate.toolStarted();
    try {
      const outcome = await this.host.tools.dispatch(callId, name, rawArgs);
      if (outcome.kind === "output") {
        this.toolOutput(callId, outcome.output);
        this.gate.needed();
      } else {
        // The model gets its answer before the call leaves; no response is asked for.
        this.toolOutput(callId, outcome.kind === "handoff" ? HANDOFF_OUTPUT : outcome.output);
        this.host.leaveModel(outcome, callId);
      }
    } finally {
      this.gate.toolFinished();
    }
  }

  private toolOutput(callId: string, output: unknown): void {
    this.send({ type: "conversation.item.create", item: { type: "function_call_output", call_id: callId, output: JSON.stringify(output) } });
  }

  /** Tells the model something outside a tool result (a failed transfer) and lets it speak; resumes model turns. */
  systemNote(text: string): void {
    this.send(systemMessage(text));
    this.halted = false;
    this.gate.request();
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
    const busy = this.gate.busy() || !this.host.transport.playbackIdle() || this.callerTurnOpen;
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
      this.audio.flush();
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
