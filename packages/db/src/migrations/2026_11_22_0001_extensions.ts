import type { Kysely } from "kysely";
import { exec } from "./sql-util.ts";

/** Extensions and helper functions used by CHECK constraints and triggers. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await exec(
    db,
    String.raw`
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW IS DISTINCT FROM OLD THEN
    NEW.updated_at := now();
  END IF;
  RETURN NEW;
END
$$;

CREATE FUNCTION is_e164(p text) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN p ~ '^\+[1-9][0-9]{6,14}$';

CREATE FUNCTION all_e164(p text[]) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN (SELECT coalesce(bool_and(x ~ '^\+[1-9][0-9]{6,14}$'), true) FROM unnest(p) AS x);

-- A location's IANA zone: Area/Location (America/New_York) or UTC, known to this server. Abbreviations
-- and fixed offsets (EST, Etc/GMT+5, posix/…) are refused: they ignore daylight saving time.
-- Declared IMMUTABLE so CHECK constraints may use it; the zone database only grows.
CREATE FUNCTION is_valid_timezone(tz text) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN (tz = 'UTC' OR (tz ~ '^[A-Z][A-Za-z_]+(/[A-Za-z0-9_+-]+){1,2}$' AND tz !~ '^(Etc|SystemV|US)/'))
    AND EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = tz);

-- Text the spoken-name trigram search runs against: name plus aliases, lower case.
CREATE FUNCTION catalog_search_text(name text, aliases text[]) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN lower(name || ' ' || array_to_string(aliases, ' '));
`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await exec(
    db,
    `
DROP FUNCTION IF EXISTS catalog_search_text(text, text[]);
DROP FUNCTION IF EXISTS is_valid_timezone(text);
DROP FUNCTION IF EXISTS all_e164(text[]);
DROP FUNCTION IF EXISTS is_e164(text);
DROP FUNCTION IF EXISTS set_updated_at();
DROP EXTENSION IF EXISTS pg_trgm;
`,
  );
}
