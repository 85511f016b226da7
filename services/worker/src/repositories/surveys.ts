import type { Database } from "@orderline/db";
import type { Kysely } from "kysely";
import { OUTBOUND_NUMBER } from "./orders.ts";

/** What the survey of one call needs: the caller, the location (survey switched on?), the caller's opt-out. */
export async function loadSurveyCall(db: Kysely<Database>, callId: string) {
  return db
    .selectFrom("voice_calls as v")
    .innerJoin("locations as l", "l.id", "v.location_id")
    .leftJoin("customers as c", (j) => j.onRef("c.brand_id", "=", "l.brand_id").onRef("c.phone", "=", "v.phone_from"))
    .select([
      "v.id",
      "v.location_id",
      "v.direction",
      "v.disposition",
      "v.phone_from",
      "l.name as location_name",
      "l.language",
      "l.public_phone",
      "l.sms_survey_enabled",
      "c.sms_opt_out",
      OUTBOUND_NUMBER.as("outbound_number"),
    ])
    .where("v.id", "=", callId)
    .executeTakeFirst();
}

/** The survey row, written before Twilio is asked; null when the call already has one (never sent twice). */
export async function beginSurvey(db: Kysely<Database>, s: { callId: string; locationId: string; to: string; from: string }): Promise<string | null> {
  const row = await db
    .insertInto("call_surveys")
    .values({ call_id: s.callId, location_id: s.locationId, to_phone: s.to, from_phone: s.from, state: "sending" })
    .onConflict((oc) => oc.constraint("call_surveys_call_key").doNothing())
    .returning("id")
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function finishSurvey(db: Kysely<Database>, id: string, s: { state: "sent" | "failed" | "unconfirmed"; sid?: string; detail?: string }): Promise<void> {
  await db
    .updateTable("call_surveys")
    .set({ state: s.state, sms_sid: s.sid ?? null, detail: s.detail ?? null })
    .where("id", "=", id)
    .execute();
}

/** How long after a survey a 1–5 reply still counts as its answer. */
const REPLY_WINDOW_HOURS = 48;

/** Records a reply on the newest unanswered survey sent to `from` from `to` within the window; false when there is none. */
export async function recordSurveyReply(db: Kysely<Database>, r: { from: string; to: string; score: number; at: Date }): Promise<boolean> {
  const res = await db
    .updateTable("call_surveys")
    .set({ score: r.score, replied_at: r.at })
    .where(
      "id",
      "=",
      db
        .selectFrom("call_surveys")
        .select("id")
        .where("to_phone", "=", r.from)
        .where("from_phone", "=", r.to)
        .where("state", "=", "sent")
        .where("score", "is", null)
        .where("created_at", ">", new Date(r.at.getTime() - REPLY_WINDOW_HOURS * 3_600_000))
        .orderBy("created_at", "desc")
        .limit(1),
    )
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}
