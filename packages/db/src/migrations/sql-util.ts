import { type Kysely, sql } from "kysely";

/** Runs raw, parameterless SQL (several statements allowed: it goes over the simple query protocol). */
export const exec = async (db: Kysely<unknown>, text: string): Promise<void> => {
  await sql.raw(text).execute(db);
};

/** `'a', 'b', 'c'` for a CHECK (… IN (…)); values are validated so nothing needs escaping. */
export const inList = (values: readonly string[]): string => {
  if (values.length === 0) throw new Error("inList: empty value list");
  for (const v of values) {
    if (!/^[a-z][a-z0-9_]*$/.test(v)) throw new Error(`inList: unexpected enum value ${JSON.stringify(v)}`);
  }
  return values.map((v) => `'${v}'`).join(", ");
};

/** BEFORE UPDATE trigger keeping updated_at current. */
export const updatedAtTrigger = (table: string): string =>
  `CREATE TRIGGER ${table}_set_updated_at BEFORE UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION set_updated_at();`;

export const TIMESTAMPS = `created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()`;

export const SLUG_CHECK = (column = "slug") => `CHECK (${column} ~ '^[a-z0-9]+(-[a-z0-9]+)*$')`;

export const NOT_BLANK = (column: string) => `CHECK (btrim(${column}) <> '')`;
