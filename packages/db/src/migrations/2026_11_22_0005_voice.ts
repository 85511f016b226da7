import { CallDirection, CallDisposition, CallEventType, EscalationReason } from "@orderline/contracts";
import type { Kysely } from "kysely";
import { exec, inList, TIMESTAMPS, updatedAtTrigger } from "./sql-util.ts";

/** Calls and their event log. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await exec(
    db,
    `
CREATE TABLE voice_calls (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  call_sid text NOT NULL CONSTRAINT voice_calls_call_sid_key UNIQUE CHECK (btrim(call_sid) <> ''),
  location_id uuid REFERENCES locations (id) ON DELETE SET NULL,
  direction text NOT NULL CHECK (direction IN (${inList(CallDirection.options)})),
  phone_from text,
  phone_to text,
  started_at timestamptz NOT NULL DEFAULT now(),
  ended_at timestamptz,
  duration_seconds integer CHECK (duration_seconds >= 0),
  disposition text NOT NULL DEFAULT 'in_progress' CHECK (disposition IN (${inList(CallDisposition.options)})),
  escalation_reason text CHECK (escalation_reason IN (${inList(EscalationReason.options)})),
  transferred_to text CONSTRAINT voice_calls_transferred_to_e164 CHECK (is_e164(transferred_to)),
  order_id uuid REFERENCES orders (id) ON DELETE SET NULL,
  transcript jsonb CONSTRAINT voice_calls_transcript_array CHECK (jsonb_typeof(transcript) = 'array'),
  summary text,
  telephony_cost_micros bigint CHECK (telephony_cost_micros >= 0),
  ai_cost_micros bigint CHECK (ai_cost_micros >= 0),
  total_cost_micros bigint CHECK (total_cost_micros >= 0),
  usage jsonb NOT NULL DEFAULT '{}' CONSTRAINT voice_calls_usage_object CHECK (jsonb_typeof(usage) = 'object'),
  ${TIMESTAMPS},
  CONSTRAINT voice_calls_ended_check CHECK (ended_at IS NULL OR ended_at >= started_at)
);
CREATE INDEX voice_calls_location_started_idx ON voice_calls (location_id, started_at DESC);
CREATE INDEX voice_calls_started_idx ON voice_calls (started_at DESC);
CREATE INDEX voice_calls_order_idx ON voice_calls (order_id);
CREATE INDEX voice_calls_phone_from_idx ON voice_calls (phone_from);

CREATE TABLE voice_call_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  call_id uuid NOT NULL REFERENCES voice_calls (id) ON DELETE CASCADE,
  event_type text NOT NULL CHECK (event_type IN (${inList(CallEventType.options)})),
  event_data jsonb NOT NULL DEFAULT '{}' CONSTRAINT voice_call_events_data_object CHECK (jsonb_typeof(event_data) = 'object'),
  "timestamp" timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX voice_call_events_call_idx ON voice_call_events (call_id, "timestamp", id);
CREATE INDEX voice_call_events_type_idx ON voice_call_events (event_type, "timestamp");

${updatedAtTrigger("voice_calls")}
`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await exec(db, "DROP TABLE IF EXISTS voice_call_events; DROP TABLE IF EXISTS voice_calls;");
}
