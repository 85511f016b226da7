import type { LocationMenu } from "@orderline/catalog";
import type { Database } from "@orderline/db";
import type { sheets_v4 } from "googleapis";
import type { Kysely } from "kysely";
import { type CellWrite, callError, DEFAULT_RETRY, readSheet, type RetryPolicy, type SheetSnapshot, writeCells } from "./api.ts";
import { cellRange } from "./columns.ts";
import { type SheetConfig, type SheetConfigInput, parseSheetConfig, sheetIdOf, sheetsClient } from "./config.ts";
import { type ConfirmationIntake, IntakeRefusedError } from "./intake.ts";
import { claimRows, completeWrites, deferWrites, knownRowIds, planMirror } from "./mirror.ts";
import { withNote } from "./notes.ts";
import { invalidNote, judgeRows } from "./validate.ts";

export type SyncSheetDeps = {
  db: Kysely<Database>;
  intake: ConfirmationIntake;
  /** The location's menu snapshot (a `CatalogCache` of @orderline/catalog fits). */
  menus: { get(locationId: string): Promise<LocationMenu> };
  /** The Sheets client (default: `sheetsClient(config)`). */
  client?: sheets_v4.Sheets;
  /** Retries of each API call within one run (default DEFAULT_RETRY); the same policy spaces the pending rows' next tries. */
  retry?: Partial<RetryPolicy>;
  /** How long a flush holds the rows it is writing (default 60 s; a crashed flush's rows are retried after it). */
  leaseMs?: number;
};

export type RowRef = { rowId: string; rowNumber: number };

export type SyncReport = {
  /** Data rows read. */
  rows: number;
  /** Valid NEW rows handed to the intake; `created: false` = it had them already. */
  intakes: (RowRef & { confirmationId: string; created: boolean })[];
  /** Rows not taken in, with the reasons written on them. */
  invalid: (RowRef & { problems: string[] })[];
  /** Rows the intake refused or failed on (tried again next run). */
  intakeErrors: (RowRef & { error: string })[];
  /** Rows whose newest state was written this run. */
  written: string[];
  /** Rows left with a note instead of their state (a person changed the status, the row is gone). */
  conflicts: { rowId: string; conflict: string }[];
  /** Rows still waiting for their write (the API failed after its retries); they are in Postgres and retried later. */
  deferred: string[];
  /** Cells written in this run's batchUpdate. */
  cellsWritten: number;
  /** Why the write failed, when it did. */
  writeError: string | undefined;
};

function policyOf(deps: Pick<SyncSheetDeps, "retry">): RetryPolicy {
  return { ...DEFAULT_RETRY, ...deps.retry };
}

/**
 * One run for one location's sheet — what a worker job does periodically: read the rows, hand every valid NEW
 * row to the confirmation intake (idempotent on the row), note the rows it cannot take in, and write the pending
 * confirmation states back in one batchUpdate. A failure to read the sheet throws (SheetsCallError,
 * SheetFormatError); a failure to write leaves the states pending in Postgres and is reported.
 */
export async function syncSheet(configInput: SheetConfig | SheetConfigInput, deps: SyncSheetDeps): Promise<SyncReport> {
  const config = parseSheetConfig(configInput);
  const client = deps.client ?? sheetsClient(config);
  const policy = policyOf(deps);
  const sheetId = sheetIdOf(config);
  const snapshot = await readSheet(client, config, policy);
  const ids = [...new Set(snapshot.rows.map((r) => r.cells.id).filter(Boolean))];
  const menu = await deps.menus.get(config.locationId);
  const known = await knownRowIds(deps.db, sheetId, ids);
  const report: SyncReport = {
    rows: snapshot.rows.length,
    intakes: [],
    invalid: [],
    intakeErrors: [],
    written: [],
    conflicts: [],
    deferred: [],
    cellsWritten: 0,
    writeError: undefined,
  };
  const notes: CellWrite[] = [];
  for (const verdict of judgeRows(snapshot.rows, { locationId: config.locationId, sheetId, menu, known })) {
    const ref = { rowId: verdict.row.cells.id, rowNumber: verdict.row.rowNumber };
    if (verdict.kind === "invalid") {
      report.invalid.push({ ...ref, problems: verdict.problems });
      const note = withNote(verdict.row.cells.notes, invalidNote(verdict.problems));
      if (note !== verdict.row.cells.notes) notes.push({ range: cellRange(config.sheetName, verdict.row.rowNumber, snapshot.columns.notes), value: note });
    } else if (verdict.kind === "intake") {
      try {
        const result = await deps.intake.create(verdict.request);
        report.intakes.push({ ...ref, ...result });
      } catch (err) {
        report.intakeErrors.push({ ...ref, error: err instanceof Error ? err.message : String(err) });
        if (err instanceof IntakeRefusedError) {
          const note = withNote(verdict.row.cells.notes, invalidNote([err.message]));
          if (note !== verdict.row.cells.notes) notes.push({ range: cellRange(config.sheetName, verdict.row.rowNumber, snapshot.columns.notes), value: note });
        }
      }
    }
  }
  await flushWith(client, config, snapshot, notes, deps, policy, report);
  return report;
}

/**
 * Writes the pending confirmation states of one sheet without taking rows in (e.g. right after a state change).
 * Throws when the sheet cannot be read; a failed write is reported and stays pending.
 */
export async function flushSheetMirror(
  configInput: SheetConfig | SheetConfigInput,
  deps: Pick<SyncSheetDeps, "db" | "client" | "retry" | "leaseMs">,
): Promise<Pick<SyncReport, "written" | "conflicts" | "deferred" | "cellsWritten" | "writeError">> {
  const config = parseSheetConfig(configInput);
  const client = deps.client ?? sheetsClient(config);
  const policy = policyOf(deps);
  const snapshot = await readSheet(client, config, policy);
  const report = { written: [], conflicts: [], deferred: [], cellsWritten: 0, writeError: undefined };
  await flushWith(client, config, snapshot, [], deps, policy, report);
  return report;
}

async function flushWith(
  client: sheets_v4.Sheets,
  config: SheetConfig,
  snapshot: SheetSnapshot,
  extra: CellWrite[],
  deps: Pick<SyncSheetDeps, "db" | "leaseMs">,
  policy: RetryPolicy,
  report: Pick<SyncReport, "written" | "conflicts" | "deferred" | "cellsWritten" | "writeError">,
): Promise<void> {
  const sheetId = sheetIdOf(config);
  const ids = [...new Set(snapshot.rows.map((r) => r.cells.id).filter(Boolean))];
  const claimed = await claimRows(deps.db, sheetId, ids, deps.leaseMs ?? 60_000);
  const plan = planMirror(config.sheetName, snapshot.columns, snapshot.rows, claimed);
  const cells = [...plan.cells, ...extra];
  report.conflicts = plan.conflicts;
  try {
    await writeCells(client, config, cells, policy);
  } catch (err) {
    const error = callError("write-back", err).message;
    const dueIds = claimed.due.map((w) => w.row_id);
    await deferWrites(deps.db, sheetId, dueIds, error, policy);
    report.deferred = dueIds;
    report.writeError = error;
    return;
  }
  await completeWrites(deps.db, sheetId, plan.writes);
  report.cellsWritten = cells.length;
  report.written = plan.writes.filter((w) => w.conflict === null).map((w) => w.rowId);
}
