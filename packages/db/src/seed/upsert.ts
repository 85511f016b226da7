import { type Insertable, type Kysely, sql } from "kysely";
import type { Database, TableName } from "../schema.ts";

/** Keys the seed and the chain import upsert on, per table, in dependency order (a table before those referring to it). */
export const TABLE_KEYS: [TableName, string[]][] = [
  ["brands", ["id"]],
  ["locations", ["id"]],
  ["location_hours", ["id"]],
  ["location_hour_exceptions", ["id"]],
  ["phone_numbers", ["id"]],
  ["location_staff_lines", ["id"]],
  ["staff_line_hours", ["id"]],
  ["ingredients", ["id"]],
  ["categories", ["id"]],
  ["products", ["id"]],
  ["variations", ["id"]],
  ["modifier_groups", ["id"]],
  ["modifiers", ["id"]],
  ["product_modifier_groups", ["product_id", "modifier_group_id"]],
  ["product_ingredients", ["product_id", "ingredient_id"]],
  ["ingredient_stock", ["location_id", "ingredient_id"]],
  ["location_variation_prices", ["location_id", "variation_id"]],
  ["location_product_overrides", ["location_id", "product_id"]],
  ["specials", ["id"]],
  ["customers", ["id"]],
  ["orders", ["id"]],
  ["order_items", ["id"]],
  ["order_item_modifiers", ["id"]],
  ["voice_calls", ["id"]],
];

type Row = Record<string, unknown>;

/**
 * INSERT … ON CONFLICT (keys) DO UPDATE only where something differs, so re-running a seed leaves
 * unchanged rows untouched (no updated_at bump, no catalog NOTIFY, no dead tuples). Returns how many rows
 * were inserted or changed.
 */
export const upsertRows = async <T extends TableName>(
  db: Kysely<Database>,
  table: T,
  rows: readonly Insertable<Database[T]>[],
  keys: readonly string[],
): Promise<number> => {
  if (rows.length === 0) return 0;
  const first = rows[0] as Row;
  const columns = Object.keys(first);
  for (const [i, r] of (rows as readonly Row[]).entries()) {
    const cols = Object.keys(r);
    if (cols.length !== columns.length || cols.some((c) => !columns.includes(c))) {
      throw new Error(`upsert into ${table}: row ${i} has columns [${cols.join(", ")}], expected [${columns.join(", ")}]`);
    }
  }
  const updates = columns.filter((c) => !keys.includes(c));
  const values = (rows as readonly Row[]).map((r) => sql`(${sql.join(columns.map((c) => r[c]))})`);
  const conflict =
    updates.length === 0
      ? sql`DO NOTHING`
      : sql`DO UPDATE SET ${sql.join(updates.map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`))}
          WHERE (${sql.join(updates.map((c) => sql`t.${sql.ref(c)}`))}) IS DISTINCT FROM (${sql.join(updates.map((c) => sql`excluded.${sql.ref(c)}`))})`;
  // Chunk to stay well below the 65 535 bind-parameter limit.
  const chunk = Math.max(1, Math.floor(30_000 / columns.length));
  let written = 0;
  for (let i = 0; i < values.length; i += chunk) {
    const result = await sql`INSERT INTO ${sql.table(table)} AS t (${sql.join(columns.map((c) => sql.ref(c)))})
      VALUES ${sql.join(values.slice(i, i + chunk))}
      ON CONFLICT (${sql.join(keys.map((k) => sql.ref(k)))}) ${conflict}`.execute(db);
    written += Number(result.numAffectedRows ?? 0);
  }
  return written;
};

/**
 * Deletes rows of `table` inside a scope (e.g. the demo locations) whose key is not among `keep`, so the
 * seed converges to exactly its own set (a sold-out flag a test added is gone after a re-seed).
 */
export const deleteMissing = async <T extends TableName>(
  db: Kysely<Database>,
  table: T,
  scope: { column: string; values: readonly string[] },
  keys: readonly string[],
  keep: readonly Insertable<Database[T]>[],
): Promise<number> => {
  if (scope.values.length === 0) return 0;
  const keyTuple = sql.join(keys.map((k) => sql`${sql.ref(k)}::text`));
  const keepArrays = keys.map((k) => (keep as readonly Row[]).map((r) => String(r[k])));
  const kept =
    keep.length === 0
      ? sql`false`
      : sql`(${keyTuple}) IN (SELECT * FROM unnest(${sql.join(keepArrays.map((a) => sql`${a}::text[]`))}))`;
  const result = await sql`DELETE FROM ${sql.table(table)}
    WHERE ${sql.ref(scope.column)}::text = ANY(${[...scope.values]}::text[]) AND NOT ${kept}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
};

/** A table whose rows inside a scope (e.g. the imported locations) are exactly the ones written. */
export type OwnedScope = { table: TableName; column: string; values: readonly string[]; keys: readonly string[] };

/** Rows written per table (inserted or changed; unchanged rows are not counted) and stale rows deleted. */
export type WriteSummary = { rows: Partial<Record<TableName, number>>; changed: Partial<Record<TableName, number>>; deleted: Partial<Record<TableName, number>> };

/**
 * Writes `rows` table by table in the order of `tables` ([table, conflict keys]): in an owned scope the rows
 * that are no longer wanted are deleted first, then every row is upserted. A failure is passed to `failed`
 * with the table's name, for an error that says what to do.
 */
export const writeRows = async (
  db: Kysely<Database>,
  rows: { [T in TableName]?: readonly Insertable<Database[T]>[] },
  tables: readonly (readonly [TableName, readonly string[]])[],
  owned: readonly OwnedScope[],
  failed: (table: TableName, reason: string, cause: unknown) => Error,
): Promise<WriteSummary> => {
  const summary: WriteSummary = { rows: {}, changed: {}, deleted: {} };
  for (const [table, keys] of tables) {
    const tableRows = (rows[table] ?? []) as readonly Insertable<Database[TableName]>[];
    const scope = owned.find((o) => o.table === table);
    try {
      if (scope) {
        const n = await deleteMissing(db, table, scope, scope.keys, tableRows as never);
        if (n > 0) summary.deleted[table] = n;
      }
      const n = await upsertRows(db, table, tableRows as never, keys);
      if (n > 0) summary.changed[table] = n;
    } catch (err) {
      throw failed(table, err instanceof Error ? err.message : String(err), err);
    }
    summary.rows[table] = tableRows.length;
  }
  return summary;
};
