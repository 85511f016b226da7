import type { Kysely } from "kysely";
import { exec, inList, NOT_BLANK, TIMESTAMPS, updatedAtTrigger } from "./sql-util.ts";

// Literal lists (not read from @orderline/contracts): a shipped migration must mean the same thing forever.
const ROLES = ["manager", "staff"];
const SURVEY_STATES = ["sending", "sent", "failed", "unconfirmed"];

/**
 * The dashboard: its users (a manager sees the whole brand, a staff member the locations listed for them),
 * their server-side sessions (the cookie holds a random token, the table only its SHA-256), and the one-question
 * SMS survey after a call (sent by the worker where a location enables it; the reply's score is kept with it).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await exec(
    db,
    `
CREATE TABLE dashboard_users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  brand_id uuid NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
  email text NOT NULL CONSTRAINT dashboard_users_email_key UNIQUE
    CONSTRAINT dashboard_users_email_check CHECK (email = lower(btrim(email)) AND email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
  display_name text NOT NULL ${NOT_BLANK("display_name")},
  role text NOT NULL CHECK (role IN (${inList(ROLES)})),
  -- "scrypt$<N>$<r>$<p>$<salt base64>$<key base64>" (node:crypto scrypt, per-user salt).
  password_hash text NOT NULL CONSTRAINT dashboard_users_password_hash_check CHECK (password_hash ~ '^scrypt\\$'),
  active boolean NOT NULL DEFAULT true,
  ${TIMESTAMPS}
);

CREATE TABLE dashboard_user_locations (
  user_id uuid NOT NULL REFERENCES dashboard_users (id) ON DELETE CASCADE,
  location_id uuid NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, location_id)
);
CREATE INDEX dashboard_user_locations_location_idx ON dashboard_user_locations (location_id);

CREATE TABLE dashboard_sessions (
  token_hash text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  user_id uuid NOT NULL REFERENCES dashboard_users (id) ON DELETE CASCADE,
  csrf_token text NOT NULL CHECK (length(csrf_token) >= 32),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  CONSTRAINT dashboard_sessions_expiry_check CHECK (expires_at > created_at)
);
CREATE INDEX dashboard_sessions_user_idx ON dashboard_sessions (user_id);
CREATE INDEX dashboard_sessions_expires_idx ON dashboard_sessions (expires_at);

ALTER TABLE locations ADD COLUMN sms_survey_enabled boolean NOT NULL DEFAULT false;

CREATE TABLE call_surveys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  call_id uuid NOT NULL CONSTRAINT call_surveys_call_key UNIQUE REFERENCES voice_calls (id) ON DELETE CASCADE,
  location_id uuid NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
  to_phone text NOT NULL CONSTRAINT call_surveys_to_e164 CHECK (is_e164(to_phone)),
  from_phone text NOT NULL CONSTRAINT call_surveys_from_e164 CHECK (is_e164(from_phone)),
  state text NOT NULL CHECK (state IN (${inList(SURVEY_STATES)})),
  sms_sid text,
  detail text,
  score smallint CHECK (score BETWEEN 1 AND 5),
  replied_at timestamptz,
  ${TIMESTAMPS},
  CONSTRAINT call_surveys_reply_check CHECK ((score IS NULL) = (replied_at IS NULL))
);
CREATE INDEX call_surveys_awaiting_idx ON call_surveys (to_phone, from_phone, created_at DESC) WHERE score IS NULL AND state = 'sent';

CREATE INDEX voice_calls_escalation_reason_idx ON voice_calls (location_id, escalation_reason) WHERE escalation_reason IS NOT NULL;
CREATE INDEX orders_location_business_date_idx ON orders (location_id, business_date) WHERE business_date IS NOT NULL;

${["dashboard_users", "call_surveys"].map(updatedAtTrigger).join("\n")}
`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await exec(
    db,
    `
DROP INDEX IF EXISTS orders_location_business_date_idx;
DROP INDEX IF EXISTS voice_calls_escalation_reason_idx;
DROP TABLE IF EXISTS call_surveys;
ALTER TABLE locations DROP COLUMN IF EXISTS sms_survey_enabled;
DROP TABLE IF EXISTS dashboard_sessions;
DROP TABLE IF EXISTS dashboard_user_locations;
DROP TABLE IF EXISTS dashboard_users;
`,
  );
}
