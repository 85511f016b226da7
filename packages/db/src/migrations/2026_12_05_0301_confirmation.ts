import type { Kysely } from "kysely";
import { exec, inList, TIMESTAMPS, updatedAtTrigger } from "./sql-util.ts";

// Literal lists (not read from @orderline/contracts): a shipped migration must mean the same thing forever.
const CHANNELS = ["voice", "voice_outbound", "web", "staff", "sheet"];
const CONFIRMATION_STATES = ["new", "called", "confirmed", "updated", "cancelled", "failed"];
const NOTIFICATION_KINDS = ["ready_call", "receipt_sms", "confirmation_call"];

/**
 * Order-confirmation calls (docs/CONFIRMATION.md). The state machine lives on the order: NEW → CALLED (with
 * `confirmation_locked_at`, taken in the statement that checks NEW and no lock) → CONFIRMED / UPDATED / CANCELLED
 * with the final order JSON, or FAILED with the reason (lock cleared). A lock exists exactly while CALLED. Orders
 * from outside (a sheet row, a form) carry their external reference, UNIQUE, so an intake repeated creates
 * nothing. Each dial attempt is an `order_notifications` row (kind confirmation_call) written before Twilio is
 * asked. Integrations that may trigger calls authenticate with an API key stored only as its SHA-256.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await exec(
    db,
    `
ALTER TABLE orders DROP CONSTRAINT orders_channel_check;
ALTER TABLE orders ADD CONSTRAINT orders_channel_check CHECK (channel IN (${inList(CHANNELS)}));
ALTER TABLE orders DROP CONSTRAINT orders_confirmation_state_check;
ALTER TABLE orders ADD CONSTRAINT orders_confirmation_state_check CHECK (confirmation_state IN (${inList(CONFIRMATION_STATES)}));

ALTER TABLE orders
  ADD COLUMN confirmation_locked_at timestamptz,
  ADD COLUMN confirmation_updated_at timestamptz,
  ADD COLUMN final_order_json jsonb CONSTRAINT orders_final_order_object CHECK (jsonb_typeof(final_order_json) = 'object'),
  ADD COLUMN confirmation_notes text,
  ADD COLUMN confirmation_failure text,
  ADD COLUMN confirmation_call_sid text,
  ADD COLUMN confirmation_attempts integer NOT NULL DEFAULT 0 CHECK (confirmation_attempts >= 0),
  ADD COLUMN confirmation_unmatched text[] NOT NULL DEFAULT '{}',
  ADD COLUMN confirmation_original jsonb,
  ADD COLUMN external_source text,
  ADD COLUMN external_sheet_id text,
  ADD COLUMN external_row_id text,
  ADD CONSTRAINT orders_confirmation_lock_check CHECK ((confirmation_state IS NOT DISTINCT FROM 'called') = (confirmation_locked_at IS NOT NULL)),
  ADD CONSTRAINT orders_external_ref_check CHECK (
    (external_source IS NULL) = (external_row_id IS NULL) AND (external_source IS NULL) = (external_sheet_id IS NULL)
  ),
  ADD CONSTRAINT orders_external_ref_key UNIQUE (external_source, external_sheet_id, external_row_id);
CREATE INDEX orders_confirmation_updated_idx ON orders (confirmation_updated_at) WHERE confirmation_state IS NOT NULL;

ALTER TABLE order_notifications DROP CONSTRAINT order_notifications_kind_check;
ALTER TABLE order_notifications ADD CONSTRAINT order_notifications_kind_check CHECK (kind IN (${inList(NOTIFICATION_KINDS)}));

ALTER TABLE locations ADD COLUMN confirmation_auto_call boolean NOT NULL DEFAULT false;

CREATE TABLE confirmation_integrations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  brand_id uuid NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
  -- null: every location of the brand
  location_id uuid REFERENCES locations (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (btrim(name) <> ''),
  -- hex SHA-256 of the API key; the key itself is shown once and never stored
  key_sha256 text NOT NULL CONSTRAINT confirmation_integrations_key_key UNIQUE CHECK (key_sha256 ~ '^[0-9a-f]{64}$'),
  -- the sheet whose rows {"row_id"} names (null: row_id needs sheet_id in the request)
  sheet_id text,
  active boolean NOT NULL DEFAULT true,
  ${TIMESTAMPS}
);
CREATE INDEX confirmation_integrations_brand_idx ON confirmation_integrations (brand_id);
${updatedAtTrigger("confirmation_integrations")}
`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await exec(
    db,
    `
DROP TABLE IF EXISTS confirmation_integrations;
ALTER TABLE locations DROP COLUMN IF EXISTS confirmation_auto_call;
DELETE FROM order_notifications WHERE kind = 'confirmation_call';
ALTER TABLE order_notifications DROP CONSTRAINT order_notifications_kind_check;
ALTER TABLE order_notifications ADD CONSTRAINT order_notifications_kind_check CHECK (kind IN ('ready_call', 'receipt_sms'));
DROP INDEX IF EXISTS orders_confirmation_updated_idx;
ALTER TABLE orders
  DROP CONSTRAINT IF EXISTS orders_external_ref_key,
  DROP CONSTRAINT IF EXISTS orders_external_ref_check,
  DROP CONSTRAINT IF EXISTS orders_confirmation_lock_check,
  DROP COLUMN IF EXISTS external_row_id,
  DROP COLUMN IF EXISTS external_sheet_id,
  DROP COLUMN IF EXISTS external_source,
  DROP COLUMN IF EXISTS confirmation_original,
  DROP COLUMN IF EXISTS confirmation_unmatched,
  DROP COLUMN IF EXISTS confirmation_attempts,
  DROP COLUMN IF EXISTS confirmation_call_sid,
  DROP COLUMN IF EXISTS confirmation_failure,
  DROP COLUMN IF EXISTS confirmation_notes,
  DROP COLUMN IF EXISTS final_order_json,
  DROP COLUMN IF EXISTS confirmation_updated_at,
  DROP COLUMN IF EXISTS confirmation_locked_at;
UPDATE orders SET confirmation_state = 'failed' WHERE confirmation_state = 'cancelled';
ALTER TABLE orders DROP CONSTRAINT orders_confirmation_state_check;
ALTER TABLE orders ADD CONSTRAINT orders_confirmation_state_check CHECK (confirmation_state IN ('new', 'called', 'confirmed', 'updated', 'failed'));
UPDATE orders SET channel = 'web' WHERE channel = 'sheet';
ALTER TABLE orders DROP CONSTRAINT orders_channel_check;
ALTER TABLE orders ADD CONSTRAINT orders_channel_check CHECK (channel IN ('voice', 'voice_outbound', 'web', 'staff'));
`,
  );
}
