import { randomBytes } from "node:crypto";
import type { RealtimeServerEvent } from "openai/resources/realtime/realtime";
import { z } from "zod";

// GA shapes the Realtime emulator accepts (docs/PROTOCOLS.md §5, §8) and the types its modules share.

export const AudioFormat = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("audio/pcm"), rate: z.literal(24000).optional() }),
  z.strictObject({ type: z.literal("audio/pcmu") }),
  z.strictObject({ type: z.literal("audio/pcma") }),
]);
export type AudioFormat = z.infer<typeof AudioFormat>;

export const Voice = z.enum(["alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse", "marin", "cedar"]);

export const TurnDetection = z
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

export const Tool = z.strictObject({
  type: z.literal("function"),
  name: z.string().min(1).max(64).regex(/^[a-zA-Z0-9_-]+$/, "function names are [a-zA-Z0-9_-]"),
  description: z.string().optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
});

export const SessionUpdate = z.strictObject({
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
export type SessionUpdate = z.infer<typeof SessionUpdate>;

/** Top-level session fields of the beta API shape (switched off in GA). */
export const BETA_SESSION_KEYS = [
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
export const BETA_RESPONSE_KEYS = ["modalities", "voice", "output_audio_format", "temperature", "max_response_output_tokens"];

export const ResponseParams = z
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

export const CLIENT_EVENTS = new Set([
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

// ── the emulator's own types ──────────────────────────────────────────────────────────────────────────────────────

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

export type ItemState = {
  id: string;
  type: "message" | "function_call" | "function_call_output";
  role: "user" | "assistant" | "system" | undefined;
  /** Assistant audio actually sent for this item, ms. */
  audioMs: number;
  transcript: string;
  callId?: string;
};

export type ActiveResponse = {
  id: string;
  cancelled: string | undefined;
  wake: () => void;
  outputItems: Record<string, unknown>[];
  audioMs: number;
  textChars: number;
  finished: Promise<void>;
};

type Distribute<T> = T extends unknown ? Omit<T, "event_id"> : never;
export type ServerEvent = Distribute<RealtimeServerEvent>;

export const id = (prefix: string) => prefix + randomBytes(11).toString("base64url");
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
