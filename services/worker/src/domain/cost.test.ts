import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RealtimeUsage } from "@orderline/contracts";
import { callCost } from "./cost.ts";
import { parseModelPrices } from "./prices.ts";

const parsed = parseModelPrices(
  JSON.stringify({
    "gpt-realtime": { audioInput: "32", cachedInput: "0.40", audioOutput: "64", textInput: "4", textOutput: "16" },
    "gpt-5-mini": { textInput: "0.25", cachedInput: "0.025", textOutput: "2" },
  }),
);
if (!parsed.ok) throw new Error(parsed.problem);
const prices = { models: parsed.value, inboundPerMinuteMicros: 8_500, outboundPerMinuteMicros: 13_000 };

describe("callCost", () => {
  it("matches the hand-computed figure for known Realtime usage and a 2 min 5 s inbound call", () => {
    const usage = RealtimeUsage.parse({ inputAudioTokens: 10_000, inputTextTokens: 2_000, cachedTokens: 6_000, outputAudioTokens: 4_000, outputTextTokens: 500, responses: 7 });
    const cost = callCost({ usage, model: "gpt-realtime", textUsage: [], durationSeconds: 125, direction: "inbound" }, prices);
    // audio in 4 000 × $32/M = $0.128; cached 6 000 × $0.40/M = $0.0024; text in 2 000 × $4/M = $0.008;
    // audio out 4 000 × $64/M = $0.256; text out 500 × $16/M = $0.008 → $0.4024. 3 started minutes × $0.0085 = $0.0255.
    assert.deepEqual(cost, { aiMicros: 402_400, telephonyMicros: 25_500, totalMicros: 427_900, billedMinutes: 3, unpricedModels: [] });
  });

  it("adds text-engine usage per model and rounds half up once per call", () => {
    const usage = RealtimeUsage.parse({});
    const textUsage = [{ model: "gpt-5-mini", inputTokens: 3_001, cachedTokens: 1_000, outputTokens: 401, requests: 3 }];
    const cost = callCost({ usage, model: undefined, textUsage, durationSeconds: 60, direction: "outbound" }, prices);
    // 2 001 × 0.25 = 500.25; 1 000 × 0.025 = 25; 401 × 2 = 802 → 1 327.25 µ$ → 1 327. One minute outbound = 13 000.
    assert.deepEqual(cost, { aiMicros: 1_327, telephonyMicros: 13_000, totalMicros: 14_327, billedMinutes: 1, unpricedModels: [] });
  });

  it("a model without a configured price leaves the AI cost unknown instead of guessing", () => {
    const usage = RealtimeUsage.parse({ inputAudioTokens: 10 });
    const cost = callCost({ usage, model: "gpt-realtime-9", textUsage: [], durationSeconds: 0, direction: "inbound" }, prices);
    assert.deepEqual(cost, { aiMicros: null, telephonyMicros: 0, totalMicros: null, billedMinutes: 0, unpricedModels: ["gpt-realtime-9"] });
  });
});

describe("parseModelPrices", () => {
  it("names what is wrong", () => {
    assert.deepEqual(parseModelPrices("{"), { ok: false, problem: "is not valid JSON" });
    const r = parseModelPrices(JSON.stringify({ m: { textInput: "abc", cachedInput: "1", textOutput: "1" } }));
    assert.equal(r.ok, false);
    assert.match(r.ok ? "" : r.problem, /m\.textInput: must be a USD amount/);
  });
});
