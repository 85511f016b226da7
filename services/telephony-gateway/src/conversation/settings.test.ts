import assert from "node:assert/strict";
import { test } from "node:test";
import { parseGatewayEnv } from "../env.ts";
import { effectiveSettings, fallbackPoint, startingPoint } from "./settings.ts";

const base = { PUBLIC_BASE_URL: "https://voice.example.com", TWILIO_ACCOUNT_SID: "AC1", TWILIO_AUTH_TOKEN: "t" };

test("a location's row decides its transport and engines; no row = the gateway's defaults", () => {
  const config = parseGatewayEnv({ ...base, OPENAI_API_KEY: "sk-x" });
  const relay = effectiveSettings({ mode: "relay", textEngine: "openai", realtimeModel: "gpt-realtime-2.1-mini", voice: "cedar", language: null }, "en-US", config);
  assert.deepEqual(startingPoint(relay), { transport: "relay", engine: "openai_text" });
  assert.equal(relay.realtimeModel, "gpt-realtime-2.1-mini");
  const defaults = effectiveSettings(null, "es-US", config);
  assert.deepEqual(startingPoint(defaults), { transport: "media_stream", engine: "realtime" });
  assert.equal(defaults.language, "es-US");
  assert.deepEqual(fallbackPoint(defaults, config), { transport: "gather", engine: "openai_text" });
});

test("with no OpenAI key every location takes <Gather> turns with the local agent", () => {
  const config = parseGatewayEnv(base);
  for (const mode of ["realtime", "relay", "gather"] as const) {
    const s = effectiveSettings({ mode, textEngine: "openai", realtimeModel: "gpt-realtime", voice: "marin", language: null }, "en-US", config);
    assert.deepEqual(startingPoint(s), { transport: "gather", engine: "local" });
  }
});

test("FALLBACK_TRANSPORT=none hands a failing Realtime call to staff", () => {
  const config = parseGatewayEnv({ ...base, OPENAI_API_KEY: "sk-x", FALLBACK_TRANSPORT: "none" });
  assert.equal(fallbackPoint(effectiveSettings(null, "en-US", config), config), null);
});
