import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { RealtimeServerEvent } from "openai/resources/realtime/realtime";
import { type WebSocket, WebSocketServer } from "ws";
import { z } from "zod";
import { decodeMuLaw, encodeMuLaw } from "@orderline/audio";
import { decodeALaw, encodeALaw, pcm16FromBytes, pcm16Rms, pcm16ToBytes, speechPcm16 } from "./audio.ts";
import { type ModelAction, normalizeTurn, type ScriptTurn, type ScriptTurnInput, type Trigger } from "./realtime-script.ts";

// ── GA shapes the emulator accepts (PROTOCOLS.md §5) ──────────────────────────────────────────────────

const AudioFormat = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("audio/pcm"), rate: z.literal(24000).optional() }),
  z.strictObject({ type: z.literal("audio/pcmu") }),
  z.strictObject({ type: z.literal("audio/pcma") }),
]);
export type AudioFormat = z.infer<typeof AudioFormat>;

const Voice = z.enum(["alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse", "marin", "cedar"]);

const TurnDetection = z
  .discriminatedUnion("type", [
    z.strictObject({
      type: z.literal("server_vad"),
      threshold: z.number().min(0).max(1).optional(),
      prefix_padding_ms: z.number().int().min(0).optional(),
      silence_duration_ms: z.number().int().min(0).optional(),
      create_response: z.boolean().optional(),
      interrupt_response: z.boolean().optional(),
      idle_timeout_ms: z.number().int().min(0).nullable().optional(),
    }),
    z.strictObject({
      type: z.literal("semantic_vad"),
      eagerness: z.enum(["low", "medium", "high", "auto"]).optional(),
      create_response: z.boolean().optional(),
      interrupt_response: z.boolean().optional(),
    }),
  ])
  .nullable();

const Tool = z.strictObject({
  type: z.literal("function"),
  name: z.string().min(1).max(64).regex(/^[a-zA-Z0-9_-]+$/, "function names are [a-zA-Z0-9_-]"),
  description: z.string().optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
});

const SessionUpdate = z.strictObject({
  type: z.literal("realtime"),
  model: z.string().optional(),
  instructions: z.string().optional(),
  output_modalities: z.union([z.tuple([z.literal("audio")]), z.tuple([z.literal("text")])]).optional(),
  audio: z
    .strictObject({
      input: z
        .strictObject({
          format: AudioFormat.optional(),
          noise_reduction: z.strictObject({ type: z.enum(["near_field", "far_field"]) }).nullable().optional(),
          transcription: z
            .strictObject({ model: z.string().optional(), language: z.string().optional(), prompt: z.string().optional() })
            .nullable()
            .optional(),
          turn_detection: TurnDetection.optional(),
        })
        .optional(),
      output: z.strictObject({ format: AudioFormat.optional(), voice: Voice.optional(), speed: z.number().min(0.25).max(1.5).optional() }).optional(),
    })
    .optional(),
  tools: z.array(Tool).optional(),
  tool_choice: z.union([z.enum(["auto", "none", "required"]), z.strictObject({ type: z.literal("function"), name: z.string() })]).optional(),
  max_output_tokens: z.union([z.number().int().min(1).max(4096), z.literal("inf")]).optional(),
  truncation: z.unknown().optional(),
  tracing: z.unknown().optional(),
  prompt: z.unknown().optional(),
  include: z.array(z.string()).nullable().optional(),
  parallel_tool_calls: z.boolean().optional(),
});
type SessionUpdate = z.infer<typeof SessionUpdate>;

/**
 * Tells 8-bit G.711 from little-endian PCM16 without knowing the content: in PCM16 the even (low) bytes are
 * nearly random while the odd (high) bytes move slowly, so their mean steps differ by 10× or more; in G.711
 * every byte is a code of the same smooth signal, so the two steps are about equal. Returns undefined for
 * audio too quiet or too short to judge.
 */
export function guessByteFormat(bytes: Uint8Array): "g711" | "pcm16" | undefined {
  const n = Math.floor(bytes.length / 2);
  if (n < 80) return undefined;
  let even = 0;
  let odd = 0;
  for (let i = 1; i < n; i++) {
    even += Math.abs(bytes[2 * i]! - bytes[2 * i - 2]!);
    odd += Math.abs(((bytes[2 * i + 1]! << 24) >> 24) - ((bytes[2 * i - 1]! << 24) >> 24));
  }
  even /= n - 1;
  odd /= n - 1;
  if (even < 5) return undefined;
  const ratio = even / Math.max(odd, 1e-9);
  return ratio < 3 ? "g711" : ratio > 10 ? "pcm16" : undefined;
}

/**
 * The exact bytes the emulated model sends for `say(…, ms)` in a session with this output format, so a test
 * can check that what the caller heard is what the model said (e.g. pcmu passthrough is byte-identical).
 */
export function modelAudio(ms: number, format: AudioFormat = { type: "audio/pcmu" }): Buffer {
  if (format.type === "audio/pcm") return pcm16ToBytes(speechPcm16(ms, 24000, { pitchHz: 210, seed: 7 }));
  const pcm = speechPcm16(ms, 8000, { pitchHz: 210, seed: 7 });
  return format.type === "audio/pcma" ? encodeALaw(pcm) : Buffer.from(encodeMuLaw(pcm));
}

