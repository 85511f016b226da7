import {
  bool,
  databaseUrl,
  durationMs,
  httpUrl,
  integer,
  logLevel,
  natsSubjectPrefix,
  natsUrl,
  oneOf,
  optional,
  otelEndpoint,
  parseEnv,
  port,
  redisUrl,
  secret,
  text,
  e164Phone,
  type Env,
} from "@orderline/config";
import { z } from "zod";

export const AUDIO_MODES = ["pcmu", "pcm24k"] as const;
export type AudioMode = (typeof AUDIO_MODES)[number];

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/**
 * A URL whose scheme is `secure` anywhere, or `plain` only to a loopback host (a local emulator) — never plain
 * text over a network. Trailing slashes are dropped.
 */
const secureOrLoopbackUrl = (secure: "wss" | "https", plain: "ws" | "http", fallback: string) =>
  z
    .string()
    .optional()
    .transform((raw, ctx): string => {
      const input = (raw ?? fallback).replace(/\/+$/, "");
      let url: URL;
      try {
        url = new URL(input);
      } catch {
        ctx.addIssue({ code: "custom", message: "is not a valid URL" });
        return z.NEVER;
      }
      if (url.protocol === `${secure}:` || (url.protocol === `${plain}:` && LOOPBACK_HOSTS.has(url.hostname))) return input;
      ctx.addIssue({
        code: "custom",
        message:
          url.protocol === `${plain}:`
            ? `uses ${plain}:// to a non-loopback host (only ${secure}:// is allowed off this machine)`
            : `has scheme "${url.protocol.replace(/:$/, "")}", which is not allowed`,
      });
      return z.NEVER;
    })
    .describe(`a ${secure}:// URL (${plain}:// only to 127.0.0.1/localhost), default ${fallback}`);

/** The Realtime WebSocket. */
const realtimeUrl = () => secureOrLoopbackUrl("wss", "ws", "wss://api.openai.com/v1/realtime");

/** The OpenAI REST API (Responses API for text engines). */
const apiBaseUrl = () => secureOrLoopbackUrl("https", "http", "https://api.openai.com/v1");

const floatInRange = (min: number, max: number, fallback: number) =>
  z
    .string()
    .optional()
    .transform((raw, ctx): number => {
      if (raw === undefined || raw === "") return fallback;
      const n = Number(raw);
      if (!Number.isFinite(n) || n < min || n > max) {
        ctx.addIssue({ code: "custom", message: `must be a number from ${min} to ${max}` });
        return z.NEVER;
      }
      return n;
    })
    .describe(`a number from ${min} to ${max}, default ${fallback}`);

/** Public base URL Twilio reaches us at: https, no query, no trailing slash (signatures are computed on it). */
const publicBaseUrl = () =>
  httpUrl().transform((raw, ctx): string => {
    const url = new URL(raw);
    if (url.search || url.hash) {
      ctx.addIssue({ code: "custom", message: "must not carry a query string or fragment" });
      return z.NEVER;
    }
    return raw.replace(/\/+$/, "");
  });

