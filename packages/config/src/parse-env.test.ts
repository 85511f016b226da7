import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z } from "zod";
import { ConfigError } from "./config-error.ts";
import {
  bool,
  commonEnv,
  DEFAULT_DATABASE_URL,
  DEFAULT_NATS_URL,
  DEFAULT_REDIS_URL,
  databaseUrl,
  durationMs,
  e164Phone,
  integer,
  logLevel,
  natsSubjectPrefix,
  natsUrl,
  oneOf,
  optional,
  otelEndpoint,
  port,
  redisUrl,
  secret,
  serviceName,
  shutdownGraceMs,
} from "./fields.ts";
import { parseEnv } from "./parse-env.ts";

const schema = z.object({
  DATABASE_URL: databaseUrl(),
  REDIS_URL: redisUrl(),
  NATS_URL: natsUrl(),
  PORT: port(8080),
  LOG_LEVEL: logLevel(),
  SERVICE_NAME: serviceName("menu-service"),
  NATS_SUBJECT_PREFIX: natsSubjectPrefix(),
  OTEL_EXPORTER_OTLP_ENDPOINT: otelEndpoint(),
  SHUTDOWN_GRACE_MS: shutdownGraceMs(),
  FEATURE_PCM16: bool(false),
  TOOL_TIMEOUT_MS: durationMs(2000),
});

function problems(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    return err;
  }
  assert.fail("expected a ConfigError");
}