/** Top-level session fields of the beta API shape (switched off in GA). */
const BETA_SESSION_KEYS = [
  "modalities",
  "input_audio_format",
  "output_audio_format",
  "voice",
  "turn_detection",
  "input_audio_transcription",
  "input_audio_noise_reduction",
  "speed",
  "temperature",
  "max_response_output_tokens",
];
const BETA_RESPONSE_KEYS = ["modalities", "voice", "output_audio_format", "temperature", "max_response_output_tokens"];

const ResponseParams = z
  .strictObject({
    instructions: z.string().optional(),
    tools: z.array(Tool).optional(),
    tool_choice: z.unknown().optional(),
    output_modalities: z.array(z.enum(["audio", "text"])).optional(),
    max_output_tokens: z.union([z.number().int(), z.literal("inf")]).optional(),
    conversation: z.union([z.literal("auto"), z.literal("none"), z.string()]).optional(),
    metadata: z.record(z.string(), z.string()).nullable().optional(),
    input: z.array(z.unknown()).optional(),
    audio: z.unknown().optional(),
    prompt: z.unknown().optional(),
  })
  .optional();

const CLIENT_EVENTS = new Set([
  "session.update",
  "input_audio_buffer.append",
  "input_audio_buffer.commit",
  "input_audio_buffer.clear",
  "output_audio_buffer.clear",
  "conversation.item.create",
  "conversation.item.retrieve",
  "conversation.item.truncate",
  "conversation.item.delete",
  "response.create",
  "response.cancel",
]);

// ── public types ──────────────────────────────────────────────────────────────────────────────────────

export type Violation = { sessionId: string; kind: string; message: string };

export type RealtimeEmulatorOptions = {
  /** If set, `Authorization: Bearer <apiKey>` must match; otherwise any bearer token is accepted. */
  apiKey?: string;
  /** Wall ms per ms of generated audio: 1 = real time (default), 0.25 = 4× faster, 0 = as fast as possible. */
  pace?: number;
  /** Audio per `response.output_audio.delta`, ms (default 20). */
  chunkMs?: number;
  /** Function calls that need no function_call_output (the gateway ends the call instead). Default ["end_call"]. */
  noOutputNeeded?: string[];
  port?: number;
};

type ItemState = {
  id: string;
  type: "message" | "function_call" | "function_call_output";
  role: "user" | "assistant" | "system" | undefined;
  /** Assistant audio actually sent for this item, ms. */
  audioMs: number;
  transcript: string;
  callId?: string;
};

type ActiveResponse = {
  id: string;
  cancelled: string | undefined;
  wake: () => void;
  outputItems: Record<string, unknown>[];
  audioMs: number;
  textChars: number;
  finished: Promise<void>;
};

type Distribute<T> = T extends unknown ? Omit<T, "event_id"> : never;
type ServerEvent = Distribute<RealtimeServerEvent>;

