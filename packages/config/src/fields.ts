import { z } from "zod";

/**
 * A schema for one environment variable: takes the raw string (or undefined when unset) and yields a typed
 * value. Its `description` says what a valid value looks like; `parseEnv` prints it next to each problem.
 */
export type EnvField<T> = z.ZodType<T, string | undefined>;

type Check<T> = { ok: true; value: T } | { ok: false; problem: string };

const ok = <T>(value: T): Check<T> => ({ ok: true, value });
const bad = (problem: string): Check<never> => ({ ok: false, problem });

type FieldSpec<T> = {
  /** What a valid value looks like (shown in errors). */
  expected: string;
  /** Validates and converts the raw string. The problem text must not contain the value. */
  check: (raw: string) => Check<T>;
};

/** Builds a required field, or one with a default (given as the raw string it would be set to). */
function field<T>(spec: FieldSpec<T>, fallback?: string): EnvField<T> {
  return z
    .string()
    .optional()
    .transform((raw, ctx): T => {
      const input = raw ?? fallback;
      if (input === undefined) {
        ctx.addIssue({ code: "custom", message: "is not set" });
        return z.NEVER;
      }
      const result = spec.check(input);
      if (!result.ok) {
        ctx.addIssue({ code: "custom", message: result.problem });
        return z.NEVER;
      }
      return result.value;
    })
    .describe(spec.expected);
}

/** Builds a field that may be left unset (yields undefined). */
function optionalField<T>(spec: FieldSpec<T>): EnvField<T | undefined> {
  return z
    .string()
    .optional()
    .transform((raw, ctx): T | undefined => {
      if (raw === undefined) return undefined;
      const result = spec.check(raw);
      if (!result.ok) {
        ctx.addIssue({ code: "custom", message: result.problem });
        return z.NEVER;
      }
      return result.value;
    })
    .describe(`${spec.expected}, or unset`);
}

function urlSpec(schemes: readonly string[], example: string): FieldSpec<string> {
  const list = schemes.map((s) => `${s}://`).join(" or ");
  return {
    expected: `a ${list} URL like ${example}`,
    check: (raw) => {
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        return bad("is not a valid URL");
      }
      const scheme = url.protocol.replace(/:$/, "");
      if (!schemes.includes(scheme)) return bad(`has scheme "${scheme}", which is not allowed`);
      if (!url.hostname) return bad("has no host");
      return ok(raw);
    },
  };
}

// ---- URLs --------------------------------------------------------------------------------------------------

export const DEFAULT_DATABASE_URL = "postgres://postgres:postgres@127.0.0.1:5432/orderline";
export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";
export const DEFAULT_NATS_URL = "nats://127.0.0.1:4222";

/** Postgres connection URL (postgres:// or postgresql://). Defaults to the local dev database. */
export const databaseUrl = (fallback: string | null = DEFAULT_DATABASE_URL): EnvField<string> =>
  field(urlSpec(["postgres", "postgresql"], "postgres://user:password@host:5432/db"), fallback ?? undefined);

/** Redis URL (redis:// or rediss://). Defaults to local Redis. */
export const redisUrl = (fallback: string | null = DEFAULT_REDIS_URL): EnvField<string> =>
  field(urlSpec(["redis", "rediss"], "redis://host:6379"), fallback ?? undefined);

/**
 * NATS server URL, or several separated by commas (nats:// or tls://). Defaults to local NATS.
 * `connectNats` accepts the string as is.
 */
export const natsUrl = (fallback: string | null = DEFAULT_NATS_URL): EnvField<string> => {
  const one = urlSpec(["nats", "tls"], "nats://host:4222");
  return field(
    {
      expected: `${one.expected} (several separated by commas)`,
      check: (raw) => {
        const parts = raw.split(",").map((s) => s.trim());
        for (const [i, part] of parts.entries()) {
          const r = one.check(part);
          if (!r.ok) return bad(parts.length > 1 ? `server #${i + 1} ${r.problem}` : r.problem);
        }
        return ok(parts.join(","));
      },
    },
    fallback ?? undefined,
  );
};

