import type { Kysely } from "kysely";
import { exec, inList, TIMESTAMPS, updatedAtTrigger } from "./sql-util.ts";

// Literal lists (not read from @orderline/contracts): a shipped migration must mean the same thing forever.
const NOTIFICATION_KINDS = ["ready_call", "receipt_sms"];
const NOTIFICATION_STATES = ["dialling", "placed", "sending", "sent", "answered", "voicemail", "busy", "no_answer", "failed", "canceled", "unconfirmed"];
const READY_CALL_OUTCOMES = ["answered", "voicemail", "unreachable", "opted_out", "invalid_phone", "unconfirmed"];

/**
 * The worker's records: a finalized call (marker, every order of the call, end reason), the outbound
 * notifications of an order (one row per order-ready call attempt or receipt SMS, written *before* Twilio is
 * asked so a crash never sends twice), the order-ready call outcome on the order, and the location's pay-online
 * link for receipts.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await exec(
    db,
    `
ALTER TABLE voice_calls
  ADD COLUMN finalized_at timestamptz,
  ADD COLUMN end_reason text,
  ADD COLUMN order_ids uuid[] NOT NULL DEFAULT '{}';

CREATE TABLE order_notifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN (${inList(NOTIFICATION_KINDS)})),
  attempt integer NOT NULL CHECK (attempt >= 1),
  state text NOT NULL CHECK (state IN (${inList(NOTIFICATION_STATES)})),
  to_phone text NOT NULL CONSTRAINT order_notifications_to_e164 CHECK (is_e164(to_phone)),
  from_phone text NOT NULL CONSTRAINT order_notifications_from_e164 CHECK (is_e164(from_phone)),
  provider_sid text CONSTRAINT order_notifications_provider_sid_key UNIQUE,
  answered_by text,
  detail text,
  duration_seconds integer CHECK (duration_seconds >= 0),
  cost_micros bigint CHECK (cost_micros >= 0),
  finished_at timestamptz,
  ${TIMESTAMPS},
  CONSTRAINT order_notifications_attempt_key UNIQUE (order_id, kind, attempt)
);
CREATE INDEX order_notifications_order_idx ON order_notifications (order_id, kind, attempt DESC);

ALTER TABLE orders
  ADD COLUMN ready_call_outcome text CHECK (ready_call_outcome IN (${inList(READY_CALL_OUTCOMES)})),
  ADD COLUMN ready_call_detail text;

ALTER TABLE locations
  ADD COLUMN pay_online_url_template text CONSTRAINT locations_pay_online_https CHECK (pay_online_url_template ~ '^https://');

${updatedAtTrigger("order_notifications")}
`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await exec(
    db,
    `
ALTER TABLE locations DROP COLUMN IF EXISTS pay_online_url_template;
ALTER TABLE orders DROP COLUMN IF EXISTS ready_call_detail, DROP COLUMN IF EXISTS ready_call_outcome;
DROP TABLE IF EXISTS order_notifications;
ALTER TABLE voice_calls DROP COLUMN IF EXISTS order_ids, DROP COLUMN IF EXISTS end_reason, DROP COLUMN IF EXISTS finalized_at;
`,
  );
}