describe("parseEnv", () => {
  it("applies local-dev defaults to an empty environment", () => {
    const cfg = parseEnv(schema, {});
    assert.deepEqual(cfg, {
      DATABASE_URL: DEFAULT_DATABASE_URL,
      REDIS_URL: DEFAULT_REDIS_URL,
      NATS_URL: DEFAULT_NATS_URL,
      PORT: 8080,
      LOG_LEVEL: "info",
      SERVICE_NAME: "menu-service",
      NATS_SUBJECT_PREFIX: "",
      SHUTDOWN_GRACE_MS: 10_000,
      FEATURE_PCM16: false,
      TOOL_TIMEOUT_MS: 2000,
    });
  });

  it("parses good values into typed ones and ignores unrelated variables", () => {
    const cfg = parseEnv(schema, {
      DATABASE_URL: "postgresql://u:p@db.internal:6543/orders",
      REDIS_URL: "rediss://cache:6380",
      NATS_URL: "nats://a:4222, tls://b:4222",
      PORT: "0",
      LOG_LEVEL: "DEBUG",
      NATS_SUBJECT_PREFIX: "test-3f2a.",
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318",
      SHUTDOWN_GRACE_MS: "30s",
      FEATURE_PCM16: "1",
      TOOL_TIMEOUT_MS: "1500ms",
      HOME: "/root",
    });
    assert.equal(cfg.DATABASE_URL, "postgresql://u:p@db.internal:6543/orders");
    assert.equal(cfg.NATS_URL, "nats://a:4222,tls://b:4222");
    assert.equal(cfg.PORT, 0);
    assert.equal(cfg.LOG_LEVEL, "debug");
    assert.equal(cfg.NATS_SUBJECT_PREFIX, "test-3f2a.");
    assert.equal(cfg.OTEL_EXPORTER_OTLP_ENDPOINT, "http://collector:4318");
    assert.equal(cfg.SHUTDOWN_GRACE_MS, 30_000);
    assert.equal(cfg.FEATURE_PCM16, true);
    assert.equal(cfg.TOOL_TIMEOUT_MS, 1500);
    assert.equal("HOME" in cfg, false);
  });

  it("treats empty variables as unset so defaults apply", () => {
    const cfg = parseEnv(schema, { PORT: "", LOG_LEVEL: "  " });
    assert.equal(cfg.PORT, 8080);
    assert.equal(cfg.LOG_LEVEL, "info");
  });

  it("lists every problem, one line each, with the variable, the problem and what is expected", () => {
    const err = problems(() =>
      parseEnv(schema, {
        DATABASE_URL: "mysql://root:hunter2@db:3306/x",
        REDIS_URL: "not a url",
        NATS_URL: "nats://ok:4222,http://bad:80",
        PORT: "70000",
        LOG_LEVEL: "loud",
        SERVICE_NAME: "Menu Service",
        NATS_SUBJECT_PREFIX: "test",
        OTEL_EXPORTER_OTLP_ENDPOINT: "grpc://collector:4317",
        SHUTDOWN_GRACE_MS: "soon",
        FEATURE_PCM16: "yes please",
        TOOL_TIMEOUT_MS: "-5",
      }),
    );
    const lines = err.message.split("\n");
    assert.equal(lines[0], "Invalid configuration: 11 problems");
    assert.equal(lines.length, 12);
    const byVar = new Map(err.issues.map((i) => [i.variable, i]));
    assert.deepEqual([...byVar.keys()].sort(), Object.keys(schema.shape).sort());
    assert.match(byVar.get("DATABASE_URL")!.problem, /scheme "mysql"/);
    assert.match(byVar.get("DATABASE_URL")!.expected, /postgres:\/\//);
    assert.equal(byVar.get("REDIS_URL")!.problem, "is not a valid URL");
    assert.match(byVar.get("NATS_URL")!.problem, /server #2 has scheme "http"/);
    assert.equal(byVar.get("PORT")!.problem, "is out of range 0-65535");
    assert.equal(byVar.get("LOG_LEVEL")!.problem, "is not a known log level");
    assert.match(byVar.get("LOG_LEVEL")!.expected, /one of fatal, error, warn, info/);
    assert.equal(byVar.get("NATS_SUBJECT_PREFIX")!.problem, "does not end with a dot");
    assert.equal(byVar.get("FEATURE_PCM16")!.problem, "is not a boolean");
    assert.equal(byVar.get("FEATURE_PCM16")!.expected, "true, false, 1 or 0");
    assert.equal(byVar.get("TOOL_TIMEOUT_MS")!.problem, "is not a duration");
    assert.match(lines.find((l) => l.includes("PORT"))!, /^ {2}PORT: is out of range 0-65535 \(expected a TCP port 0-65535\)$/);
  });

  it("never prints the values it rejects (they may be secrets)", () => {
    const err = problems(() =>
      parseEnv(z.object({ DATABASE_URL: databaseUrl(), OPENAI_API_KEY: secret() }), {
        DATABASE_URL: "mysql://root:hunter2@db:3306/x",
      }),
    );
    assert.doesNotMatch(err.message, /hunter2/);
    assert.match(err.message, /OPENAI_API_KEY: is not set \(expected a non-empty secret\)/);
  });

  it("reports required variables that are missing", () => {
    const err = problems(() =>
      parseEnv(z.object({ DATABASE_URL: databaseUrl(null), TWILIO_NUMBER: e164Phone(), OTHER: z.string() }), {}),
    );
    assert.deepEqual(
      err.issues.map((i) => [i.variable, i.problem]),
      [
        ["DATABASE_URL", "is not set"],
        ["TWILIO_NUMBER", "is not set"],
        ["OTHER", "is not set"],
      ],
    );
  });

  it("validates E.164 phones, integers, enums and optional fields", () => {
    const s = z.object({
      PHONE: e164Phone(),
      WORKERS: integer({ min: 1, max: 16, default: 2 }),
      MODE: oneOf(["pcmu", "pcm16"], "pcmu"),
      FALLBACK_PHONE: optional(e164Phone()),
    });
    assert.deepEqual(parseEnv(s, { PHONE: "+14155550123" }), {
      PHONE: "+14155550123",
      WORKERS: 2,
      MODE: "pcmu",
    });
    const err = problems(() => parseEnv(s, { PHONE: "415-555-0123", WORKERS: "2.5", MODE: "mp3", FALLBACK_PHONE: "+0123" }));
    assert.deepEqual(
      err.issues.map((i) => [i.variable, i.problem]),
      [
        ["PHONE", "is not an E.164 phone number"],
        ["WORKERS", "is not an integer"],
        ["MODE", "is not one of the allowed values"],
        ["FALLBACK_PHONE", "is not an E.164 phone number"],
      ],
    );
    assert.match(err.issues[1]!.expected, /an integer 1-16/);
  });

  it("accepts true/false/1/0 in any case for booleans", () => {
    const s = z.object({ B: bool() });
    for (const [raw, want] of [["TRUE", true], ["false", false], ["1", true], ["0", false]] as const) {
      assert.equal(parseEnv(s, { B: raw }).B, want);
    }
    for (const raw of ["yes please", "yes", "on", "2"]) {
      assert.equal(problems(() => parseEnv(s, { B: raw })).issues[0]!.problem, "is not a boolean");
    }
  });

  it("reports cross-field rules on the variable they name", () => {
    const s = z
      .object({ FEATURE_OUTBOUND: bool(false), TWILIO_FROM: optional(e164Phone()) })
      .refine((c) => !c.FEATURE_OUTBOUND || c.TWILIO_FROM, {
        path: ["TWILIO_FROM"],
        message: "is required when FEATURE_OUTBOUND is true",
      });
    const err = problems(() => parseEnv(s, { FEATURE_OUTBOUND: "true" }));
    assert.equal(err.issues.length, 1);
    assert.match(err.message, /TWILIO_FROM: is required when FEATURE_OUTBOUND is true \(expected an E\.164 phone number like \+14155550123, or unset\)/);
  });

  it("commonEnv gives every service the shared variables with local defaults", () => {
    const s = z.object({ ...commonEnv({ opsPort: 9464 }), DATABASE_URL: databaseUrl() });
    const cfg = parseEnv(s, { OPS_PORT: "9500", NATS_SUBJECT_PREFIX: "t1." });
    assert.deepEqual(cfg, {
      NATS_URL: DEFAULT_NATS_URL,
      NATS_SUBJECT_PREFIX: "t1.",
      LOG_LEVEL: "info",
      OPS_PORT: 9500,
      SHUTDOWN_GRACE_MS: 10_000,
      DATABASE_URL: DEFAULT_DATABASE_URL,
    });
  });
});