/** An http:// or https:// URL; required unless a default is given. */
export const httpUrl = (fallback?: string): EnvField<string> =>
  field(urlSpec(["http", "https"], "https://host/path"), fallback);

/** OTLP/HTTP collector endpoint, e.g. http://otel-collector:4318. Unset = no trace export. */
export const otelEndpoint = (): EnvField<string | undefined> =>
  optionalField(urlSpec(["http", "https"], "http://otel-collector:4318"));

// ---- numbers -----------------------------------------------------------------------------------------------

function integerSpec(min: number, max: number, expected: string): FieldSpec<number> {
  return {
    expected,
    check: (raw) => {
      const s = raw.trim();
      if (!/^-?\d+$/.test(s)) return bad("is not an integer");
      const n = Number(s);
      if (!Number.isSafeInteger(n) || n < min || n > max) return bad(`is out of range ${min}-${max}`);
      return ok(n);
    },
  };
}

/** TCP port 0-65535 (0 = pick a free port). */
export const port = (fallback?: number): EnvField<number> =>
  field(integerSpec(0, 65535, "a TCP port 0-65535"), fallback === undefined ? undefined : String(fallback));

/** An integer within [min, max]. */
export const integer = (opts: { min?: number; max?: number; default?: number } = {}): EnvField<number> => {
  const min = opts.min ?? Number.MIN_SAFE_INTEGER;
  const max = opts.max ?? Number.MAX_SAFE_INTEGER;
  const range =
    opts.min !== undefined && opts.max !== undefined
      ? ` ${min}-${max}`
      : opts.min !== undefined
        ? ` >= ${min}`
        : opts.max !== undefined
          ? ` <= ${max}`
          : "";
  return field(integerSpec(min, max, `an integer${range}`), opts.default === undefined ? undefined : String(opts.default));
};

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A duration, yielding milliseconds. Accepts a plain integer (milliseconds) or an integer with a unit:
 * "250", "250ms", "10s", "5m", "1h".
 */
export const durationMs = (fallback?: number, opts: { min?: number; max?: number } = {}): EnvField<number> => {
  const min = opts.min ?? 0;
  const max = opts.max ?? Number.MAX_SAFE_INTEGER;
  return field(
    {
      expected: 'a duration: milliseconds ("1500") or with a unit ("250ms", "10s", "5m", "1h")',
      check: (raw) => {
        const m = /^(\d+)\s*(ms|s|m|h)?$/.exec(raw.trim());
        if (!m) return bad("is not a duration");
        const value = Number(m[1]) * DURATION_UNITS[m[2] ?? "ms"]!;
        if (!Number.isSafeInteger(value)) return bad("is too large");
        if (value < min) return bad(`is shorter than ${min} ms`);
        if (value > max) return bad(`is longer than ${max} ms`);
        return ok(value);
      },
    },
    fallback === undefined ? undefined : String(fallback),
  );
};

/** How long a service may take to drain on SIGTERM before it gives up. Default 10 s. */
export const shutdownGraceMs = (fallback = 10_000): EnvField<number> => durationMs(fallback, { min: 0, max: 600_000 });

// ---- strings -----------------------------------------------------------------------------------------------

/** A boolean written as true/false/1/0 (case-insensitive). Anything else is rejected. */
export const bool = (fallback?: boolean): EnvField<boolean> =>
  field(
    {
      expected: "true, false, 1 or 0",
      check: (raw) => {
        const s = raw.trim().toLowerCase();
        if (s === "true" || s === "1") return ok(true);
        if (s === "false" || s === "0") return ok(false);
        return bad("is not a boolean");
      },
    },
    fallback === undefined ? undefined : String(fallback),
  );

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** pino log level. Default "info". */
export const logLevel = (fallback: LogLevel = "info"): EnvField<LogLevel> =>
  field(
    {
      expected: `one of ${LOG_LEVELS.join(", ")}`,
      check: (raw) => {
        const s = raw.trim().toLowerCase();
        return (LOG_LEVELS as readonly string[]).includes(s) ? ok(s as LogLevel) : bad("is not a known log level");
      },
    },
    fallback,
  );

