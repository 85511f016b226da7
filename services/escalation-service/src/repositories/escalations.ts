import type { EscalationReason, StaffTarget, TransferDecision } from "@orderline/contracts";
import type { Database, Escalation, EscalationState, JsonObject } from "@orderline/db";
import { type Kysely, sql } from "kysely";

/** Serializes escalation work on one call (transaction-scoped advisory lock on the CallSid). */
export async function lockCall(db: Kysely<Database>, callSid: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`escalation:${callSid}`}))`.execute(db);
}

export async function escalationOfCall(db: Kysely<Database>, callSid: string): Promise<Escalation | null> {
  return (await db.selectFrom("escalations").selectAll().where("call_sid", "=", callSid).executeTakeFirst()) ?? null;
}

export async function escalationById(db: Kysely<Database>, id: string): Promise<Escalation | null> {
  return (await db.selectFrom("escalations").selectAll().where("id", "=", id).executeTakeFirst()) ?? null;
}

export interface NewEscalation {
  callSid: string;
  callId: string | null;
  locationId: string;
  reason: EscalationReason;
  reasonDetail: string | null;
  summary: string;
  callerPhone: string | null;
  orderId: string | null;
  targets: StaffTarget[];
  state: EscalationState;
}

/** Inserts the call's escalation with a placeholder decision; the caller sets the real one once it has the id. */
export async function insertEscalation(db: Kysely<Database>, e: NewEscalation): Promise<Escalation> {
  return db
    .insertInto("escalations")
    .values({
      call_sid: e.callSid,
      call_id: e.callId,
      location_id: e.locationId,
      reason: e.reason,
      reason_detail: e.reasonDetail,
      summary: e.summary,
      caller_phone: e.callerPhone,
      order_id: e.orderId,
      targets: JSON.stringify(e.targets),
      attempt: 0,
      state: e.state,
      decision: JSON.stringify({ action: "pending" }),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateEscalation(
  db: Kysely<Database>,
  id: string,
  patch: { state: EscalationState; decision: TransferDecision; attempt?: number; callbackRequestId?: string; answeredBy?: string },
): Promise<void> {
  await db
    .updateTable("escalations")
    .set({
      state: patch.state,
      decision: JSON.stringify(patch.decision as unknown as JsonObject),
      ...(patch.attempt !== undefined ? { attempt: patch.attempt } : {}),
      ...(patch.callbackRequestId !== undefined ? { callback_request_id: patch.callbackRequestId } : {}),
      ...(patch.answeredBy !== undefined ? { answered_by: patch.answeredBy } : {}),
    })
    .where("id", "=", id)
    .execute();
}
