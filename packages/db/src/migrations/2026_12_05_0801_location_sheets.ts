import type { Kysely } from "kysely";
import { exec, TIMESTAMPS, updatedAtTrigger } from "./sql-util.ts";

/**
 * Order confirmations from a Google Sheet (docs/SHEETS.md), wired per location: `location_sheets` says which tab of
 * which spreadsheet holds a location's orders to confirm and where the worker finds the service account's key —
 * by reference only (`env:NAME`, an environment variable holding the key file's JSON, or `file:/path`, a mounted
 * secret); the key itself is never stored here. `root_url` is for the emulator in tests and the demo.
 *
 * The sheet's statuses are the confirmation states in upper case, CANCELLED included: the mirror's pending set
 * (`sheet_writebacks.state`) takes it too. Literal lists: a shipped migration means the same thing forever.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await exec(
    db,
    `
CREATE TABLE location_sheets (
  location_id uuid PRIMARY KEY REFERENCES locations (id) ON DELETE CASCADE,
  spreadsheet_id text NOT NULL CHECK (spreadsheet_id ~ '^[A-Za-z0-9_-]{10,}$'),
  sheet_name text NOT NULL DEFAULT 'Sheet1' CHECK (btrim(sheet_name) <> '' AND length(sheet_name) <= 100),
  credentials_ref text NOT NULL CHECK (credentials_ref ~ '^(env:[A-Z_][A-Z0-9_]*|file:/.+)$'),
  root_url text CHECK (root_url ~ '^https?://[^\\s]+$'),
  active boolean NOT NULL DEFAULT true,
  last_synced_at timestamptz,
  last_error text,
  ${TIMESTAMPS},
  CONSTRAINT location_sheets_tab_key UNIQUE (spreadsheet_id, sheet_name)
);
${updatedAtTrigger("location_sheets")}

ALTER TABLE sheet_writebacks DROP CONSTRAINT sheet_writebacks_state_check;
ALTER TABLE sheet_writebacks ADD CONSTRAINT sheet_writebacks_state_check CHECK (state IN ('NEW', 'CALLED', 'CONFIRMED', 'UPDATED', 'CANCELLED', 'FAILED'));
`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await exec(
    db,
    `
DROP TABLE IF EXISTS location_sheets;
UPDATE sheet_writebacks SET state = 'FAILED' WHERE state = 'CANCELLED';
ALTER TABLE sheet_writebacks DROP CONSTRAINT sheet_writebacks_state_check;
ALTER TABLE sheet_writebacks ADD CONSTRAINT sheet_writebacks_state_check CHECK (state IN ('NEW', 'CALLED', 'CONFIRMED', 'UPDATED', 'FAILED'));
`,
  );
}
