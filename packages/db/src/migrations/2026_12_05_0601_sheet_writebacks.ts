import type { Kysely } from "kysely";
import { exec, NOT_BLANK, TIMESTAMPS, updatedAtTrigger } from "./sql-util.ts";

/**
 * The Google Sheets mirror's durable pending set: per sheet row, the newest confirmation state to show on the
 * row (`version`) and what has been written so far (`written_version`, `written_status`). A row is pending while
 * version > written_version; a failing Sheets API only pushes `next_attempt_at` back. Statuses are the sheet's
 * own words (upper case), written literally so this migration means the same thing forever. The final order is
 * JSON text, not `jsonb`: the sheet shows it exactly as the state machine wrote it (key order included).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await exec(
    db,
    `
CREATE TABLE sheet_writebacks (
  sheet_id text NOT NULL ${NOT_BLANK("sheet_id")},
  row_id text NOT NULL ${NOT_BLANK("row_id")},
  state text NOT NULL CHECK (state IN ('NEW', 'CALLED', 'CONFIRMED', 'UPDATED', 'FAILED')),
  final_order_json text CHECK (final_order_json IS NULL OR json_typeof(final_order_json::json) = 'object'),
  notes text,
  locked_at timestamptz,
  last_updated timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  written_version integer NOT NULL DEFAULT 0 CHECK (written_version >= 0 AND written_version <= version),
  written_status text,
  conflict text,
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error text,
  ${TIMESTAMPS},
  PRIMARY KEY (sheet_id, row_id)
);
CREATE INDEX sheet_writebacks_pending_idx ON sheet_writebacks (sheet_id, next_attempt_at) WHERE version > written_version;
${updatedAtTrigger("sheet_writebacks")}
`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await exec(db, "DROP TABLE IF EXISTS sheet_writebacks;");
}
