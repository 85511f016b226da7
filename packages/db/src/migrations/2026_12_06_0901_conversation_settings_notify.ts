import type { Kysely } from "kysely";
import { exec } from "./sql-util.ts";

/**
 * A location's conversation settings (mode, engines, voice, language) notify `catalog_changed` with its id, as
 * the location's own row does: the gateway caches how a dialled number routes and must see a change on the
 * next call.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await exec(
    db,
    `
CREATE TRIGGER location_conversation_settings_catalog_changed AFTER INSERT OR UPDATE OR DELETE ON location_conversation_settings
  FOR EACH ROW EXECUTE FUNCTION notify_catalog_changed('location_id');
CREATE TRIGGER location_conversation_settings_catalog_truncated AFTER TRUNCATE ON location_conversation_settings
  FOR EACH STATEMENT EXECUTE FUNCTION notify_catalog_changed();`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await exec(
    db,
    `
DROP TRIGGER IF EXISTS location_conversation_settings_catalog_changed ON location_conversation_settings;
DROP TRIGGER IF EXISTS location_conversation_settings_catalog_truncated ON location_conversation_settings;`,
  );
}
