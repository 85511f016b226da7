import type { Database, VoiceCall, VoiceCallEvent } from "@orderline/db";
import type { Kysely } from "kysely";

export interface CallRecord {
  call: VoiceCall;
  events: VoiceCallEvent[];
}

/**
 * The call's record as the worker stored it (voice_calls row + voice_call_events), once finalized; waits up to
 * `timeoutMs` for the worker and says so when it never came.
 */
export async function readCallRecord(db: Kysely<Database>, callSid: string, timeoutMs = 20_000): Promise<CallRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const call = await db.selectFrom("voice_calls").selectAll().where("call_sid", "=", callSid).where("finalized_at", "is not", null).executeTakeFirst();
    if (call) {
      const events = await db.selectFrom("voice_call_events").selectAll().where("call_id", "=", call.id).orderBy("timestamp").orderBy("id").execute();
      return { call, events };
    }
    if (Date.now() > deadline) throw new Error(`the worker did not store the record of call ${callSid} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Micro-dollars as exact dollars: 40 966 → "$0.040966". */
const micros = (m: number | null) => (m === null ? "unknown" : `$${Math.floor(m / 1_000_000)}.${String(m % 1_000_000).padStart(6, "0")}`);

/** Human-readable lines: the row (disposition, duration, cost, redacted transcript) and one line per event. */
export function formatCallRecord({ call, events }: CallRecord): string[] {
  const lines = [
    `voice_calls ${call.call_sid}: ${call.disposition}, ${call.duration_seconds ?? "?"} s, orders [${call.order_ids.join(", ")}]`,
    `  cost: AI ${micros(call.ai_cost_micros)} + telephony ${micros(call.telephony_cost_micros)} = ${micros(call.total_cost_micros)}`,
    "  transcript (redacted):",
    ...(call.transcript ?? []).map((t) => `    ${t.role.padEnd(9)} ${t.text}`),
    `voice_call_events (${events.length}):`,
  ];
  for (const e of events) lines.push(`  ${e.timestamp.toISOString()} ${e.event_type.padEnd(12)} ${JSON.stringify(e.event_data)}`);
  return lines;
}

/** The stored call in the field names of the gateway's finalize job (the worker consumed that job to store it). */
export async function storedCall(db: Kysely<Database>, callSid: string, timeoutMs?: number) {
  const { call, events } = await readCallRecord(db, callSid, timeoutMs);
  const usage = call.usage as { transports?: string[]; engines?: string[]; text?: { requests: number }[] };
  return {
    orderIds: call.order_ids,
    orderId: call.order_id,
    disposition: call.disposition,
    transports: usage.transports,
    engines: usage.engines,
    textUsage: usage.text,
    transcript: call.transcript ?? [],
    events: events.map((e) => ({ type: e.event_type, data: e.event_data })),
  };
}
export type StoredCall = Awaited<ReturnType<typeof storedCall>>;
