import type { CallDisposition, CallEventType, EscalationReason } from "@orderline/contracts";
import type { Database, JsonObject, TranscriptTurn } from "@orderline/db";
import type { Kysely } from "kysely";

export interface CallRecord {
  callSid: string;
  locationId: string | null;
  from: string | null;
  to: string | null;
  startedAt: string;
  endedAt: string;
  durationSeconds: number;
  disposition: CallDisposition;
  endReason: string | null;
  escalationReason: EscalationReason | null;
  orderIds: string[];
  /** Already redacted. */
  transcript: TranscriptTurn[];
  /** Already redacted. */
  events: { type: CallEventType; at: string; data: JsonObject }[];
  usage: JsonObject;
  aiCostMicros: number | null;
  telephonyCostMicros: number;
  totalCostMicros: number | null;
}

/**
 * Stores a finished call once: the voice_calls row (created when the gateway never wrote it) and its events, in
 * one transaction under the row's lock. A call already finalized is left exactly as it is.
 */
export async function storeCallRecord(db: Kysely<Database>, rec: CallRecord): Promise<{ callId: string; stored: boolean }> {
  return db.transaction().execute(async (trx) => {
    await trx
      .insertInto("voice_calls")
      .values({ call_sid: rec.callSid, location_id: rec.locationId, direction: "inbound", phone_from: rec.from, phone_to: rec.to, started_at: rec.startedAt })
      .onConflict((oc) => oc.column("call_sid").doNothing())
      .execute();
    const row = await trx.selectFrom("voice_calls").select(["id", "finalized_at"]).where("call_sid", "=", rec.callSid).forUpdate().executeTakeFirstOrThrow();
    if (row.finalized_at !== null) return { callId: row.id, stored: false };
    // An order id the database does not know (deleted, or a bad producer) must not lose the call record.
    const known =
      rec.orderIds.length === 0
        ? new Set<string>()
        : new Set((await trx.selectFrom("orders").select("id").where("id", "in", rec.orderIds).execute()).map((o) => o.id));
    const orderIds = rec.orderIds.filter((id) => known.has(id));
    await trx
      .updateTable("voice_calls")
      .set({
        started_at: rec.startedAt,
        ended_at: rec.endedAt,
        duration_seconds: rec.durationSeconds,
        disposition: rec.disposition,
        end_reason: rec.endReason,
        escalation_reason: rec.escalationReason,
        order_id: orderIds.at(-1) ?? null,
        order_ids: orderIds,
        transcript: JSON.stringify(rec.transcript),
        usage: JSON.stringify(rec.usage),
        ai_cost_micros: rec.aiCostMicros,
        telephony_cost_micros: rec.telephonyCostMicros,
        total_cost_micros: rec.totalCostMicros,
        finalized_at: new Date(),
      })
      .where("id", "=", row.id)
      .execute();
    if (rec.events.length > 0) {
      await trx
        .insertInto("voice_call_events")
        .values(rec.events.map((e) => ({ call_id: row.id, event_type: e.type, event_data: JSON.stringify(e.data), timestamp: e.at })))
        .execute();
    }
    return { callId: row.id, stored: true };
  });
}