const id = (prefix: string) => prefix + randomBytes(11).toString("base64url");
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

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

  private readonly ws: WebSocket;
  private readonly opts: Required<Omit<RealtimeEmulatorOptions, "apiKey" | "port">>;
  private readonly script: ScriptTurn[];
  private scriptIndex = 0;
  private readonly items = new Map<string, ItemState>();
  private lastItemId: string | null = null;
  private readonly pendingCalls = new Map<string, { name: string }>();
  private active: ActiveResponse | undefined;
  private since = { audio: false, text: false, toolOutput: false };
  private modelSpoke = false;
  private remainder = Buffer.alloc(0);
  private uncommittedMs = 0;
  private vad = { speaking: false, silentMs: 0, itemId: "", startMs: 0 };
  private inputTokensBilled = 0;
  private readonly closed: Promise<void>;

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

  private get turnDetection(): z.infer<typeof TurnDetection> {
    return (this.config["audio"] as { input: { turn_detection: z.infer<typeof TurnDetection> } }).input.turn_detection;
  }

  /** Server-initiated close (e.g. the emulator is shutting down or a script says so). */
  close(code = 1000, reason = ""): void {
    this.closedBy ??= "server";
    this.closeCode ??= code;
    this.ws.close(code, reason);
  }

  private violate(kind: string, message: string): void {
    this.violations.push({ sessionId: this.id, kind, message });
  }

  /** For checks that would fire on every audio frame: one violation per kind and session is enough. */
  private violateOnce(kind: string, message: string): void {
    if (!this.violations.some((v) => v.kind === kind)) this.violate(kind, message);
  }

  private emit(ev: ServerEvent): void {
    const full = { event_id: id("event_"), ...ev };
    if (ev.type !== "response.output_audio.delta") this.sent.push(full);
    else this.sent.push({ ...full, delta: `<${Buffer.from((ev as { delta: string }).delta, "base64").length} bytes>` });
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(full));
  }

  private sendError(type: string, code: string, message: string, param: string | null = null, eventId: string | null = null): void {
    this.errorsSent.push({ code, message });
    this.emit({ type: "error", error: { type, code, message, param, event_id: eventId } });
  }

  /** Protocol violation: recorded (fails assertNoViolations) and answered with an error event like the real server. */
  private reject(kind: string, message: string, code = "invalid_value", param: string | null = null, eventId: string | null = null): void {
    this.violate(kind, message);
    this.sendError("invalid_request_error", code, message, param, eventId);
  }

  // ── client events ───────────────────────────────────────────────────────────────────────────────────

  private onMessage(data: Buffer, isBinary: boolean): void {
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
        this.onAppend(ev, eventId);
        return;
      case "input_audio_buffer.commit":
        this.onCommit(eventId);
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
        this.onItemCreate(ev, eventId);
        return;
      case "conversation.item.truncate":
        this.onTruncate(ev, eventId);
        return;
      case "conversation.item.retrieve":
      case "conversation.item.delete":
        this.onItemLookup(type, ev, eventId);
        return;
      case "response.create":
        this.onResponseCreate(ev, eventId);
        return;
      case "response.cancel":
        if (!this.active) {
          this.sendError("invalid_request_error", "response_cancel_not_active", "Cancellation failed: no active response found", null, eventId);
          return;
        }
        this.cancel("client_cancelled");
        return;
    }
  }

  private onSessionUpdate(ev: Record<string, unknown>, eventId: string | null): void {
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

  private bytesPerMs(f: AudioFormat): number {
    return f.type === "audio/pcm" ? 48 : 8;
  }

  private onAppend(ev: Record<string, unknown>, eventId: string | null): void {
    const audio = ev["audio"];
    if (typeof audio !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(audio)) {
      this.reject("append", "input_audio_buffer.append needs `audio` as a base64 string", "invalid_value", "audio", eventId);
      return;
    }
    const bytes = Buffer.from(audio, "base64");
    const fmt = this.inputFormat;
    if (fmt.type === "audio/pcm" && bytes.length % 2 !== 0) {
      this.violateOnce("audio_format", `appended ${bytes.length} bytes but the session input format is PCM16 (even byte counts); is it mu-law?`);
    } else if (fmt.type === "audio/pcm" && guessByteFormat(bytes) === "g711") {
      this.violateOnce("audio_format", "appended audio looks like 8-bit G.711 (mu-law passthrough?) but the session input format is audio/pcm (PCM16 24 kHz)");
    }
    if (fmt.type !== "audio/pcm" && bytes.length >= 80) {
      const zeros = bytes.reduce((n, b) => n + (b === 0 ? 1 : 0), 0);
      if (zeros / bytes.length > 0.2 || guessByteFormat(bytes) === "pcm16") {
        this.violateOnce("audio_format", `appended audio looks like PCM16 but the session input format is ${fmt.type}`);
      }
    }
    this.runVad(bytes, fmt);
  }

  private decode(bytes: Buffer, fmt: AudioFormat): Int16Array {
    if (fmt.type === "audio/pcmu") return decodeMuLaw(bytes);
    if (fmt.type === "audio/pcma") return decodeALaw(bytes);
    return pcm16FromBytes(bytes.length % 2 === 0 ? bytes : bytes.subarray(0, bytes.length - 1));
  }

  /** Energy VAD over 20 ms windows of input-buffer time. */
  private runVad(bytes: Buffer, fmt: AudioFormat): void {
    const windowBytes = 20 * this.bytesPerMs(fmt);
    let buf = this.remainder.length > 0 ? Buffer.concat([this.remainder, bytes]) : bytes;
    while (buf.length >= windowBytes) {
      const win = buf.subarray(0, windowBytes);
      buf = buf.subarray(windowBytes);
      this.inputMs += 20;
      this.uncommittedMs += 20;
      const td = this.turnDetection;
      if (!td) continue;
      const threshold = td.type === "server_vad" ? (td.threshold ?? 0.5) : 0.5;
      const speech = pcm16Rms(this.decode(win, fmt)) > 0.005 + 0.05 * threshold;
      const silenceMs =
        td.type === "server_vad" ? (td.silence_duration_ms ?? 500) : ({ low: 800, medium: 500, high: 250, auto: 500 } as const)[td.eagerness ?? "auto"];
      if (!this.vad.speaking) {
        if (!speech) continue;
        const padding = td.type === "server_vad" ? (td.prefix_padding_ms ?? 300) : 300;
        this.vad = { speaking: true, silentMs: 0, itemId: id("item_"), startMs: Math.max(0, this.inputMs - 20 - padding) };
        this.speechTurns.push({ startMs: this.vad.startMs, endMs: undefined, itemId: this.vad.itemId });
        this.emit({ type: "input_audio_buffer.speech_started", audio_start_ms: this.vad.startMs, item_id: this.vad.itemId });
        if (this.active && td.interrupt_response !== false) this.cancel("turn_detected");
      } else if (speech) this.vad.silentMs = 0;
      else {
        this.vad.silentMs += 20;
        if (this.vad.silentMs >= silenceMs) {
          // Like the real server: the end of the audio sent to the model, silence_duration_ms included.
          const endMs = this.inputMs;
          this.speechTurns.at(-1)!.endMs = endMs;
          this.emit({ type: "input_audio_buffer.speech_stopped", audio_end_ms: endMs, item_id: this.vad.itemId });
          const itemId = this.vad.itemId;
          this.vad = { speaking: false, silentMs: 0, itemId: "", startMs: 0 };
          this.commitUserAudio(itemId);
          if (td.create_response !== false) void this.respond("caller_speech", undefined);
        }
      }
    }
    this.remainder = Buffer.from(buf);
  }

  private commitUserAudio(itemId: string): void {
    const previous = this.lastItemId;
    this.addItem({ id: itemId, type: "message", role: "user", audioMs: 0, transcript: "" });
    this.uncommittedMs = 0;
    this.since.audio = true;
    this.emit({ type: "input_audio_buffer.committed", item_id: itemId, previous_item_id: previous });
    const item = { id: itemId, object: "realtime.item", type: "message", role: "user", status: "completed", content: [{ type: "input_audio", transcript: null }] } as const;
    this.emit({ type: "conversation.item.added", previous_item_id: previous, item: item as never });
    this.emit({ type: "conversation.item.done", previous_item_id: previous, item: item as never });
    // What the caller said, per the script (the model "hears" it whether or not transcription is on).
    const next = this.script[this.scriptIndex];
    const transcript = next && (next.on === "caller_speech" || next.on === "any") ? (next.heard ?? "") : "";
    this.items.get(itemId)!.transcript = transcript;
    const transcription = (this.config["audio"] as { input: { transcription: unknown } }).input.transcription;
    if (transcription) {
      this.emit({ type: "conversation.item.input_audio_transcription.completed", item_id: itemId, content_index: 0, transcript, usage: { type: "duration", seconds: 1 } });
    }
  }

  private addItem(item: ItemState): void {
    this.items.set(item.id, item);
    this.lastItemId = item.id;
  }

  private onCommit(eventId: string | null): void {
    const ms = this.uncommittedMs;
    if (ms < 100) {
      this.sendError("invalid_request_error", "input_audio_buffer_commit_empty", `Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has ${ms}.00ms of audio.`, null, eventId);
      return;
    }
    this.commitUserAudio(this.vad.speaking ? this.vad.itemId : id("item_"));
    this.vad = { speaking: false, silentMs: 0, itemId: "", startMs: 0 };
  }

  private onItemCreate(ev: Record<string, unknown>, eventId: string | null): void {
    const item = ev["item"] as Record<string, unknown> | undefined;
    if (typeof item !== "object" || item === null) {
      this.reject("item_create", "conversation.item.create without an `item` object", "missing_required_parameter", "item", eventId);
      return;
    }
    const itemId = typeof item["id"] === "string" ? item["id"] : id("item_");
    const previous = this.lastItemId;
    switch (item["type"]) {
      case "function_call_output": {
        const callId = item["call_id"];
        const output = item["output"];
        if (typeof callId !== "string") {
          this.reject("tool_output", "function_call_output without a string call_id", "missing_required_parameter", "item.call_id", eventId);
          return;
        }
        if (typeof output !== "string") {
          this.reject("tool_output", `function_call_output for ${callId}: output must be a string (JSON-encode objects), got ${typeof output}`, "invalid_type", "item.output", eventId);
          return;
        }
        if (!this.functionCalls.some((c) => c.callId === callId)) {
          this.reject("tool_output", `function_call_output for unknown call_id ${callId}`, "invalid_value", "item.call_id", eventId);
          return;
        }
        if (!this.pendingCalls.has(callId)) this.violate("tool_output", `second function_call_output for call_id ${callId}`);
        this.pendingCalls.delete(callId);
        this.toolOutputs.push({ callId, output });
        this.since.toolOutput = true;
        this.addItem({ id: itemId, type: "function_call_output", role: undefined, audioMs: 0, transcript: output, callId });
        break;
      }
      case "message": {
        const role = item["role"];
        const content = item["content"];
        if (role !== "user" && role !== "system" && role !== "assistant") {
          this.reject("item_create", `message role must be user, system or assistant, got ${JSON.stringify(role)}`, "invalid_value", "item.role", eventId);
          return;
        }
        if (!Array.isArray(content) || content.length === 0) {
          this.reject("item_create", "message needs a non-empty `content` array", "invalid_value", "item.content", eventId);
          return;
        }
        const allowed = role === "assistant" ? ["output_text", "output_audio"] : role === "system" ? ["input_text"] : ["input_text", "input_audio", "input_image"];
        for (const c of content as Record<string, unknown>[]) {
          if (!allowed.includes(String(c?.["type"]))) {
            this.reject("item_create", `${role} message content type ${JSON.stringify(c?.["type"])} is not GA (expected ${allowed.join(" | ")})`, "invalid_value", "item.content.type", eventId);
            return;
          }
        }
        if (role === "user") this.since.text = true;
        const text = (content as Record<string, unknown>[]).map((c) => String(c["text"] ?? "")).join(" ");
        this.addItem({ id: itemId, type: "message", role, audioMs: 0, transcript: text });
        break;
      }
      case "function_call":
        this.addItem({ id: itemId, type: "function_call", role: undefined, audioMs: 0, transcript: "" });
        break;
      default:
        this.reject("item_create", `unsupported item type ${JSON.stringify(item["type"])}`, "invalid_value", "item.type", eventId);
        return;
    }
    const full = { ...item, id: itemId, object: "realtime.item", status: "completed" };
    this.emit({ type: "conversation.item.added", previous_item_id: previous, item: full as never });
    this.emit({ type: "conversation.item.done", previous_item_id: previous, item: full as never });
  }

  private onTruncate(ev: Record<string, unknown>, eventId: string | null): void {
    const itemId = ev["item_id"];
    const audioEndMs = ev["audio_end_ms"];
    const contentIndex = ev["content_index"];
    if (typeof itemId !== "string") {
      this.reject("truncate", "conversation.item.truncate without item_id", "missing_required_parameter", "item_id", eventId);
      return;
    }
    if (contentIndex !== 0) {
      this.reject("truncate", `conversation.item.truncate content_index must be 0, got ${JSON.stringify(contentIndex)}`, "invalid_value", "content_index", eventId);
      return;
    }
    if (typeof audioEndMs !== "number" || !Number.isInteger(audioEndMs) || audioEndMs < 0) {
      this.reject("truncate", `audio_end_ms must be a non-negative integer, got ${JSON.stringify(audioEndMs)}`, "invalid_value", "audio_end_ms", eventId);
      return;
    }
    const item = this.items.get(itemId);
    if (!item) {
      this.reject("truncate", `conversation.item.truncate: no item ${itemId}`, "item_not_found", "item_id", eventId);
      return;
    }
    if (item.type !== "message" || item.role !== "assistant") {
      this.reject("truncate", `conversation.item.truncate: item ${itemId} is not an assistant audio message`, "invalid_value", "item_id", eventId);
      return;
    }
    if (audioEndMs > item.audioMs) {
      this.truncates.push({ itemId, audioEndMs, sentMs: item.audioMs, accepted: false });this.reject("truncate_past_audio", `Audio content of ${item.audioMs}ms is already shorter than ${audioEndMs}ms (truncate past the audio actually sent for ${itemId})`, "invalid_value", "audio_end_ms", eventId); return; 
    }
    this.truncates.push({ itemId, audioEndMs, sentMs: item.audioMs, accepted: true });
    item.audioMs = audioEndMs;
    this.emit({ type: "conversation.item.truncated", item_id: itemId, content_index: 0, audio_end_ms: audioEndMs });
  }

  private onItemLookup(type: string, ev: Record<string, unknown>, eventId: string | null): void {
    const itemId = ev["item_id"];
    const item = typeof itemId === "string" ? this.items.get(itemId) : undefined;
    if (!item) {
      this.sendError("invalid_request_error", "item_not_found", `Item with item_id ${String(itemId)} not found`, "item_id", eventId);
      return;
    }
    if (type === "conversation.item.delete") {
      this.items.delete(item.id);
      this.emit({ type: "conversation.item.deleted", item_id: item.id });
    } else this.emit({ type: "conversation.item.retrieved", item: { id: item.id, type: item.type, object: "realtime.item", status: "completed" } as never } as never);
  }

  private onResponseCreate(ev: Record<string, unknown>, eventId: string | null): void {
    const params = ev["response"];
    if (params && typeof params === "object") {
      const beta = BETA_RESPONSE_KEYS.filter((k) => k in params);
      if (beta.length > 0) {
        this.reject("beta_response_create", `response.create in the beta shape: ${beta.map((k) => `response.${k}`).join(", ")}`, "unknown_parameter", `response.${beta[0]}`, eventId);
        return;
      }
    }
    const parsed = ResponseParams.safeParse(params);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;this.reject("response_create", `invalid response.create: response.${issue.path.join(".")}: ${issue.message}`, "invalid_value", `response.${issue.path.join(".")}`, eventId); return; 
    }
    for (const [callId, c] of this.pendingCalls) {
      if (!this.opts.noOutputNeeded.includes(c.name)) this.violate("missing_tool_output", `response.create before the function_call_output for call_id ${callId} (${c.name})`);
    }
    if (this.active) {
      this.sendError("invalid_request_error", "conversation_already_has_active_response", `Conversation already has an active response in progress: ${this.active.id}. Wait until the response is finished before creating a new one.`, null, eventId);
      return;
    }
    const trigger: Trigger = this.since.toolOutput
      ? "tool_result"
      : this.since.text
        ? "text"
        : this.since.audio
          ? "caller_speech"
          : this.responses.length === 0
            ? "greeting"
            : "response_create";
    void this.respond(trigger, parsed.data);
  }

  // ── responses ─────────────────────────────────────────────────────────────────────────────────────

  private cancel(reason: "turn_detected" | "client_cancelled"): void {
    if (!this.active || this.active.cancelled) return;
    this.active.cancelled = reason;
    this.active.wake();
  }

  private takeTurn(trigger: Trigger): ScriptTurn | undefined {
    const turn = this.script[this.scriptIndex];
    if (!turn) {
      this.unscripted.push(trigger);
      return undefined;
    }
    // A greeting is the session's first response however it was asked for (bare response.create, or a
    // user text item such as "the caller is connected").
    const greeting = turn.on === "greeting" && this.responses.length === 0 && (trigger === "greeting" || trigger === "text" || trigger === "response_create");
    const ok = turn.on === "any" || turn.on === trigger || greeting || (turn.on === "response_create" && trigger !== "caller_speech");
    if (!ok) {
      this.violate("script_mismatch", `script turn ${this.scriptIndex} expects ${turn.on} but the conversation produced ${trigger}`);
      return undefined;
    }
    this.scriptIndex += 1;
    return turn;
  }

  private usage(active: ActiveResponse): Record<string, number | Record<string, number | Record<string, number>>> {
    const instructions = String(this.config["instructions"] ?? "");
    const tools = JSON.stringify(this.config["tools"] ?? []);
    const textIn = Math.ceil((instructions.length + tools.length) / 4) + this.toolOutputs.reduce((n, o) => n + Math.ceil(o.output.length / 4), 0);
    const audioIn = Math.ceil(this.inputMs / 100) + this.responses.reduce((n, r) => n + Math.ceil(r.audioMs / 50), 0);
    const inputTokens = textIn + audioIn;
    const cached = Math.min(inputTokens, Math.floor(this.inputTokensBilled / 64) * 64);
    const cachedText = Math.min(textIn, cached);
    this.inputTokensBilled = inputTokens;
    const audioOut = Math.ceil(active.audioMs / 50);
    const textOut = Math.ceil(active.textChars / 4);
    return {
      total_tokens: inputTokens + audioOut + textOut,
      input_tokens: inputTokens,
      output_tokens: audioOut + textOut,
      input_token_details: {
        text_tokens: textIn,
        audio_tokens: audioIn,
        image_tokens: 0,
        cached_tokens: cached,
        cached_tokens_details: { text_tokens: cachedText, audio_tokens: cached - cachedText, image_tokens: 0 },
      },
      output_token_details: { text_tokens: textOut, audio_tokens: audioOut },
    };
  }

  private async respond(trigger: Trigger, params: z.infer<typeof ResponseParams>): Promise<void> {
    // A response being cancelled (barge-in) still has to send its response.done; the new one follows it.
    while (this.active?.cancelled) await this.active.finished;
    if (this.active) {
      this.sendError("invalid_request_error", "conversation_already_has_active_response", `Conversation already has an active response in progress: ${this.active.id}.`);
      return;
    }
    const turn = this.takeTurn(trigger);
    this.since = { audio: false, text: false, toolOutput: false };
    let wake: () => void = () => {};
    let finish: () => void = () => {};
    const finished = new Promise<void>((r) => {
      finish = r;
    });
    const active: ActiveResponse = { id: id("resp_"), cancelled: undefined, wake: () => wake(), outputItems: [], audioMs: 0, textChars: 0, finished };
    this.active = active;
    try {
      await this.runResponse(active, turn, trigger, params, (w) => {
        wake = w;
      });
    } finally {
      if (this.active === active) this.active = undefined;
      finish();
    }
  }

  private async runResponse(
    active: ActiveResponse,
    turn: ScriptTurn | undefined,
    trigger: Trigger,
    params: z.infer<typeof ResponseParams>,
    setWake: (w: () => void) => void,
  ): Promise<void> {
    const record = { id: active.id, trigger, status: "in_progress", audioMs: 0, transcript: "" };
    this.responses.push(record);
    const fmt = this.outputFormat;
    const voice = (this.config["audio"] as { output: { voice: string } }).output.voice;
    const base = {
      id: active.id,
      object: "realtime.response" as const,
      conversation_id: id("conv_"),
      output_modalities: (params?.output_modalities ?? this.config["output_modalities"]) as ("audio" | "text")[],
      max_output_tokens: (params?.max_output_tokens ?? this.config["max_output_tokens"]) as number | "inf",
      audio: { output: { format: fmt, voice } },
      metadata: params?.metadata ?? null,
    };
    this.emit({ type: "response.created", response: { ...base, status: "in_progress", status_details: null as never, output: [], usage: null as never } });
    this.emit({
      type: "rate_limits.updated",
      rate_limits: [
        { name: "requests", limit: 5000, remaining: 4999, reset_seconds: 0.012 },
        { name: "tokens", limit: 400000, remaining: 395000, reset_seconds: 0.75 },
      ],
    });
    let status: "completed" | "cancelled" | "failed" = "completed";
    let failure: { type: string; code: string } | undefined;
    const actions: ModelAction[] = turn?.actions ?? [];
    const paceSleep = async (ms: number) => {
      if (active.cancelled || this.ws.readyState !== this.ws.OPEN) return;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, ms);
        setWake(() => {
          clearTimeout(t);
          resolve();
        });
      });
    };
    for (const [outputIndex, action] of actions.entries()) {
      if (active.cancelled || this.ws.readyState !== this.ws.OPEN) break;
      if (action.kind === "say") {
        await this.speak(active, action.transcript, action.ms, outputIndex, record, paceSleep);
      } else if (action.kind === "call") {
        this.functionCall(active, action.name, action.arguments, outputIndex);
      } else if (action.kind === "fail") {
        this.sendError(action.type, action.code, action.message);
        status = "failed";
        failure = { type: action.type, code: action.code };
        break;
      } else if (action.kind === "close") {
        this.close(action.code, action.reason);
        break;
      } else if (action.kind === "stall") {
        await new Promise<void>((resolve) => setWake(resolve));
        if (!active.cancelled) break;
      }
    }
    if (this.ws.readyState !== this.ws.OPEN) {
      record.status = "aborted";
      return;
    }
    if (active.cancelled) status = "cancelled";
    record.status = status;
    const statusDetails =
      status === "completed"
        ? null
        : status === "cancelled"
          ? { type: "cancelled" as const, reason: active.cancelled as "turn_detected" | "client_cancelled" }
          : { type: "failed" as const, error: failure };
    this.active = undefined;
    this.emit({ type: "response.done", response: { ...base, status, status_details: statusDetails as never, output: active.outputItems as never, usage: this.usage(active) } });
  }

  private outputAudio(ms: number): Buffer {
    return modelAudio(ms, this.outputFormat);
  }

  private async speak(
    active: ActiveResponse,
    transcript: string,
    ms: number,
    outputIndex: number,
    record: RealtimeSession["responses"][number],
    paceSleep: (ms: number) => Promise<void>,
  ): Promise<void> {
    const itemId = id("item_");
    const previous = this.lastItemId;
    const state: ItemState = { id: itemId, type: "message", role: "assistant", audioMs: 0, transcript: "" };
    this.addItem(state);
    const item = { id: itemId, object: "realtime.item" as const, type: "message" as const, role: "assistant" as const, status: "in_progress" as const, content: [] };
    this.emit({ type: "response.output_item.added", response_id: active.id, output_index: outputIndex, item });
    this.emit({ type: "conversation.item.added", previous_item_id: previous, item });
    this.emit({ type: "response.content_part.added", response_id: active.id, item_id: itemId, output_index: outputIndex, content_index: 0, part: { type: "audio", transcript: "" } });
    this.modelSpoke = true;
    const audio = this.outputAudio(ms);
    const bpm = this.bytesPerMs(this.outputFormat);
    const chunkBytes = this.opts.chunkMs * bpm;
    const words = transcript.split(/(?<=\s)/);
    const chunks = Math.max(1, Math.ceil(audio.length / chunkBytes));
    let wordsSent = 0;
    let said = "";
    for (let i = 0; i < chunks; i++) {
      if (active.cancelled || this.ws.readyState !== this.ws.OPEN) break;
      const chunk = audio.subarray(i * chunkBytes, (i + 1) * chunkBytes);
      this.emit({ type: "response.output_audio.delta", response_id: active.id, item_id: itemId, output_index: outputIndex, content_index: 0, delta: chunk.toString("base64") });
      state.audioMs += chunk.length / bpm;
      active.audioMs += chunk.length / bpm;
      record.audioMs += chunk.length / bpm;
      const due = Math.ceil(((i + 1) * words.length) / chunks);
      if (due > wordsSent) {
        const delta = words.slice(wordsSent, due).join("");
        wordsSent = due;
        said += delta;
        this.emit({ type: "response.output_audio_transcript.delta", response_id: active.id, item_id: itemId, output_index: outputIndex, content_index: 0, delta });
      }
      await paceSleep((chunk.length / bpm) * this.opts.pace);
    }
    state.transcript = said;
    record.transcript += (record.transcript ? " " : "") + said;
    active.textChars += said.length;
    const done = active.cancelled === undefined;
    if (done) this.emit({ type: "response.output_audio.done", response_id: active.id, item_id: itemId, output_index: outputIndex, content_index: 0 });
    this.emit({ type: "response.output_audio_transcript.done", response_id: active.id, item_id: itemId, output_index: outputIndex, content_index: 0, transcript: said });
    this.emit({ type: "response.content_part.done", response_id: active.id, item_id: itemId, output_index: outputIndex, content_index: 0, part: { type: "audio", transcript: said } });
    const finished = { ...item, status: done ? ("completed" as const) : ("incomplete" as const), content: [{ type: "output_audio" as const, transcript: said }] };
    this.emit({ type: "response.output_item.done", response_id: active.id, output_index: outputIndex, item: finished });
    this.emit({ type: "conversation.item.done", previous_item_id: previous, item: finished });
    active.outputItems.push(finished);
  }

  private functionCall(active: ActiveResponse, name: string, args: string, outputIndex: number): void {
    const itemId = id("item_");
    const callId = id("call_");
    const previous = this.lastItemId;
    this.addItem({ id: itemId, type: "function_call", role: undefined, audioMs: 0, transcript: `${name} ${args}`, callId });
    const item = { id: itemId, object: "realtime.item" as const, type: "function_call" as const, status: "in_progress" as const, name, call_id: callId, arguments: "" };
    this.emit({ type: "response.output_item.added", response_id: active.id, output_index: outputIndex, item });
    this.emit({ type: "conversation.item.added", previous_item_id: previous, item });
    this.emit({ type: "response.function_call_arguments.delta", response_id: active.id, item_id: itemId, output_index: outputIndex, call_id: callId, delta: args });
    this.emit({ type: "response.function_call_arguments.done", response_id: active.id, item_id: itemId, output_index: outputIndex, call_id: callId, name, arguments: args });
    const finished = { ...item, status: "completed" as const, arguments: args };
    this.emit({ type: "response.output_item.done", response_id: active.id, output_index: outputIndex, item: finished });
    this.emit({ type: "conversation.item.done", previous_item_id: previous, item: finished });
    active.outputItems.push(finished);
    active.textChars += args.length;
    this.functionCalls.push({ callId, name, arguments: args, itemId });
    this.pendingCalls.set(callId, { name });
  }
}

