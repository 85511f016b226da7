import type { WebSocket } from "ws";
import type { z } from "zod";
import { onAppend, onCommit } from "./realtime-input.ts";
import { onItemCreate, onItemLookup, onTruncate } from "./realtime-items.ts";
import { cancel, onResponseCreate } from "./realtime-responder.ts";
import {
  type ActiveResponse,
  type AudioFormat,
  BETA_SESSION_KEYS,
  CLIENT_EVENTS,
  id,
  type ItemState,
  type RealtimeEmulatorOptions,
  type ServerEvent,
  SessionUpdate,
  type TurnDetection,
  type Violation,
} from "./realtime-schemas.ts";
import { normalizeTurn, type ScriptTurn, type ScriptTurnInput, type Trigger } from "./realtime-script.ts";

/** One WebSocket session with the emulated Realtime API; everything received and decided is recorded. */
export class RealtimeSession {
  readonly id = id("sess_");
  readonly model: string;
  /** Every client event received (appended audio replaced by its byte count). */
  readonly received: Record<string, unknown>[] = [];
  /** Every server event sent. */
  readonly sent: Record<string, unknown>[] = [];
  readonly violations: Violation[] = [];
  /** Error events sent to the client (recoverable errors included). */
  readonly errorsSent: { code: string; message: string }[] = [];
  readonly functionCalls: { callId: string; name: string; arguments: string; itemId: string }[] = [];
  readonly toolOutputs: { callId: string; output: string }[] = [];
  readonly truncates: { itemId: string; audioEndMs: number; sentMs: number; accepted: boolean }[] = [];
  readonly responses: { id: string; trigger: Trigger; status: string; audioMs: number; transcript: string }[] = [];
  /** Triggers that found no script turn left (answered with an empty response). */
  readonly unscripted: Trigger[] = [];
  readonly speechTurns: { startMs: number; endMs: number | undefined; itemId: string }[] = [];
  /** ms of caller audio received. */
  inputMs = 0;
  closeCode: number | undefined;
  closedBy: "client" | "server" | undefined;
  config: Record<string, unknown>;

  /** @internal */ readonly ws: WebSocket;
  /** @internal */ readonly opts: Required<Omit<RealtimeEmulatorOptions, "apiKey" | "port">>;
  /** @internal */ readonly script: ScriptTurn[];
  /** @internal */ scriptIndex = 0;
  /** @internal */ readonly items = new Map<string, ItemState>();
  /** @internal */ lastItemId: string | null = null;
  /** @internal */ readonly pendingCalls = new Map<string, { name: string }>();
  /** @internal */ active: ActiveResponse | undefined;
  /** @internal */ since = { audio: false, text: false, toolOutput: false };
  /** @internal */ modelSpoke = false;
  /** @internal */ remainder = Buffer.alloc(0);
  /** @internal */ uncommittedMs = 0;
  /** @internal */ vad = { speaking: false, silentMs: 0, itemId: "", startMs: 0 };
  /** @internal */ inputTokensBilled = 0;
  /** @internal */ readonly closed: Promise<void>;

  constructor(ws: WebSocket, model: string, script: ScriptTurnInput[], opts: RealtimeSession["opts"]) {
    this.ws = ws;
    this.model = model;
    this.opts = opts;
    this.script = script.map(normalizeTurn);
    this.config = {
      type: "realtime",
      object: "realtime.session",
      id: this.id,
      model,
      output_modalities: ["audio"],
      instructions: "",
      tools: [],
      tool_choice: "auto",
      max_output_tokens: "inf",
      tracing: null,
      truncation: "auto",
      prompt: null,
      expires_at: Math.floor(Date.now() / 1000) + 3600,
      include: null,
      audio: {
        input: {
          format: { type: "audio/pcm", rate: 24000 },
          transcription: null,
          noise_reduction: null,
          turn_detection: { type: "server_vad", threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 200, idle_timeout_ms: null, create_response: true, interrupt_response: true },
        },
        output: { format: { type: "audio/pcm", rate: 24000 }, voice: "alloy", speed: 1 },
      },
    };
    this.closed = new Promise((resolve) => {
      ws.on("close", (code) => {
        this.closeCode ??= code;
        this.closedBy ??= "client";
        if (this.active) this.active.wake();
        if (this.closedBy === "client") {
          for (const [callId, c] of this.pendingCalls) {
            if (!this.opts.noOutputNeeded.includes(c.name)) {
              this.violate("missing_tool_output", `session closed without a function_call_output for call_id ${callId} (${c.name})`);
            }
          }
        }
        resolve();
      });
    });
    ws.on("message", (data, isBinary) => this.onMessage(data as Buffer, isBinary));
    this.emit({ type: "session.created", session: this.config as never });
  }

