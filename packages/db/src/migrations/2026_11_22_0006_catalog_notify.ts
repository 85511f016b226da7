import type { Kysely } from "kysely";
import { exec } from "./sql-util.ts";

/** Tables whose rows belong to one location: notify with that location's id (the column named here). */
const LOCATION_TABLES: Record<string, string> = {
  locations: "id",
  location_hours: "location_id",
  location_hour_exceptions: "location_id",
  phone_numbers: "location_id",
  ingredient_stock: "location_id",
  location_variation_prices: "location_id",
  location_product_overrides: "location_id",
  specials: "location_id", // null (chain-wide special) → '*'
};

/** Brand-wide catalog tables: any change concerns every location → '*'. */
const CHAIN_TABLES = [
  "brands",
  "categories",
  "products",
  "variations",
  "modifier_groups",
  "modifiers",
  "product_modifier_groups",
  "ingredients",
  "product_ingredients",
];

/**
 * pg_notify('catalog_changed', <location id> | '*') on any catalog change, so menu caches can drop what
 * changed. Notifications are sent at commit and Postgres folds identical payloads within a transaction.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const location = Object.entries(LOCATION_TABLES).map(
    ([table, column]) => `
CREATE TRIGGER ${table}_catalog_changed AFTER INSERT OR UPDATE OR DELETE ON ${table}
  FOR EACH ROW EXECUTE FUNCTION notify_catalog_changed('${column}');
CREATE TRIGGER ${table}_catalog_truncated AFTER TRUNCATE ON ${table}
  FOR EACH STATEMENT EXECUTE FUNCTION notify_catalog_changed();`,
  );
  const chain = CHAIN_TABLES.map(
    (table) => `
CREATE TRIGGER ${table}_catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
  FOR EACH STATEMENT EXECUTE FUNCTION notify_catalog_changed();`,
  );
  await exec(
    db,
    `
CREATE FUNCTION notify_catalog_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  col text := TG_ARGV[0];
BEGIN
  IF col IS NULL OR TG_LEVEL = 'STATEMENT' THEN
    PERFORM pg_notify('catalog_changed', '*');
    RETURN NULL;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM pg_notify('catalog_changed', coalesce(to_jsonb(NEW) ->> col, '*'));
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM pg_notify('catalog_changed', coalesce(to_jsonb(OLD) ->> col, '*'));
  END IF;
  RETURN NULL;
END
$$;
${location.join("\n")}
${chain.join("\n")}
`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const drops = [
    ...Object.keys(LOCATION_TABLES).flatMap((t) => [
      `DROP TRIGGER IF EXISTS ${t}_catalog_changed ON ${t};`,
      `DROP TRIGGER IF EXISTS ${t}_catalog_truncated ON ${t};`,
    ]),
    ...CHAIN_TABLES.map((t) => `DROP TRIGGER IF EXISTS ${t}_catalog_changed ON ${t};`),
    "DROP FUNCTION IF EXISTS notify_catalog_changed();",
  ];
  await exec(db, drops.join("\n"));
}
