import type { Kysely } from "kysely";
import { exec, inList, NOT_BLANK, TIMESTAMPS, updatedAtTrigger } from "./sql-util.ts";

// Literal lists (not read from @orderline/contracts): a shipped migration must mean the same thing forever.
const REASONS = [
  "caller_request",
  "complaint",
  "large_order",
  "unanswered_question",
  "payment_or_refund",
  "allergy_confirmation",
  "technical_failure",
  "other",
];
const ESCALATION_STATES = ["dialing", "connected", "callback", "caller_hung_up"];
const CALLBACK_CAUSES = ["no_staff_number", "outside_hours", "no_answer"];
const CALLBACK_STATES = ["open", "done"];

/**
 * Escalation: each location's staff lines in priority order with their own hours (none = the location's
 * opening hours), one escalation per call (the dial plan and where it stands), and callback requests.
 * Existing `locations.staff_transfer_numbers` become staff lines (same order).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await exec(
    db,
    `
CREATE TABLE location_staff_lines (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  location_id uuid NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
  priority smallint NOT NULL CHECK (priority >= 0),
  e164 text NOT NULL CONSTRAINT location_staff_lines_e164 CHECK (is_e164(e164)),
  label text NOT NULL ${NOT_BLANK("label")},
  receives_sms boolean NOT NULL DEFAULT true,
  active boolean NOT NULL DEFAULT true,
  ${TIMESTAMPS},
  CONSTRAINT location_staff_lines_priority_key UNIQUE (location_id, priority),
  CONSTRAINT location_staff_lines_number_key UNIQUE (location_id, e164)
);

-- A line with rows here is reachable only in these local intervals; a line without any follows the location's hours.
CREATE TABLE staff_line_hours (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  staff_line_id uuid NOT NULL REFERENCES location_staff_lines (id) ON DELETE CASCADE,
  weekday smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  opens_at time NOT NULL,
  closes_at time NOT NULL,
  ${TIMESTAMPS},
  CONSTRAINT staff_line_hours_interval_check CHECK (opens_at <> closes_at),
  CONSTRAINT staff_line_hours_slot_key UNIQUE (staff_line_id, weekday, opens_at)
);

INSERT INTO location_staff_lines (location_id, priority, e164, label)
SELECT l.id, (n.ord - 1)::smallint, n.num, CASE WHEN n.ord = 1 THEN 'Staff line' ELSE 'Staff line ' || n.ord END
FROM locations l CROSS JOIN LATERAL unnest(l.staff_transfer_numbers) WITH ORDINALITY AS n (num, ord)
ON CONFLICT DO NOTHING;

CREATE TABLE callback_requests (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  location_id uuid NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
  call_sid text NOT NULL CONSTRAINT callback_requests_call_sid_key UNIQUE CHECK (btrim(call_sid) <> ''),
  call_id uuid REFERENCES voice_calls (id) ON DELETE SET NULL,
  caller_phone text CONSTRAINT callback_requests_caller_phone_e164 CHECK (is_e164(caller_phone)),
  reason text NOT NULL CHECK (reason IN (${inList(REASONS)})),
  summary text NOT NULL,
  order_id uuid REFERENCES orders (id) ON DELETE SET NULL,
  order_so_far jsonb CONSTRAINT callback_requests_order_object CHECK (jsonb_typeof(order_so_far) = 'object'),
  cause text NOT NULL CHECK (cause IN (${inList(CALLBACK_CAUSES)})),
  expected_by timestamptz,
  state text NOT NULL DEFAULT 'open' CHECK (state IN (${inList(CALLBACK_STATES)})),
  notified_to text,
  sms_sid text,
  notify_error text,
  done_at timestamptz,
  done_by text,
  note text,
  ${TIMESTAMPS},
  CONSTRAINT callback_requests_done_check CHECK ((state = 'done') = (done_at IS NOT NULL))
);
CREATE INDEX callback_requests_open_idx ON callback_requests (location_id, created_at) WHERE state = 'open';

CREATE TABLE escalations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  call_sid text NOT NULL CONSTRAINT escalations_call_sid_key UNIQUE CHECK (btrim(call_sid) <> ''),
  call_id uuid REFERENCES voice_calls (id) ON DELETE SET NULL,
  location_id uuid NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
  reason text NOT NULL CHECK (reason IN (${inList(REASONS)})),
  reason_detail text,
  summary text NOT NULL,
  caller_phone text CONSTRAINT escalations_caller_phone_e164 CHECK (is_e164(caller_phone)),
  order_id uuid REFERENCES orders (id) ON DELETE SET NULL,
  targets jsonb NOT NULL DEFAULT '[]' CONSTRAINT escalations_targets_array CHECK (jsonb_typeof(targets) = 'array'),
  attempt integer NOT NULL DEFAULT 0 CHECK (attempt >= 0),
  state text NOT NULL CHECK (state IN (${inList(ESCALATION_STATES)})),
  decision jsonb NOT NULL CONSTRAINT escalations_decision_object CHECK (jsonb_typeof(decision) = 'object'),
  callback_request_id uuid REFERENCES callback_requests (id) ON DELETE SET NULL,
  answered_by text,
  ${TIMESTAMPS}
);
CREATE INDEX escalations_location_reason_idx ON escalations (location_id, created_at, reason);

${["location_staff_lines", "staff_line_hours", "callback_requests", "escalations"].map(updatedAtTrigger).join("\n")}
`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await exec(
    db,
    `
DROP TABLE IF EXISTS escalations;
DROP TABLE IF EXISTS callback_requests;
DROP TABLE IF EXISTS staff_line_hours;
DROP TABLE IF EXISTS location_staff_lines;
`,
  );
}
