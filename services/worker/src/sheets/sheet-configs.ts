import { readFile } from "node:fs/promises";
import type { Database, LocationSheet } from "@orderline/db";
import { parseSheetConfig, type SheetConfig, SheetConfigError } from "@orderline/sheets";
import type { Kysely } from "kysely";

/**
 * A location's confirmation sheet (`location_sheets`) as the adapter's configuration. The service account's key is
 * stored by reference only and read here, at the run that needs it: `env:NAME` — an environment variable holding
 * the key file's JSON — or `file:/path` — a mounted secret. Errors name the reference, never the key.
 */

/** Active sheets (of one location when given). */
export function activeSheets(db: Kysely<Database>, locationId?: string): Promise<LocationSheet[]> {
  let q = db.selectFrom("location_sheets").selectAll().where("active", "=", true);
  if (locationId) q = q.where("location_id", "=", locationId);
  return q.orderBy("location_id").execute();
}

async function credentialsOf(ref: string, env: NodeJS.ProcessEnv): Promise<string> {
  const where = `the credentials of the sheet (${ref})`;
  if (ref.startsWith("env:")) {
    const value = env[ref.slice(4)];
    if (!value) throw new SheetConfigError(`${where}: the environment variable ${ref.slice(4)} is not set`);
    return value;
  }
  if (ref.startsWith("file:")) {
    try {
      return await readFile(ref.slice(5), "utf8");
    } catch (err) {
      throw new SheetConfigError(`${where}: the file cannot be read (${(err as NodeJS.ErrnoException).code ?? "error"})`);
    }
  }
  throw new SheetConfigError(`${where}: must be env:NAME or file:/path`);
}

/** The adapter's configuration of a sheet row, credentials resolved (SheetConfigError says what is wrong, without secrets). */
export async function sheetConfigOf(sheet: LocationSheet, env: NodeJS.ProcessEnv = process.env): Promise<SheetConfig> {
  const credentials = await credentialsOf(sheet.credentials_ref, env);
  try {
    return parseSheetConfig({
      locationId: sheet.location_id,
      spreadsheetId: sheet.spreadsheet_id,
      sheetName: sheet.sheet_name,
      credentials,
      ...(sheet.root_url ? { rootUrl: sheet.root_url } : {}),
    });
  } catch (err) {
    // The zod messages name fields, not values; still say where the key came from, not what it holds.
    throw new SheetConfigError(`location ${sheet.location_id}'s sheet (credentials ${sheet.credentials_ref}): ${err instanceof Error ? err.message : String(err)}`);
  }
}
