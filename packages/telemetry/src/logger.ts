import { isSpanContextValid, trace } from "@opentelemetry/api";
import { type DestinationStream, type Logger, type LoggerOptions, pino } from "pino";

export type { Logger } from "pino";

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

/** Field names whose values never reach the logs, wherever they sit in the top two levels of a log object. */
const SENSITIVE_KEYS = [
  "authorization",
  "cookie",
  "password",
  "passwd",
  "secret",
  "token",
  "accessToken",
  "access_token",
  "refreshToken",
  "refresh_token",
  "authToken",
  "auth_token",
  "apiKey",
  "api_key",
  "clientSecret",
  "client_secret",
  "cardNumber",
  "card_number",
  "pan",
  "cvv",
  "cvc",
  "securityCode",
] as const;

/** pino redaction paths: secrets and card data, plus the usual HTTP header locations. */
export const REDACT_PATHS: readonly string[] = [
  ...SENSITIVE_KEYS.flatMap((k) => [k, `*.${k}`]),
  "headers.authorization",
  "headers.cookie",
  '*.headers["set-cookie"]',
  "*.headers.authorization",
  "*.headers.cookie",
  "*.headers.x-api-key",
  '*.headers["x-api-key"]',
  "card.number",
  "*.card.number",
];

export type CreateLoggerOptions = {
  service: string;
  level?: LogLevel;
  /** Extra pino redaction paths, e.g. ["order.customer.address"]. */
  redact?: readonly string[];
  /** Where JSON lines go; synchronous stdout when omitted. */
  destination?: DestinationStream;
};

/**
 * JSON logger (pino) to stdout: `service` on every line, ISO `time`, level as a label, secrets redacted, and
 * `trace_id`/`span_id` of the active OpenTelemetry span when there is one.
 */
export function createLogger(opts: CreateLoggerOptions): Logger {
  const options: LoggerOptions = {
    level: opts.level ?? "info",
    base: { service: opts.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: [...REDACT_PATHS, ...(opts.redact ?? [])], censor: "[redacted]" },
    mixin() {
      const span = trace.getActiveSpan();
      if (!span) return {};
      const sc = span.spanContext();
      return isSpanContextValid(sc) ? { trace_id: sc.traceId, span_id: sc.spanId } : {};
    },
  };
  // Synchronous stdout: lines stay in order and the last ones before an exit or crash are not lost (pino's
  // asynchronous default reordered lines written around process.exit in our shutdown tests).
  return pino(options, opts.destination ?? pino.destination({ fd: 1, sync: true }));
}
