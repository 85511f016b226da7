import { parseEnv as parseDotenv } from "node:util";
import { databaseUrl, durationMs, type Env, httpUrl, logLevel, natsSubjectPrefix, natsUrl, optional, parseEnv, port, redisUrl, secret, text } from "@orderline/config";
import { z } from "zod";

/** A field that must match `pattern`; the problem says what it should look like (never echoing a secret). */
const matching = (pattern: RegExp, expected: string, isSecret = false) =>
  (isSecret ? secret() : text(undefined, expected))
    .refine((v) => pattern.test(v), { message: "has the wrong format" })
    .describe(expected);

const E164 = /^\+[1-9]\d{6,14}$/;

/** "+12125550100,+13125550100" → the numbers (each E.164). */
const phoneList = () =>
  z
    .string()
    .optional()
    .transform((raw, ctx): string[] => {
      const parts = (raw ?? "").split(",").map((s) => s.trim()).filter(Boolean);
      parts.forEach((p, i) => {
        if (!E164.test(p)) ctx.addIssue({ code: "custom", message: `number #${i + 1} is not an E.164 phone number (like +14155550123)` });
      });
      return parts;
    })
    .describe("E.164 numbers separated by commas, e.g. +12125550100,+13125550100, or unset");

/** The public https base URL Twilio reaches (no query, no trailing slash). */
const publicUrl = () =>
  httpUrl()
    .refine((raw) => new URL(raw).protocol === "https:", { message: "is not https:// (Twilio's webhooks and Media Streams need https)" })
    .refine((raw) => !new URL(raw).search && !new URL(raw).hash, { message: "must not carry a query string or fragment" })
    .transform((raw) => raw.replace(/\/+$/, ""))
    .describe("a public https:// URL like https://voice.example.com");

/** List prices (USD per 1M tokens) of the models the gateway uses, for call costs; override in .env. */
export const DEFAULT_MODEL_PRICES = JSON.stringify({
  "gpt-realtime": { audioInput: "32", cachedInput: "0.40", audioOutput: "64", textInput: "4", textOutput: "16" },
  "gpt-5-mini": { textInput: "0.25", cachedInput: "0.025", textOutput: "2" },
});

/**
 * What the one-box start reads from `.env` (and the environment, which wins). Every other variable in the
 * file is passed to every service as is (service settings: see each service's src/env.ts), and each service
 * checks its own on start.
 */
export const OneboxEnv = z
  .object({
    TWILIO_ACCOUNT_SID: matching(/^AC[0-9a-f]{32}$/, "a Twilio account SID (AC followed by 32 hex digits)"),
    TWILIO_AUTH_TOKEN: matching(/^[0-9a-f]{32}$/, "a Twilio auth token (32 hex digits)", true),
    /** The Twilio numbers this box answers; each must be routed to a location (chain file or demo). */
    TWILIO_PHONE_NUMBERS: phoneList(),
    /** Unset: no OpenAI at all, every call is <Gather> turns with the local agent. */
    OPENAI_API_KEY: optional(secret()),
    PUBLIC_BASE_URL: publicUrl(),
    /** Where Twilio reaches the worker (inbound SMS, order-ready calls); default PUBLIC_BASE_URL with /twilio routed to it. */
    WORKER_PUBLIC_BASE_URL: optional(publicUrl()),
    WORKER_API_TOKEN: matching(/^.{16,}$/, "a bearer token of at least 16 characters (e.g. openssl rand -hex 24)", true),
    DATABASE_URL: databaseUrl(),
    REDIS_URL: redisUrl(),
    NATS_URL: natsUrl(),
    REDIS_KEY_PREFIX: text("", 'a key prefix such as "prod:" (may be empty)'),
    NATS_SUBJECT_PREFIX: natsSubjectPrefix(),
    GATEWAY_PORT: port(8080),
    WORKER_PORT: port(8090),
    DASHBOARD_PORT: port(8070),
    /** Each service's /healthz /readyz /metrics port: this one and the next five. */
    OPS_PORT_BASE: port(9464),
    LOG_LEVEL: logLevel(),
    /** The gateway's call drain on shutdown (it is given this plus 5 s before SIGKILL). */
    SHUTDOWN_GRACE_MS: durationMs(30_000, { min: 0, max: 3_600_000 }),
    MODEL_PRICES: text(DEFAULT_MODEL_PRICES, "JSON of USD per 1M tokens per model (see the worker's README)"),
    TWILIO_INBOUND_PRICE_PER_MIN: text("0.0085", 'a USD amount such as "0.0085"'),
    TWILIO_OUTBOUND_PRICE_PER_MIN: text("0.014", 'a USD amount such as "0.014"'),
  })
  .superRefine((env, ctx) => {
    const ports: [string, number][] = [
      ["GATEWAY_PORT", env.GATEWAY_PORT],
      ["WORKER_PORT", env.WORKER_PORT],
      ["DASHBOARD_PORT", env.DASHBOARD_PORT],
      ...[0, 1, 2, 3, 4, 5].map((i): [string, number] => [`OPS_PORT_BASE+${i}`, env.OPS_PORT_BASE + i]),
    ];
    const seen = new Map<number, string>();
    for (const [name, p] of ports) {
      const other = seen.get(p);
      if (other) ctx.addIssue({ code: "custom", path: [name.replace(/\+\d$/, "")], message: `port ${p} is also ${other}` });
      seen.set(p, name);
    }
    if (env.OPS_PORT_BASE + 5 > 65_535) ctx.addIssue({ code: "custom", path: ["OPS_PORT_BASE"], message: "leaves no room for the six ops ports" });
  });
export type OneboxEnv = z.output<typeof OneboxEnv>;

/**
 * The variables of a `.env` file text merged under the process environment (a variable set in both comes from
 * the environment, as with docker compose and systemd's EnvironmentFile).
 */
export function mergeDotenv(fileText: string, environment: Env = process.env): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...parseDotenv(fileText), ...environment })) if (v !== undefined) merged[k] = v;
  return merged;
}

/** Parses the merged variables; throws `ConfigError` with one line per problem. */
export function parseOneboxEnv(vars: Env): OneboxEnv {
  return parseEnv(OneboxEnv, vars);
}
