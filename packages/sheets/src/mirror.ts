import { formatIssues } from "@orderline/contracts";
import type { Database, SheetStatus, SheetWritebacksTable } from "@orderline/db";
import { type Kysely, type Selectable, sql } from "kysely";
import { backoffMs, type CellWrite, type RetryPolicy } from "./api.ts";
import { cellRange, type ColumnMap, type SheetRow, statusOf } from "./columns.ts";
import { type SheetStateEvent, SheetStateEventSchema } from "./intake.ts";
import { adapterNote, withNote } from "./notes.ts";

/**
 * The sheet mirrors Postgres. Every state event is stored first (`sheet_writebacks`, the newest per row wins) and
 * written to the row later, so a slow or failing Sheets API only delays the row. A row whose status a person
 * changed since the adapter last wrote it is not overwritten: it gets a note, and the conflict is kept in Postgres.
 */

type Writeback = Selectable<SheetWritebacksTable>;

/** Stores one state event (idempotent; an event older than the stored one for its row changes nothing). */
export async function recordSheetState(db: Kysely<Database>, input: SheetStateEvent): Promise<void> {
  const r = SheetStateEventSchema.safeParse(input);
  if (!r.success) throw new TypeError(`invalid sheet state event: ${formatIssues(r.error.issues, "event")}`);
  const e = r.data;
  const json = e.finalOrderJson === null ? null : typeof e.finalOrderJson === "string" ? e.finalOrderJson : JSON.stringify(e.finalOrderJson);
  await db
    .insertInto("sheet_writebacks")
    .values({
      sheet_id: e.externalRef.sheetId,
      row_id: e.externalRef.rowId,
      state: e.state,
      final_order_json: json,
      notes: e.notes,
      locked_at: e.lockedAt,
      last_updated: e.lastUpdated,
    })
    .onConflict((oc) =>
      oc.columns(["sheet_id", "row_id"]).doUpdateSet({
        state: (eb) => eb.ref("excluded.state"),
        final_order_json: (eb) => eb.ref("excluded.final_order_json"),
        notes: (eb) => eb.ref("excluded.notes"),
        locked_at: (eb) => eb.ref("excluded.locked_at"),
        last_updated: (eb) => eb.ref("excluded.last_updated"),
        version: sql`sheet_writebacks.version + 1`,
      })
      // Same content again (a redelivered event) is not a new version; an older event is not news.
      .where((eb) =>
        eb.and([
          eb("sheet_writebacks.last_updated", "<=", eb.ref("excluded.last_updated")),
          sql<boolean>`(sheet_writebacks.state, sheet_writebacks.final_order_json, sheet_writebacks.notes, sheet_writebacks.locked_at, sheet_writebacks.last_updated)
            IS DISTINCT FROM (excluded.state, excluded.final_order_json, excluded.notes, excluded.locked_at, excluded.last_updated)`,
        ]),
      ),
    )
    .execute();
}

export type MirrorRows = {
  /** Rows with a newer state to write, claimed for `leaseMs` (another flush skips them meanwhile). */
  due: Writeback[];
  /** Every other taken-in row on the sheet (checked for a person's status edit). */
  settled: Writeback[];
};

/** The sheet's pending, due rows (claimed) and the other writeback rows of these row ids. */
export async function claimRows(db: Kysely<Database>, sheetId: string, rowIds: readonly string[], leaseMs: number): Promise<MirrorRows> {
  const due = await db
    .updateTable("sheet_writebacks")
    .set({ next_attempt_at: sql`now() + make_interval(secs => ${leaseMs / 1000})` })
    .where("sheet_id", "=", sheetId)
    .where((eb) => eb("version", ">", eb.ref("written_version")))
    .where("next_attempt_at", "<=", sql<Date>`now()`)
    .returningAll()
    .execute();
  const claimed = new Set(due.map((d) => d.row_id));
  const all =
    rowIds.length === 0
      ? []
      : await db.selectFrom("sheet_writebacks").selectAll().where("sheet_id", "=", sheetId).where("row_id", "in", [...rowIds]).execute();
  return { due, settled: all.filter((w) => !claimed.has(w.row_id)) };
}

/** Row ids of a sheet that have confirmation state (they were taken in). */
export async function knownRowIds(db: Kysely<Database>, sheetId: string, rowIds: readonly string[]): Promise<Set<string>> {
  if (rowIds.length === 0) return new Set();
  const rows = await db.selectFrom("sheet_writebacks").select("row_id").where("sheet_id", "=", sheetId).where("row_id", "in", [...rowIds]).execute();
  return new Set(rows.map((r) => r.row_id));
}

