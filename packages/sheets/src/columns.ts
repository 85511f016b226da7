import { ConfirmationState } from "@orderline/contracts";
import type { SheetStatus } from "@orderline/db";

/** The confirmation sheet's columns (the seed's), found by their header text in any order. */
export const SHEET_COLUMNS = ["id", "customer_name", "phone", "order_text", "status", "final_order_json", "notes", "locked_at", "last_updated"] as const;
export type SheetColumn = (typeof SHEET_COLUMNS)[number];

/**
 * The sheet shows the state machine's own states (contracts `ConfirmationState`) in upper case — one vocabulary,
 * imported, never a second list: NEW, CALLED, CONFIRMED, UPDATED, CANCELLED (the customer cancelled on the call),
 * FAILED.
 */
export function sheetStatusOf(state: ConfirmationState): SheetStatus {
  return state.toUpperCase() as SheetStatus;
}

/** The statuses of the `status` column, in the order a row goes through them. */
export const SHEET_STATUSES = ConfirmationState.options.map(sheetStatusOf) as [SheetStatus, ...SheetStatus[]];

/** Where each column is (0-based). */
export type ColumnMap = Readonly<Record<SheetColumn, number>>;

/** The sheet cannot be used as it is (a missing column, an unreadable header); nothing was taken in. */
export class SheetFormatError extends Error {
  override name = "SheetFormatError";
}

/** One data row as read: its 1-based row number on the sheet and its cells by column name (trimmed text). */
export type SheetRow = {
  rowNumber: number;
  cells: Readonly<Record<SheetColumn, string>>;
};

/** Header text → column name: case, spaces and dashes do not matter ("Customer Name" = customer_name). */
function headerKey(text: string): string {
  return text.trim().toLowerCase().replace(/[\s-]+/g, "_");
}

/** Maps the header row; a missing or repeated column is a SheetFormatError naming it. */
export function columnMap(header: readonly unknown[], where: string): ColumnMap {
  const found = new Map<string, number[]>();
  header.forEach((cell, i) => {
    const key = headerKey(String(cell ?? ""));
    if (key) found.set(key, [...(found.get(key) ?? []), i]);
  });
  const missing = SHEET_COLUMNS.filter((c) => !found.has(c));
  if (missing.length > 0) {
    const seen = header.map((h) => JSON.stringify(String(h ?? ""))).join(", ") || "nothing";
    throw new SheetFormatError(`${where}: the header row has no ${missing.map((m) => `"${m}"`).join(", ")} column (it has ${seen})`);
  }
  const repeated = SHEET_COLUMNS.filter((c) => (found.get(c)?.length ?? 0) > 1);
  if (repeated.length > 0) throw new SheetFormatError(`${where}: the header row has more than one "${repeated.join('", "')}" column`);
  return Object.fromEntries(SHEET_COLUMNS.map((c) => [c, found.get(c)![0]!])) as Record<SheetColumn, number>;
}

/** The data rows under the header (`values` as the API returns them: ragged, row 1 first), blank rows left out. */
export function sheetRows(values: readonly (readonly unknown[])[], columns: ColumnMap): SheetRow[] {
  const rows: SheetRow[] = [];
  for (let i = 1; i < values.length; i++) {
    const raw = values[i] ?? [];
    const cells = Object.fromEntries(SHEET_COLUMNS.map((c) => [c, String(raw[columns[c]] ?? "").trim()])) as Record<SheetColumn, string>;
    if (SHEET_COLUMNS.every((c) => cells[c] === "")) continue;
    rows.push({ rowNumber: i + 1, cells });
  }
  return rows;
}

/** A status cell as a status ("new" and " New " are NEW; a blank cell is NEW), or undefined when unknown. */
export function statusOf(text: string): SheetStatus | undefined {
  const s = text.trim().toUpperCase();
  if (s === "") return "NEW";
  return SHEET_STATUSES.find((x) => x === s);
}

/** "A" for 0, "AA" for 26: the column part of an A1 reference. */
export function columnLetters(index: number): string {
  let letters = "";
  for (let n = index; n >= 0; n = Math.floor(n / 26) - 1) letters = String.fromCharCode(65 + (n % 26)) + letters;
  return letters;
}

/** `'Week 1'!C7`: one cell of a tab in A1 notation (titles quoted, quotes doubled). */
export function cellRange(tab: string, rowNumber: number, column: number): string {
  return `'${tab.replaceAll("'", "''")}'!${columnLetters(column)}${rowNumber}`;
}

/** The whole tab (`'Orders'`): the range the adapter reads. */
export function tabRange(tab: string): string {
  return `'${tab.replaceAll("'", "''")}'`;
}
