import { durationMs, e164Phone, httpUrl, integer, optional, redisUrl, secret, text } from "@orderline/config";
import { toolServiceEnv } from "@orderline/runtime";
import { z } from "zod";
import { parseModelPrices, USD_AMOUNT_PATTERN, usdToMicros } from "./domain/prices.ts";

/** A USD amount ("0.0085") as integer micro-dollars. */
const usd = () =>
  z
    .string()
    .optional()
    .transform((raw, ctx): number => {
      if (raw === undefined) {
        ctx.addIssue({ code: "custom", message: "is not set" });
        return z.NEVER;
      }
      if (!USD_AMOUNT_PATTERN.test(raw.trim())) {
        ctx.addIssue({ code: "custom", message: "is not a USD amount (digits, at most 6 decimals)" });
        return z.NEVER;
      }
      return usdToMicros(raw.trim());
    })
    .describe('a USD amount such as "0.0085"');

const modelPrices = () =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined) {
        ctx.addIssue({ code: "custom", message: "is not set" });
        return z.NEVER;
      }
      const r = parseModelPrices(raw);
      if (!r.ok) {
        ctx.addIssue({ code: "custom", message: r.problem });
        return z.NEVER;
      }
      return r.value;
    })
    .describe('JSON: {"<model>": {"audioInput":"32","cachedInput":"0.40","audioOutput":"64","textInput":"4","textOutput":"16"}} in USD per 1M tokens');

/** "21:00-09:00" (local time of the location; may wrap midnight) → minutes of the day. */
const quietHours = () =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const input = raw ?? "21:00-09:00";
      const m = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/.exec(input.trim());
      if (!m) {
        ctx.addIssue({ code: "custom", message: "is not HH:MM-HH:MM" });
        return z.NEVER;
      }
      const start = Number(m[1]) * 60 + Number(m[2]);
      const end = Number(m[3]) * 60 + Number(m[4]);
      return { startMinute: start, endMinute: end };
    })
    .describe('a local time range "HH:MM-HH:MM", e.g. "21:00-09:00" (empty range = none), default 21:00-09:00');

const publicBaseUrl = () =>
  httpUrl().transform((raw, ctx): string => {
    if (new URL(raw).search) {
      ctx.addIssue({ code: "custom", message: "must not carry a query string" });
      return z.NEVER;
    }
    return raw.replace(/\/+$/, "");
  });

export const WorkerEnv = z.object({
  ...toolServiceEnv({ opsPort: 9464 }),
  REDIS_URL: redisUrl(),
  /** Same prefix as the gateway's: the worker reads its queues and deletes its per-call keys. */
  REDIS_KEY_PREFIX: text("", 'a key prefix such as "test-1:" (may be empty)'),
  /** HTTP port: Twilio webhooks (order-ready TwiML/status, inbound SMS) and the staff/POS API. */
  PORT: integer({ min: 0, max: 65_535, default: 8090 }),
  /** Where Twilio reaches this service; signatures are checked against it. */
  PUBLIC_BASE_URL: publicBaseUrl(),
  TWILIO_ACCOUNT_SID: text(undefined, "a Twilio account SID (AC…)"),
  TWILIO_AUTH_TOKEN: secret(),
  /** Only for tests and the demo: where the Twilio REST client's requests go (a local REST emulator). */
  TWILIO_API_BASE_URL: optional(httpUrl()),
  /** Bearer token staff screens / the POS present on POST /v1/orders/:id/ready-call. */
  WORKER_API_TOKEN: secret(),
  /** Token prices per model (Realtime and text engines), USD per 1M tokens. */
  MODEL_PRICES: modelPrices(),
  /** Twilio voice, USD per started minute. */
  TWILIO_INBOUND_PRICE_PER_MIN: usd(),
  TWILIO_OUTBOUND_PRICE_PER_MIN: usd(),
  /** No order-ready call in this local time range of the location: the job waits for its end. */
  QUIET_HOURS: quietHours(),
  /** Dial attempts per order-ready call (busy / no answer / failed are retried with backoff). */
  ORDER_READY_MAX_ATTEMPTS: integer({ min: 1, max: 10, default: 3 }),
  /** Backoff before the 2nd attempt; doubled for each later one. */
  ORDER_READY_RETRY_DELAY_MS: durationMs(120_000, { min: 0, max: 86_400_000 }),
  /** Seconds the phone rings before no-answer. */
  ORDER_READY_RING_SECONDS: integer({ min: 5, max: 600, default: 30 }),
  /** How long a job waits for the call's final status callback before asking Twilio for it. */
  ORDER_READY_OUTCOME_TIMEOUT_MS: durationMs(180_000, { min: 100, max: 3_600_000 }),
  /** How often ready orders without a ready call (their event missed while no worker ran) are looked for; 0 = never. */
  READY_SWEEP_INTERVAL_MS: durationMs(60_000, { min: 0, max: 3_600_000 }),
  /** Caller ID used when a location has no outbound number (E.164). */
  DEFAULT_OUTBOUND_NUMBER: optional(e164Phone()),
  /**
   * The telephony gateway's public base URL: a person who answers a confirmation call is redirected to its
   * conversation (`/voice/confirmation/:orderId`). Unset: confirmation calls that reach a person hang up.
   */
  CONVERSATION_BASE_URL: optional(publicBaseUrl()),
  /** Seconds a confirmation call rings before no-answer. */
  CONFIRMATION_RING_SECONDS: integer({ min: 5, max: 600, default: 30 }),
  /** How often NEW orders of auto-call locations are enqueued and stale dialling attempts settled; 0 = never. */
  CONFIRMATION_SWEEP_INTERVAL_MS: durationMs(30_000, { min: 0, max: 3_600_000 }),
  /** A CALLED order whose attempt is still "dialling" after this long goes FAILED (never re-dialled). */
  CONFIRMATION_STALE_MS: durationMs(600_000, { min: 1_000, max: 86_400_000 }),
  /**
   * How often every location's confirmation sheet (`location_sheets`) is read: NEW rows taken in, states written
   * back, Postgres caught up with (docs/SHEETS.md); 0 = never (state events still write promptly).
   */
  SHEET_SYNC_INTERVAL_MS: durationMs(60_000, { min: 0, max: 3_600_000 }),
  /** State events of one sheet within this window are written back together at its end (a run is two API requests). */
  SHEET_WRITE_WINDOW_MS: durationMs(5_000, { min: 0, max: 600_000 }),
  WORKER_CONCURRENCY: integer({ min: 1, max: 200, default: 8 }),
  /** A job's lock; a killed worker's job is taken again after about this long. */
  JOB_LOCK_MS: durationMs(30_000, { min: 500, max: 600_000 }),
  JOB_STALLED_INTERVAL_MS: durationMs(30_000, { min: 500, max: 600_000 }),
});
export type WorkerEnv = z.output<typeof WorkerEnv>;