/** The emulated OpenAI Realtime API (GA) at ws://127.0.0.1:PORT/v1/realtime. */
export class RealtimeEmulator {
  readonly sessions: RealtimeSession[] = [];
  /** Connection attempts refused at the HTTP upgrade or closed at once (beta header). */
  readonly rejected: { reason: string; status: number | undefined }[] = [];
  private readonly scripts: ScriptTurnInput[][] = [];
  private defaultScript: ScriptTurnInput[] = [];
  private readonly opts: RealtimeEmulatorOptions;
  private server: Server | undefined;
  private wss: WebSocketServer | undefined;
  private base = "";
  private readonly listeners = new Set<() => void>();
  private readonly emulatorViolations: Violation[] = [];

  constructor(opts: RealtimeEmulatorOptions = {}) {
    this.opts = opts;
  }

  /** ws://127.0.0.1:PORT/v1/realtime — point the gateway's OPENAI_REALTIME_URL here. */
  get url(): string {
    if (!this.base) throw new Error("RealtimeEmulator is not started: `await startRealtimeEmulator()`");
    return `${this.base}/v1/realtime`;
  }

  /** Script for the next session that connects (queue them for reconnect tests). */
  script(turns: ScriptTurnInput[]): this {
    turns.forEach(normalizeTurn);
    this.scripts.push(turns);
    return this;
  }

