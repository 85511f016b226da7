import type { CallEvent, CallFinalizeJob, RedisKeys } from "@orderline/contracts";
import type { Database, JsonObject, TranscriptTurn } from "@orderline/db";
import type { JobContext } from "@orderline/runtime";
import type { Counter } from "@orderline/telemetry";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Kysely } from "kysely";
import { type CostPrices, callCost } from "../domain/cost.ts";
import { redactText, redactValue } from "../domain/redact.ts";
import { enqueueSurvey } from "../queues.ts";
import { storeCallRecord } from "../repositories/calls.ts";

export interface FinalizeDeps {
  db: Kysely<Database>;
  redis: Redis;
  keys: RedisKeys;
  prices: CostPrices;
  finalized: Counter<"disposition">;
  /** `worker_call_cost_usd_total`: each stored call's cost, by the engine it started on and its location. */
  cost: Counter<"engine" | "location">;
  /** The call-survey queue: a stored call of a location that sends the survey gets one job. */
  surveyQueue?: Queue;
}

/** One voice_call_events row's data: redacted, and a tool call's outcome and latency under stable names. */
export function eventData(e: CallEvent): JsonObject {
  const data = redactValue(e.data) as JsonObject;
  if (e.type !== "tool_call" && e.type !== "tool_error") return data;
  const ok = data["ok"] === true;
  return {
    ...data,
    result: e.type === "tool_error" ? `failed: ${String(data["code"] ?? "error")}` : ok ? "ok" : `error: ${String(data["code"] ?? "unknown")}`,
    latencyMs: typeof data["ms"] === "number" ? data["ms"] : null,
  };
}

/**
 * Stores the call's record (redacted transcript and events, disposition, every order, duration, usage and cost)
 * once per call SID, then deletes the gateway's raw transcript and event lists from Redis.
 */
export async function finalizeCall(job: CallFinalizeJob, ctx: JobContext, deps: FinalizeDeps): Promise<{ callId: string; stored: boolean }> {
  const startedMs = Date.parse(job.startedAt);
  const endedMs = Math.max(Date.parse(job.endedAt), startedMs);
  const durationSeconds = Math.ceil((endedMs - startedMs) / 1000);
  const orderIds = job.orderIds ?? (job.orderId ? [job.orderId] : []);
  if (job.orderId && !orderIds.includes(job.orderId)) orderIds.push(job.orderId);
  const cost = callCost({ usage: job.usage, model: job.model, textUsage: job.textUsage ?? [], durationSeconds, direction: "inbound" }, deps.prices);
  // A caller turn's sentiment (the escalation service's assess_turn, recorded by the gateway) is kept with it.
  const transcript: TranscriptTurn[] = job.transcript.map((t) => ({ role: t.role, text: redactText(t.text), at: t.at, ...(t.sentiment !== undefined ? { sentiment: t.sentiment } : {}) }));
  const usage = {
    realtime: { ...job.usage, ...(job.model ? { model: job.model } : {}) },
    text: (job.textUsage ?? []).map((t) => ({ ...t })),
    ...(job.transports ? { transports: job.transports } : {}),
    ...(job.engines ? { engines: job.engines } : {}),
    billedMinutes: cost.billedMinutes,
    ...(cost.unpricedModels.length > 0 ? { unpricedModels: cost.unpricedModels } : {}),
  } as JsonObject;
  const result = await storeCallRecord(deps.db, {
    callSid: job.callSid,
    locationId: job.locationId,
    from: job.from,
    to: job.to,
    startedAt: new Date(startedMs).toISOString(),
    endedAt: new Date(endedMs).toISOString(),
    durationSeconds,
    disposition: job.disposition,
    endReason: job.endReason ? redactText(job.endReason) : null,
    escalationReason: job.transferReason ?? null,
    orderIds,
    transcript,
    events: job.events.map((e) => ({ type: e.type, at: e.at, data: eventData(e) })),
    usage,
    aiCostMicros: cost.aiMicros,
    telephonyCostMicros: cost.telephonyMicros,
    totalCostMicros: cost.totalMicros,
  });
  // The record is stored: the raw copies go (the job itself is removed on completion) — transcript and events,
  // and a text engine's conversation history and the prices it quoted.
  const k = deps.keys;
  await deps.redis.del(k.callTranscript(job.callSid), k.callEvents(job.callSid), k.callEngineState(job.callSid), k.callKnownPrices(job.callSid));
  if (result.stored) {
    deps.finalized.inc({ disposition: job.disposition });
    // Micro-dollars → dollars; a model without a price adds nothing here (warned below) and leaves the stored AI cost null.
    const micros = (cost.aiMicros ?? 0) + cost.telephonyMicros;
    deps.cost.inc({ engine: job.engines?.[0] ?? "unknown", location: job.locationId ?? "none" }, micros / 1_000_000);
  }
  if (result.stored && deps.surveyQueue && job.locationId && job.from && (job.disposition === "completed" || job.disposition === "transferred")) {
    const on = await deps.db.selectFrom("locations").select("sms_survey_enabled").where("id", "=", job.locationId).executeTakeFirst();
    if (on?.sms_survey_enabled) await enqueueSurvey(deps.surveyQueue, { callId: result.callId, locationId: job.locationId });
  }
  if (cost.unpricedModels.length > 0) ctx.logger.warn({ callSid: job.callSid, models: cost.unpricedModels }, "no price configured for a model: call cost left unknown");
  ctx.logger.info(
    { callSid: job.callSid, disposition: job.disposition, events: job.events.length, durationSeconds, totalCostMicros: cost.totalMicros, alreadyStored: !result.stored },
    "call record stored",
  );
  return result;
}
