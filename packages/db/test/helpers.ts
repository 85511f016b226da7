import assert from "node:assert/strict";
import { type Kysely, sql } from "kysely";
import pg from "pg";
import type { Database, TableName } from "../src/schema.ts";

/** Every table the schema defines (kept in sync with schema.ts by a test). */
export const ALL_TABLES = [
  "brands",
  "locations",
  "location_conversation_settings",
  "location_hours",
  "location_hour_exceptions",
  "phone_numbers",
  "categories",
  "products",
  "variations",
  "modifier_groups",
  "modifiers",
  "product_modifier_groups",
  "ingredients",
  "ingredient_stock",
  "product_ingredients",
  "location_variation_prices",
  "location_product_overrides",
  "specials",
  "customers",
  "orders",
  "order_items",
  "order_item_modifiers",
  "order_status_events",
  "order_number_counters",
  "voice_calls",
  "voice_call_events",
  "order_notifications",
  "tool_requests",
  "location_staff_lines",
  "staff_line_hours",
  "callback_requests",
  "confirmation_integrations",
  "escalations",
  "menu_control_events",
  "sheet_writebacks",
  "location_sheets",
  "dashboard_users",
  "dashboard_user_locations",
  "dashboard_sessions",
  "call_surveys",
] as const satisfies readonly TableName[];

/** Asserts a Postgres error with the given SQLSTATE (and constraint name, when given). */
export const rejectsWithPg = async (promise: Promise<unknown>, code: string, constraint?: string): Promise<void> => {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof pg.DatabaseError, `expected a Postgres error, got ${String(err)}`);
    assert.equal(err.code, code, `SQLSTATE ${err.code} (${err.message})`);
    if (constraint !== undefined) assert.equal(err.constraint, constraint, err.message);
    return true;
  });
};

/** Row count and an order-independent content checksum per table; `omit` drops columns (e.g. updated_at). */
export const tableFingerprints = async (db: Kysely<Database>, omit: readonly string[] = []): Promise<Record<string, { rows: number; md5: string }>> => {
  const out: Record<string, { rows: number; md5: string }> = {};
  const strip = sql.raw(omit.map((c) => ` - '${c}'`).join(""));
  for (const table of ALL_TABLES) {
    const r = await sql<{ rows: number; md5: string | null }>`
      SELECT count(*)::int AS rows,
             md5(coalesce(string_agg((to_jsonb(t)${strip})::text, '|' ORDER BY (to_jsonb(t)${strip})::text), '')) AS md5
        FROM ${sql.table(table)} AS t`.execute(db);
    const row = r.rows[0]!;
    out[table] = { rows: row.rows, md5: row.md5 ?? "" };
  }
  return out;
};

export const publicTables = async (db: Kysely<Database>): Promise<string[]> =>
  (
    await sql<{ tablename: string }>`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`.execute(db)
  ).rows.map((r) => r.tablename);