  /** Script used when no queued script is left. */
  setDefaultScript(turns: ScriptTurnInput[]): this {
    turns.forEach(normalizeTurn);
    this.defaultScript = turns;
    return this;
  }

  /** All protocol violations, over every session. */
  get violations(): Violation[] {
    return [...this.emulatorViolations, ...this.sessions.flatMap((s) => s.violations)];
  }

  /** Fails (throws) with a readable list if the client broke the protocol anywhere. */
  assertNoViolations(): void {
    const v = this.violations;
    if (v.length > 0) throw new Error(`Realtime protocol violations (${v.length}):\n${v.map((x) => `  - [${x.kind}] ${x.message} (${x.sessionId})`).join("\n")}`);
  }

  /** Resolves with session number `index` (0-based) once it has connected. */
  waitForSession(index = 0, timeoutMs = 10_000): Promise<RealtimeSession> {
    const existing = this.sessions[index];
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const check = () => {
        const s = this.sessions[index];
        if (s) {
          cleanup();
          resolve(s);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no Realtime session #${index} within ${timeoutMs} ms (${this.sessions.length} so far)`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
    });
  }

  async start(): Promise<this> {
    if (this.server) return this;
    const server = createServer((_req, res) => {
      res.writeHead(404, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ error: { type: "invalid_request_error", message: "the Realtime emulator only serves WebSocket /v1/realtime" } }));
    });
    const wss = new WebSocketServer({ noServer: true });
    server.on("upgrade", (req, socket, head) => {
      const refuse = (status: number, message: string) => {
        this.rejected.push({ reason: message, status });
        const body = JSON.stringify({ error: { type: "invalid_request_error", code: null, message, param: null } });
        socket.end(`HTTP/1.1 ${status} ${status === 401 ? "Unauthorized" : status === 404 ? "Not Found" : "Bad Request"}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      };
      const url = new URL(req.url ?? "/", "http://emulator");
      if (url.pathname !== "/v1/realtime") return refuse(404, `no WebSocket endpoint at ${url.pathname} (use /v1/realtime)`);
      const auth = req.headers.authorization ?? "";
      const m = /^Bearer (.+)$/.exec(auth);
      if (!m) return refuse(401, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).");
      if (this.opts.apiKey !== undefined && m[1] !== this.opts.apiKey) return refuse(401, "Incorrect API key provided.");
      const model = url.searchParams.get("model");
      if (!model) return refuse(400, "Missing required parameter: 'model'.");
      wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, req, model));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.opts.port ?? 0, "127.0.0.1", () => resolve());
    });
    this.server = server;
    this.wss = wss;
    this.base = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  private onConnection(ws: WebSocket, req: IncomingMessage, model: string): void {
    const beta = req.headers["openai-beta"];
    if (typeof beta === "string" && /realtime=v1/.test(beta)) {
      this.rejected.push({ reason: "OpenAI-Beta: realtime=v1", status: undefined });
      this.emulatorViolations.push({ sessionId: "(refused)", kind: "beta_header", message: "connected with `OpenAI-Beta: realtime=v1`: the beta API shape is switched off" });
      ws.send(
        JSON.stringify({
          type: "error",
          event_id: id("event_"),
          error: { type: "invalid_request_error", code: "beta_api_shape_disabled", message: "The beta Realtime API shape is no longer supported; remove the OpenAI-Beta: realtime=v1 header and use the GA interface.", param: null, event_id: null },
        }),
      );
      ws.close(4000, "beta_api_shape_disabled");
      return;
    }
    const script = this.scripts.shift() ?? this.defaultScript;
    const session = new RealtimeSession(ws, model, script, {
      pace: this.opts.pace ?? 1,
      chunkMs: this.opts.chunkMs ?? 20,
      noOutputNeeded: this.opts.noOutputNeeded ?? ["end_call"],
    });
    this.sessions.push(session);
    for (const l of [...this.listeners]) l();
  }

  /** Closes every session (code 1001, going away) and the server. */
  async close(): Promise<void> {
    for (const s of this.sessions) s.close(1001, "emulator shutting down");
    await Promise.all(this.sessions.map((s) => Promise.race([s.whenClosed(), sleep(1000)])));
    this.wss?.close();
    if (this.server) {
      this.server.closeAllConnections();
      await new Promise<void>((r) => this.server!.close(() => r()));
      this.server = undefined;
    }
  }
}

export async function startRealtimeEmulator(opts: RealtimeEmulatorOptions = {}): Promise<RealtimeEmulator> {
  return new RealtimeEmulator(opts).start();
}