  /**
   * The conversation as the model holds it, in order: caller turns (their scripted transcript), assistant
   * speech (transcript and ms of audio kept after truncation), tool calls and outputs. Handy for demos and
   * for failure messages.
   */
  conversation(): { itemId: string; role: "caller" | "assistant" | "system" | "tool_call" | "tool_output"; text: string; audioMs?: number }[] {
    return [...this.items.values()].map((it) => {
      if (it.type === "function_call") return { itemId: it.id, role: "tool_call" as const, text: it.transcript };
      if (it.type === "function_call_output") return { itemId: it.id, role: "tool_output" as const, text: it.transcript };
      if (it.role === "assistant") return { itemId: it.id, role: "assistant" as const, text: it.transcript, audioMs: it.audioMs };
      return { itemId: it.id, role: it.role === "system" ? ("system" as const) : ("caller" as const), text: it.transcript };
    });
  }

  /** Resolves when the socket has closed. */
  whenClosed(): Promise<void> {
    return this.closed;
  }

  get inputFormat(): AudioFormat {
    return (this.config["audio"] as { input: { format: AudioFormat } }).input.format;
  }

  get outputFormat(): AudioFormat {
    return (this.config["audio"] as { output: { format: AudioFormat } }).output.format;
  }

  /** @internal */ get turnDetection(): z.infer<typeof TurnDetection> {
    return (this.config["audio"] as { input: { turn_detection: z.infer<typeof TurnDetection> } }).input.turn_detection;
  }

  /** Server-initiated close (e.g. the emulator is shutting down or a script says so). */
  close(code = 1000, reason = ""): void {
    this.closedBy ??= "server";
    this.closeCode ??= code;
    this.ws.close(code, reason);
  }

  /** @internal */ violate(kind: string, message: string): void {
    this.violations.push({ sessionId: this.id, kind, message });
  }

  /** For checks that would fire on every audio frame: one violation per kind and session is enough. */
  /** @internal */ violateOnce(kind: string, message: string): void {
    if (!this.violations.some((v) => v.kind === kind)) this.violate(kind, message);
  }

