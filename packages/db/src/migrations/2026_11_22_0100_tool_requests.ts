import type { Kysely } from "kysely";
import { exec } from "./sql-util.ts";

/**
 * Order service: replies of applied mutating tool requests (add/update/remove item, submit), keyed by the call
 * and the Realtime call_id, written in the same transaction as the change — a retried request gets the stored
 * reply instead of being applied twice.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await exec(
    db,
    `
CREATE TABLE tool_requests (
  call_sid text NOT NULL CHECK (btrim(call_sid) <> ''),
  request_id text NOT NULL CHECK (btrim(request_id) <> ''),
  tool text NOT NULL CHECK (btrim(tool) <> ''),
  order_id uuid REFERENCES orders (id) ON DELETE CASCADE,
  reply jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (call_sid, request_id)
);
CREATE INDEX tool_requests_order_idx ON tool_requests (order_id);
CREATE INDEX tool_requests_created_idx ON tool_requests (created_at);
`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await exec(db, "DROP TABLE IF EXISTS tool_requests;");
}
