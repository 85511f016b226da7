import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError } from "@orderline/config";
import { parseGatewayEnv } from "./env.ts";

const base = { PUBLIC_BASE_URL: "https://voice.example.com/", TWILIO_ACCOUNT_SID: "AC123", TWILIO_AUTH_TOKEN: "t", OPENAI_API_KEY: "k" };

test("defaults: OpenAI over wss, pcmu passthrough, 2 s tool timeout, 55 min sessions; trailing slash dropped", () => {
  const c = parseGatewayEnv(base);
  assert.equal(c.OPENAI_REALTIME_URL, "wss://api.openai.com/v1/realtime");
  assert.equal(c.AUDIO_MODE, "pcmu");
  assert.equal(c.TOOL_TIMEOUT_MS, 2000);
  assert.equal(c.REALTIME_MAX_SESSION_MS, 55 * 60_000);
  assert.equal(c.PUBLIC_BASE_URL, "https://voice.example.com");
});

test("plain ws:// only to a loopback emulator", () => {
  assert.equal(parseGatewayEnv({ ...base, OPENAI_REALTIME_URL: "ws://127.0.0.1:9000/v1/realtime" }).OPENAI_REALTIME_URL, "ws://127.0.0.1:9000/v1/realtime");
  assert.throws(() => parseGatewayEnv({ ...base, OPENAI_REALTIME_URL: "ws://api.example.com/v1/realtime" }), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.match(err.message, /OPENAI_REALTIME_URL.*non-loopback/);
    return true;
  });
});

test("every problem is listed at once", () => {
  assert.throws(() => parseGatewayEnv({ AUDIO_MODE: "opus", TWILIO_AUTH_TOKEN: "", OPENAI_BASE_URL: "http://api.example.com/v1", GATHER_MIN_CONFIDENCE: "2" }), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    for (const v of ["PUBLIC_BASE_URL", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "AUDIO_MODE", "OPENAI_BASE_URL", "GATHER_MIN_CONFIDENCE"]) assert.match(err.message, new RegExp(v));
    return true;
  });
});

test("no OpenAI key is a valid configuration: the line runs without cloud models", () => {
  const config = parseGatewayEnv({ PUBLIC_BASE_URL: "https://voice.example.com", TWILIO_ACCOUNT_SID: "AC1", TWILIO_AUTH_TOKEN: "t" });
  assert.equal(config.OPENAI_API_KEY, undefined);
  assert.equal(config.OPENAI_BASE_URL, "https://api.openai.com/v1");
  assert.equal(config.FALLBACK_TRANSPORT, "gather");
});
