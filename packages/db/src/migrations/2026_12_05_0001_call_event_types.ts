import type { Kysely } from "kysely";
import { exec, inList } from "./sql-util.ts";

// Literal lists (not read from @orderline/contracts): a shipped migration must mean the same thing forever.
const BEFORE = ["call_started", "stream_started", "stream_resumed", "tool_call", "tool_error", "barge_in", "transfer", "realtime_error", "error", "call_ended"];
const AFTER = [...BEFORE, "fallback", "engine_error", "reprompt", "escalation", "callback_requested"];

/** Call events for transport/engine fallback, engine errors, re-prompts and escalation decisions. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await exec(
    db,
    `ALTER TABLE voice_call_events DROP CONSTRAINT voice_call_events_event_type_check;
ALTER TABLE voice_call_events ADD CONSTRAINT voice_call_events_event_type_check CHECK (event_type IN (${inList(AFTER)}));`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await exec(
    db,
    `DELETE FROM voice_call_events WHERE event_type NOT IN (${inList(BEFORE)});
ALTER TABLE voice_call_events DROP CONSTRAINT voice_call_events_event_type_check;
ALTER TABLE voice_call_events ADD CONSTRAINT voice_call_events_event_type_check CHECK (event_type IN (${inList(BEFORE)}));`,
  );
}
