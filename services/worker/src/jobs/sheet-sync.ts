import type { SheetSyncJob } from "@orderline/contracts";
import type { Database } from "@orderline/db";
import { catchUpSheet, type ConfirmationIntake, type RetryPolicy, type SyncSheetDeps, sheetIdOf, syncSheet } from "@orderline/sheets";
import type { Logger } from "@orderline/telemetry";
import { type Kysely, sql } from "kysely";
import { activeSheets, sheetConfigOf } from "../sheets/sheet-configs.ts";

export interface SheetSyncDeps {
  db: Kysely<Database>;
  intake: ConfirmationIntake;
  menus: SyncSheetDeps["menus"];
  logger: Logger;
  retry?: Partial<RetryPolicy>;
}

/**
 * One run of a location's confirmation sheet (docs/SHEETS.md): Postgres first — every confirmation change of the
 * sheet's orders the mirror has not recorded (events missed while no worker ran) — then `syncSheet`: read the tab,
 * take valid NEW rows in through the order service, note the bad ones, write the pending states back. A failing
 * Sheets API or a bad configuration is recorded on the location's sheet (`last_error`) and tried again on the next
 * run; nothing that decides a call depends on it.
 */
export async function sheetSync(job: SheetSyncJob, deps: SheetSyncDeps): Promise<void> {
  const [sheet] = await activeSheets(deps.db, job.locationId);
  if (!sheet) return;
  const log = deps.logger.child({ locationId: job.locationId, spreadsheetId: sheet.spreadsheet_id, sheetName: sheet.sheet_name });
  const done = (error: string | null) =>
    deps.db
      .updateTable("location_sheets")
      .set({ last_synced_at: sql<Date>`now()`, last_error: error?.slice(0, 1_000) ?? null })
      .where("location_id", "=", job.locationId)
      .execute();
  try {
    const config = await sheetConfigOf(sheet);
    const caughtUp = await catchUpSheet(deps.db, sheetIdOf(config));
    const report = await syncSheet(config, { db: deps.db, intake: deps.intake, menus: deps.menus, ...(deps.retry ? { retry: deps.retry } : {}) });
    await done(report.writeError ?? null);
    log.info(
      {
        rows: report.rows,
        caughtUp,
        created: report.intakes.filter((i) => i.created).length,
        invalid: report.invalid.length,
        intakeErrors: report.intakeErrors.map((e) => `${e.rowId}: ${e.error}`),
        written: report.written.length,
        conflicts: report.conflicts.length,
        deferred: report.deferred.length,
      },
      report.writeError ? "sheet read; its write-back is deferred" : "sheet synced",
    );
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await done(message);
    log.warn({ reason: message }, "sheet run failed; the next run tries again");
  }
}
