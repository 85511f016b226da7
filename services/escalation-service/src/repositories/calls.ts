import type { CallEventType, EscalationReason } from "@orderline/contracts";
import type { Database, JsonObject } from "@orderline/db";
import type { Kysely } from "kysely";

export interface CallRecord {
  id: string;
  /** The call is over (ended_at set or a final disposition). */
  ended: boolean;
  /** The number the caller dialled, as Twilio sent it. */
  phoneTo: string | null;
}

/** The call's `voice_calls` row (written by the gateway at call start), or null when there is none. */
export async function findCall(db: Kysely<Database>, callSid: string): Promise<CallRecord | null> {
  const row = await db.selectFrom("voice_calls").select(["id", "ended_at", "disposition", "phone_to"]).where("call_sid", "=", callSid).executeTakeFirst();
  if (!row) return null;
  return { id: row.id, ended: row.ended_at !== null || (row.disposition !== "in_progress" && row.disposition !== "transferred"), phoneTo: row.phone_to };
}

/** Appends an event to the call's log; a call without a `voice_calls` row gets none (nothing to hang it on). */
export async function addCallEvent(db: Kysely<Database>, callId: string | null, type: CallEventType, data: JsonObject, at: Date): Promise<void> {
  if (!callId) return;
  await db.insertInto("voice_call_events").values({ call_id: callId, event_type: type, event_data: JSON.stringify(data), timestamp: at }).execute();
}

/** The reason the call went to staff (countable per location on the dashboard). */
export async function setEscalationReason(db: Kysely<Database>, callId: string | null, reason: EscalationReason): Promise<void> {
  if (!callId) return;
  await db.updateTable("voice_calls").set({ escalation_reason: reason }).where("id", "=", callId).execute();
}

/** Staff answered: the call's record says transferred, to whom and why. */
export async function markTransferred(db: Kysely<Database>, callId: string | null, reason: EscalationReason, to: string): Promise<void> {
  if (!callId) return;
  await db.updateTable("voice_calls").set({ disposition: "transferred", transferred_to: to, escalation_reason: reason }).where("id", "=", callId).execute();
}