export const gatewayEnvSchema = z.object({
  /** HTTP + WebSocket port for Twilio (0 = pick a free one). /healthz, /readyz and /metrics are served here too. */
  PORT: port(8080),
  /** Also serve /healthz, /readyz and /metrics on this port (the Helm chart's probes and scrape port). */
  OPS_PORT: optional(port()),
  /** Where Twilio reaches this service; webhook and stream signatures are validated against it. */
  PUBLIC_BASE_URL: publicBaseUrl(),
  TWILIO_ACCOUNT_SID: text(undefined, "a Twilio account SID (AC…)"),
  TWILIO_AUTH_TOKEN: secret(),
  /** Only for tests and the demo: where the Twilio REST client's requests go (a local REST emulator). */
  TWILIO_API_BASE_URL: optional(httpUrl()),
  /** Unset: no OpenAI at all — every location takes <Gather> turns with the local agent. */
  OPENAI_API_KEY: optional(secret()),
  OPENAI_REALTIME_URL: realtimeUrl(),
  /** Base URL of the OpenAI REST API (Responses API for text engines); http:// only to loopback (an emulator). */
  OPENAI_BASE_URL: apiBaseUrl(),
  /** Text model of relay/gather calls and of fallbacks (Responses API, function calling). */
  OPENAI_TEXT_MODEL: text("gpt-5-mini"),
  OPENAI_TEXT_REASONING_EFFORT: oneOf(["none", "minimal", "low", "medium", "high"], "low"),
  /** A text-model stream silent this long is given up (the local agent takes the turn). */
  TEXT_ENGINE_STALL_MS: durationMs(4000, { min: 200, max: 60_000 }),
  /** Transport and text engine of locations with no settings row. */
  DEFAULT_CONVERSATION_MODE: oneOf(["realtime", "relay", "gather"], "realtime"),
  DEFAULT_TEXT_ENGINE: oneOf(["openai", "local"], "openai"),
  /**
   * Where a Media Stream call moves when Realtime fails: gather works on any Twilio account; relay needs
   * ConversationRelay enabled; none = apologise and hand the caller to staff instead.
   */
  FALLBACK_TRANSPORT: oneOf(["gather", "relay", "none"], "gather"),
  /** Speech recognised with less confidence than this is asked again instead of acted on. */
  GATHER_MIN_CONFIDENCE: floatInRange(0, 1, 0.3),
  /** Longest caller utterance handed to an engine (a longer one is cut there). */
  MAX_UTTERANCE_CHARS: integer({ min: 100, max: 10_000, default: 1000 }),
  OPENAI_REALTIME_MODEL: text("gpt-realtime"),
  OPENAI_REALTIME_VOICE: oneOf(["alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse", "marin", "cedar"], "marin"),
  OPENAI_TRANSCRIPTION_MODEL: text("gpt-4o-mini-transcribe"),
  DATABASE_URL: databaseUrl(),
  REDIS_URL: redisUrl(),
  /** Prefix of every Redis key (and of the BullMQ prefix): isolates environments and test stacks. */
  REDIS_KEY_PREFIX: text("", "a key prefix such as \"test-1:\" (may be empty)"),
  NATS_URL: natsUrl(),
  NATS_SUBJECT_PREFIX: natsSubjectPrefix(),
  /** pcmu = mu-law passthrough both ways (default, cheapest); pcm24k = convert to PCM16 24 kHz. */
  AUDIO_MODE: oneOf(AUDIO_MODES, "pcmu"),
  /**
   * Caller audio goes to the Realtime API frame by frame as it arrives; only while the socket is backed up are
   * frames coalesced, into appends of at most this many ms.
   */
  AUDIO_BATCH_MS: integer({ min: 20, max: 200, default: 80 }),
  /** A mark is sent to Twilio after at most this much assistant audio (and at the end of every item). */
  MARK_INTERVAL_MS: integer({ min: 20, max: 5000, default: 500 }),
  CALLER_MAX_CONCURRENT_CALLS: integer({ min: 1, max: 100, default: 2 }),
  CALLER_MAX_CALLS_PER_HOUR: integer({ min: 1, max: 10_000, default: 10 }),
  /** Callers with no (or an invalid) caller ID share one bucket per location with these limits. */
  ANONYMOUS_MAX_CONCURRENT_CALLS: integer({ min: 1, max: 1000, default: 4 }),
  ANONYMOUS_MAX_CALLS_PER_HOUR: integer({ min: 1, max: 100_000, default: 40 }),
  TOOL_TIMEOUT_MS: durationMs(2000, { min: 50, max: 30_000 }),
  SESSION_TTL_SECONDS: integer({ min: 60, max: 86_400, default: 7200 }),
  /** The Realtime session is rotated (context carried over) before this age; the API caps sessions at 60 min. */
  REALTIME_MAX_SESSION_MS: durationMs(55 * 60_000, { min: 1000, max: 60 * 60_000 }),
  REALTIME_CONNECT_TIMEOUT_MS: durationMs(5000, { min: 100, max: 60_000 }),
  /** A response asked for (or running) with no server event for this long is cancelled and retried once; twice → fallback. */
  REALTIME_STALL_MS: durationMs(2500, { min: 200, max: 60_000 }),
  /** semantic_vad: the turn ends when what the caller said is complete; server_vad: after 500 ms of silence. */
  REALTIME_TURN_DETECTION: oneOf(["semantic_vad", "server_vad"], "semantic_vad"),
  /** semantic_vad eagerness (auto = medium). */
  REALTIME_VAD_EAGERNESS: oneOf(["low", "medium", "high", "auto"], "auto"),
  /** After the model's audio ends, this much caller silence makes the model check on the caller (0 = off). */
  REALTIME_IDLE_TIMEOUT_MS: integer({ min: 0, max: 60_000, default: 6000 }),
  /** On SIGTERM live calls continue this long, then callers are told and transferred. */
  SHUTDOWN_GRACE_MS: durationMs(30_000, { min: 0, max: 3_600_000 }),
  /** How long a stream may take to send `start` after the upgrade. */
  STREAM_START_TIMEOUT_MS: durationMs(10_000, { min: 100, max: 60_000 }),
  /** Webhooks that touch Postgres/Redis answer the static fallback if they take longer than this. */
  WEBHOOK_DEADLINE_MS: durationMs(800, { min: 50, max: 10_000 }),
  /** Number dialled by the static fallback when the dialled number's location cannot be looked up. */
  FALLBACK_TRANSFER_NUMBER: optional(e164Phone()),
  /** How often one gateway (Redis lock) looks for calls whose end was never reported (0 = never). */
  SWEEP_INTERVAL_MS: durationMs(60_000, { min: 0, max: 3_600_000 }),
  /** A call with no live stream for this long is checked with the Twilio REST API by the sweeper. */
  STALE_CALL_MS: durationMs(120_000, { min: 500, max: 86_400_000 }),
  /** How many times a call may be reconnected to a new stream after its stream died. */
  MAX_STREAM_RESUMES: integer({ min: 0, max: 20, default: 3 }),
  /** Seconds a transferred call rings staff before the callback offer. */
  DIAL_TIMEOUT_SECONDS: integer({ min: 5, max: 120, default: 20 }),
  SERVICE_NAME: text("telephony-gateway"),
  LOG_LEVEL: logLevel(),
  OTEL_EXPORTER_OTLP_ENDPOINT: otelEndpoint(),
  /** Also log every Realtime event type at debug level (noisy). */
  DEBUG_REALTIME_EVENTS: bool(false),
});

export type GatewayConfig = z.output<typeof gatewayEnvSchema>;

/** Parses the environment (throws ConfigError listing every problem). */
export function parseGatewayEnv(env: Env = process.env): GatewayConfig {
  return parseEnv(gatewayEnvSchema, env);
}