/** Service name for logs, metrics and traces: lowercase letters, digits and dashes. */
export const serviceName = (fallback?: string): EnvField<string> =>
  field(
    {
      expected: 'lowercase letters, digits and dashes, starting with a letter, e.g. "menu-service"',
      check: (raw) => (/^[a-z][a-z0-9-]{0,62}$/.test(raw) ? ok(raw) : bad("is not a valid service name")),
    },
    fallback,
  );

/**
 * Prefix put in front of every NATS subject (isolates test stacks on one server): empty, or dot-separated
 * tokens ending with a dot, e.g. "test-3f2a.". Default "".
 */
export const natsSubjectPrefix = (fallback = ""): EnvField<string> =>
  z
    .string()
    .optional()
    .transform((raw, ctx): string => {
      const input = raw ?? fallback;
      if (input === "") return "";
      if (!/^([A-Za-z0-9_-]+\.)+$/.test(input)) {
        ctx.addIssue({
          code: "custom",
          message: /[\s*>]/.test(input)
            ? "contains whitespace or a NATS wildcard"
            : input.endsWith(".")
              ? "contains an empty token or a character outside A-Z a-z 0-9 _ -"
              : "does not end with a dot",
        });
        return z.NEVER;
      }
      return input;
    })
    .describe('empty, or dot-separated tokens ending with a dot, e.g. "test-3f2a."');

/** E.164 phone number, e.g. +14155550123. */
export const e164Phone = (fallback?: string): EnvField<string> =>
  field(
    {
      expected: "an E.164 phone number like +14155550123",
      check: (raw) => (/^\+[1-9]\d{6,14}$/.test(raw.trim()) ? ok(raw.trim()) : bad("is not an E.164 phone number")),
    },
    fallback,
  );

/** A required non-empty string (e.g. an API key). Its value is never printed. */
export const secret = (): EnvField<string> =>
  field({ expected: "a non-empty secret", check: (raw) => (raw.length > 0 ? ok(raw) : bad("is empty")) });

/** A free-form string, required unless a default is given. */
export const text = (fallback?: string, expected = "a non-empty string"): EnvField<string> =>
  field({ expected, check: (raw) => ok(raw) }, fallback);

/** One of a fixed set of words. */
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T, fallback?: T[number]): EnvField<T[number]> =>
  field(
    {
      expected: `one of ${values.join(", ")}`,
      check: (raw) => ((values as readonly string[]).includes(raw) ? ok(raw as T[number]) : bad("is not one of the allowed values")),
    },
    fallback,
  );

/** Makes any field optional: unset yields undefined instead of an error or default. */
export const optional = <T>(inner: EnvField<T>): EnvField<T | undefined> =>
  z
    .string()
    .optional()
    .transform((raw, ctx): T | undefined => {
      if (raw === undefined) return undefined;
      const r = inner.safeParse(raw);
      if (r.success) return r.data;
      for (const issue of r.error.issues) ctx.addIssue({ code: "custom", message: issue.message });
      return z.NEVER;
    })
    .describe(`${inner.description ?? "a value"}, or unset`);

/**
 * The variables every OrderLine service reads (names as set by the Helm chart), to spread into a service's
 * schema: `z.object({ ...commonEnv({ opsPort: 9464 }), DATABASE_URL: databaseUrl() })`.
 */
export const commonEnv = (opts: { opsPort: number; shutdownGraceMs?: number }) => ({
  NATS_URL: natsUrl(),
  NATS_SUBJECT_PREFIX: natsSubjectPrefix(),
  LOG_LEVEL: logLevel(),
  OTEL_EXPORTER_OTLP_ENDPOINT: otelEndpoint(),
  OPS_PORT: port(opts.opsPort),
  SHUTDOWN_GRACE_MS: shutdownGraceMs(opts.shutdownGraceMs),
});