  /** @internal */ emit(ev: ServerEvent): void {
    const full = { event_id: id("event_"), ...ev };
    if (ev.type !== "response.output_audio.delta") this.sent.push(full);
    else this.sent.push({ ...full, delta: `<${Buffer.from((ev as { delta: string }).delta, "base64").length} bytes>` });
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(full));
  }

  /** @internal */ sendError(type: string, code: string, message: string, param: string | null = null, eventId: string | null = null): void {
    this.errorsSent.push({ code, message });
    this.emit({ type: "error", error: { type, code, message, param, event_id: eventId } });
  }

  /** Protocol violation: recorded (fails assertNoViolations) and answered with an error event like the real server. */
  /** @internal */ reject(kind: string, message: string, code = "invalid_value", param: string | null = null, eventId: string | null = null): void {
    this.violate(kind, message);
    this.sendError("invalid_request_error", code, message, param, eventId);
  }

  // ── client events ───────────────────────────────────────────────────────────────────────────────────

  /** @internal */ onMessage(data: Buffer, isBinary: boolean): void {
    if (isBinary) {
      this.reject("binary_frame", "binary WebSocket frame: the Realtime API takes JSON text events", "invalid_json");
      return;
    }
    let ev: Record<string, unknown>;
    try {
      ev = JSON.parse(data.toString("utf8"));
    } catch {
      this.reject("invalid_json", `event is not JSON: ${data.toString("utf8").slice(0, 80)}`, "invalid_json");
      return;
    }
    if (typeof ev !== "object" || ev === null || typeof ev["type"] !== "string") {
      this.reject("invalid_event", "event without a string `type`", "invalid_event");
      return;
    }
    const type = ev["type"];
    const eventId = typeof ev["event_id"] === "string" ? ev["event_id"] : null;
    this.received.push(type === "input_audio_buffer.append" ? { type, event_id: eventId, bytes: typeof ev["audio"] === "string" ? Buffer.from(ev["audio"], "base64").length : undefined } : ev);
    if (!CLIENT_EVENTS.has(type)) {
      this.reject("unknown_event", `unknown client event type "${type}" (not in the GA Realtime API)`, "invalid_event", "type", eventId);
      return;
    }
    switch (type) {
      case "session.update":
        this.onSessionUpdate(ev, eventId);
        return;
      case "input_audio_buffer.append":
        onAppend(this, ev, eventId);
        return;
      case "input_audio_buffer.commit":
        onCommit(this, eventId);
        return;
      case "input_audio_buffer.clear":
        this.remainder = Buffer.alloc(0);
        this.uncommittedMs = 0;
        this.vad = { speaking: false, silentMs: 0, itemId: "", startMs: 0 };
        this.emit({ type: "input_audio_buffer.cleared" });
        return;
      case "output_audio_buffer.clear":
        this.sendError("invalid_request_error", "unsupported_event", "output_audio_buffer.clear is only supported for WebRTC sessions", "type", eventId);
        return;
      case "conversation.item.create":
        onItemCreate(this, ev, eventId);
        return;
      case "conversation.item.truncate":
        onTruncate(this, ev, eventId);
        return;
      case "conversation.item.retrieve":
      case "conversation.item.delete":
        onItemLookup(this, type, ev, eventId);
        return;
      case "response.create":
        onResponseCreate(this, ev, eventId);
        return;
      case "response.cancel":
        if (!this.active) {
          this.sendError("invalid_request_error", "response_cancel_not_active", "Cancellation failed: no active response found", null, eventId);
          return;
        }
        cancel(this, "client_cancelled");
        return;
    }
  }

  /** @internal */ onSessionUpdate(ev: Record<string, unknown>, eventId: string | null): void {
    const session = ev["session"];
    if (typeof session !== "object" || session === null) {
      this.reject("session_update", "session.update without a `session` object", "missing_required_parameter", "session", eventId);
      return;
    }
    const beta = BETA_SESSION_KEYS.filter((k) => k in session);
    if (beta.length > 0) {
      this.reject("beta_session_update", `session.update in the beta shape: ${beta.map((k) => `session.${k}`).join(", ")} (GA nests these under session.audio / output_modalities)`, "unknown_parameter", `session.${beta[0]}`, eventId);
      return;
    }
    const parsed = SessionUpdate.safeParse(session);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;this.reject("session_update", `invalid session.update: ${issue.path.join(".") || "session"}: ${issue.message}`, "invalid_value", `session.${issue.path.join(".")}`, eventId); return; 
    }
    const s: SessionUpdate = parsed.data;
    const audio = this.config["audio"] as { input: Record<string, unknown>; output: Record<string, unknown> };
    if (s.audio?.output?.voice && s.audio.output.voice !== audio.output["voice"] && this.modelSpoke) {
      this.reject("voice_change", "cannot change the voice once the model has produced audio", "cannot_update_voice", "session.audio.output.voice", eventId);
      return;
    }
    const { audio: a, ...rest } = s;
    Object.assign(this.config, rest);
    if (a?.input) Object.assign(audio.input, a.input);
    if (a?.output) Object.assign(audio.output, a.output);
    const fixRate = (f: AudioFormat | undefined) => (f?.type === "audio/pcm" ? { type: "audio/pcm", rate: 24000 } : f);
    audio.input["format"] = fixRate(audio.input["format"] as AudioFormat);
    audio.output["format"] = fixRate(audio.output["format"] as AudioFormat);
    this.emit({ type: "session.updated", session: this.config as never });
  }

  /** @internal */ addItem(item: ItemState): void {
    this.items.set(item.id, item);
    this.lastItemId = item.id;
  }

  // ── responses ─────────────────────────────────────────────────────────────────────────────────────

}
