import type { RealtimeUsage, TextEngineUsage } from "@orderline/contracts";
import type { ModelPrices } from "./prices.ts";

export interface CostPrices {
  models: ModelPrices;
  /** Micro-dollars per started minute. */
  inboundPerMinuteMicros: number;
  outboundPerMinuteMicros: number;
}

export interface CallCost {
  /** Sum of the Realtime and text-engine token costs; null when a model used has no configured price. */
  aiMicros: number | null;
  telephonyMicros: number;
  totalMicros: number | null;
  billedMinutes: number;
  /** Models the call used that MODEL_PRICES does not list. */
  unpricedModels: string[];
}

const MILLION = 1_000_000n;

/** tokens × (micro-dollars per 1M tokens), in millionths of a micro-dollar (exact). */
const part = (tokens: number, microsPerMillion: number | undefined): bigint => BigInt(tokens) * BigInt(microsPerMillion ?? 0);

/** Round half up from millionths of a micro-dollar to micro-dollars, once per call. */
const toMicros = (v: bigint): number => Number((v + MILLION / 2n) / MILLION);

/**
 * Realtime tokens at the model's prices. Cached tokens are part of the input tokens and billed at the cached
 * rate; usage does not say how they split between audio and text, so they are taken off audio input first (the
 * re-billed conversation prefix is mostly audio), then text.
 */
function realtimeCost(usage: RealtimeUsage, price: ModelPrices[string]): bigint {
  const cached = Math.min(usage.cachedTokens, usage.inputAudioTokens + usage.inputTextTokens);
  const cachedFromAudio = Math.min(cached, usage.inputAudioTokens);
  const uncachedAudio = usage.inputAudioTokens - cachedFromAudio;
  const uncachedText = usage.inputTextTokens - (cached - cachedFromAudio);
  return (
    part(uncachedAudio, price.audioInput) +
    part(uncachedText, price.textInput) +
    part(cached, price.cachedInput) +
    part(usage.outputAudioTokens, price.audioOutput) +
    part(usage.outputTextTokens, price.textOutput)
  );
}

function textEngineCost(usage: TextEngineUsage, price: ModelPrices[string]): bigint {
  const cached = Math.min(usage.cachedTokens, usage.inputTokens);
  return part(usage.inputTokens - cached, price.textInput) + part(cached, price.cachedInput) + part(usage.outputTokens, price.textOutput);
}

const hasRealtimeTokens = (u: RealtimeUsage) => u.inputAudioTokens + u.inputTextTokens + u.cachedTokens + u.outputAudioTokens + u.outputTextTokens > 0;

/**
 * A call's cost in integer micro-dollars: Realtime usage and text-engine usage at per-model prices, and the
 * carrier's per-started-minute price for the call's duration.
 */
export function callCost(
  call: { usage: RealtimeUsage; model: string | undefined; textUsage: TextEngineUsage[]; durationSeconds: number; direction: "inbound" | "outbound" },
  prices: CostPrices,
): CallCost {
  const unpriced = new Set<string>();
  let ai = 0n;
  if (hasRealtimeTokens(call.usage)) {
    const price = call.model ? prices.models[call.model] : undefined;
    if (price) ai += realtimeCost(call.usage, price);
    else unpriced.add(call.model ?? "(realtime model not reported)");
  }
  for (const t of call.textUsage) {
    const price = prices.models[t.model];
    if (price) ai += textEngineCost(t, price);
    else unpriced.add(t.model);
  }
  const billedMinutes = Math.ceil(Math.max(0, call.durationSeconds) / 60);
  const telephonyMicros = billedMinutes * (call.direction === "inbound" ? prices.inboundPerMinuteMicros : prices.outboundPerMinuteMicros);
  const aiMicros = unpriced.size > 0 ? null : toMicros(ai);
  return { aiMicros, telephonyMicros, totalMicros: aiMicros === null ? null : aiMicros + telephonyMicros, billedMinutes, unpricedModels: [...unpriced] };
}