/** What the flush decided for one claimed row. */
export type RowWrite = { rowId: string; version: number; writtenStatus: SheetStatus | null; conflict: string | null };

export type MirrorPlan = { cells: CellWrite[]; writes: RowWrite[]; conflicts: { rowId: string; conflict: string }[] };

/** "2026-12-05T14:03:07Z": UTC, to the second. */
export function sheetTime(at: Date | null): string {
  return at === null ? "" : `${at.toISOString().slice(0, 19)}Z`;
}

function conflictOf(w: Writeback, row: SheetRow | undefined): string | null {
  if (!row) return `row id "${w.row_id}" is no longer on the sheet`;
  const expected = w.written_status ?? "NEW";
  const now = statusOf(row.cells.status);
  if (now === expected || now === w.state) return null;
  return `the status was changed by hand to "${row.cells.status}" (OrderLine had written ${expected})`;
}

function conflictNote(w: Writeback, conflict: string): string {
  return `${conflict}; the order is ${w.state} in OrderLine. The row was not overwritten and will not be called again.`;
}

/** The cells to write for the claimed rows, and the conflicts found on settled ones (a note each). */
export function planMirror(tab: string, columns: ColumnMap, rows: readonly SheetRow[], claimed: MirrorRows): MirrorPlan {
  const firstById = new Map<string, SheetRow>();
  for (const row of rows) if (row.cells.id && !firstById.has(row.cells.id)) firstById.set(row.cells.id, row);
  const cells: CellWrite[] = [];
  const writes: RowWrite[] = [];
  const conflicts: { rowId: string; conflict: string }[] = [];
  const cell = (row: SheetRow, column: keyof ColumnMap, value: string) => {
    if (row.cells[column] !== value) cells.push({ range: cellRange(tab, row.rowNumber, columns[column]), value });
  };
  for (const w of [...claimed.due, ...claimed.settled]) {
    const row = firstById.get(w.row_id);
    const conflict = conflictOf(w, row);
    const isDue = claimed.due.includes(w);
    if (conflict) {
      conflicts.push({ rowId: w.row_id, conflict });
      if (row) cell(row, "notes", withNote(row.cells.notes, conflictNote(w, conflict)));
      if (isDue || w.conflict !== conflict) writes.push({ rowId: w.row_id, version: w.version, writtenStatus: w.written_status, conflict });
      continue;
    }
    // A row whose conflict a person resolved (the status is back) gets its state written again.
    if ((!isDue && w.conflict === null) || !row) continue;
    cell(row, "status", w.state);
    if (w.final_order_json !== null) cell(row, "final_order_json", w.final_order_json);
    cell(row, "notes", withNote(row.cells.notes, adapterNote(row.cells.notes, w.notes)));
    cell(row, "locked_at", sheetTime(w.locked_at));
    cell(row, "last_updated", sheetTime(w.last_updated));
    writes.push({ rowId: w.row_id, version: w.version, writtenStatus: w.state, conflict: null });
  }
  return { cells, writes, conflicts };
}

/** The rows were written (or only noted): they are no longer pending at these versions. */
export async function completeWrites(db: Kysely<Database>, sheetId: string, writes: readonly RowWrite[]): Promise<void> {
  for (const w of writes) {
    await db
      .updateTable("sheet_writebacks")
      .set({
        written_version: sql`greatest(written_version, ${w.version})`,
        written_status: w.writtenStatus,
        conflict: w.conflict,
        attempts: 0,
        last_error: null,
        next_attempt_at: sql`now()`,
      })
      .where("sheet_id", "=", sheetId)
      .where("row_id", "=", w.rowId)
      .execute();
  }
}

/** The write failed: the claimed rows stay pending and wait longer each time (bounded by maxDelayMs). */
export async function deferWrites(db: Kysely<Database>, sheetId: string, rowIds: readonly string[], error: string, policy: RetryPolicy): Promise<void> {
  if (rowIds.length === 0) return;
  const rows = await db
    .selectFrom("sheet_writebacks")
    .select(["row_id", "attempts"])
    .where("sheet_id", "=", sheetId)
    .where("row_id", "in", [...rowIds])
    .execute();
  for (const r of rows) {
    const waitMs = backoffMs(policy, r.attempts + 1);
    await db
      .updateTable("sheet_writebacks")
      .set({
        attempts: r.attempts + 1,
        last_error: error.slice(0, 1_000),
        next_attempt_at: sql`now() + make_interval(secs => ${waitMs / 1000})`,
      })
      .where("sheet_id", "=", sheetId)
      .where("row_id", "=", r.row_id)
      .execute();
  }
}
