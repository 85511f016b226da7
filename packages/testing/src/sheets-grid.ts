import { type A1Range, columnLetters, formatA1 } from "./sheets-a1.ts";

/**
 * One sheet's cells and the values operations of the Sheets API v4 on them (docs/PROTOCOLS.md §14): reads leave
 * trailing empty cells and rows out, writes skip `null`, `""` clears, USER_ENTERED turns numbers and booleans
 * into typed cells, append writes after the last row of the table the range starts.
 */

export type CellValue = string | number | boolean;
export type InputValue = CellValue | null;

export type ValueRange = { range: string; majorDimension: "ROWS" | "COLUMNS"; values?: CellValue[][] };
export type UpdateValuesResponse = {
  spreadsheetId: string;
  updatedRange: string;
  updatedRows: number;
  updatedColumns: number;
  updatedCells: number;
};

/** An error the API answers with `{"error":{"code","message","status"}}`. */
export class SheetsApiError extends Error {
  readonly code: number;
  readonly status: string;
  constructor(code: number, status: string, message: string) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

export const invalidArgument = (message: string) => new SheetsApiError(400, "INVALID_ARGUMENT", message);

export type Bounds = { startRow: number; startCol: number; endRow: number; endCol: number };

export class SheetGrid {
  readonly title: string;
  rowCount: number;
  columnCount: number;
  /** Ragged rows; a missing cell is empty. */
  readonly rows: CellValue[][] = [];

  constructor(title: string, rows: CellValue[][] = [], rowCount = 1000, columnCount = 26) {
    this.title = title;
    for (const r of rows) this.rows.push([...r]);
    this.rowCount = Math.max(rowCount, rows.length);
    this.columnCount = Math.max(columnCount, ...rows.map((r) => r.length));
  }

  cell(row: number, col: number): CellValue {
    return this.rows[row]?.[col] ?? "";
  }

  setCell(row: number, col: number, value: CellValue): void {
    while (this.rows.length <= row) this.rows.push([]);
    const r = this.rows[row]!;
    while (r.length <= col) r.push("");
    r[col] = value;
  }

  /** The range closed by the grid's size; a range outside the grid is a 400 like the API's. */
  bounds(a1: A1Range, rangeText: string): Bounds {
    const b: Bounds = {
      startRow: a1.startRow ?? 0,
      startCol: a1.startCol ?? 0,
      endRow: a1.endRow ?? this.rowCount - 1,
      endCol: a1.endCol ?? this.columnCount - 1,
    };
    if (b.endRow >= this.rowCount || b.endCol >= this.columnCount) {
      throw invalidArgument(`Range (${rangeText}) exceeds grid limits. Max rows: ${this.rowCount}, max columns: ${this.columnCount}`);
    }
    return b;
  }

  a1(b: Bounds): string {
    return formatA1(this.title, b.startRow, b.startCol, b.endRow, b.endCol);
  }

  read(b: Bounds, majorDimension: "ROWS" | "COLUMNS", render: (v: CellValue) => CellValue): ValueRange {
    const rows: CellValue[][] = [];
    for (let r = b.startRow; r <= b.endRow; r++) {
      const row: CellValue[] = [];
      for (let c = b.startCol; c <= b.endCol; c++) row.push(render(this.cell(r, c)));
      rows.push(row);
    }
    const grid = majorDimension === "COLUMNS" ? transpose(rows, b.endCol - b.startCol + 1) : rows;
    const values = trimTrailing(grid);
    return values.length > 0 ? { range: this.a1(b), majorDimension, values } : { range: this.a1(b), majorDimension };
  }

  /** Writes `values` from the range's top-left; rows and columns beyond the range are a 400 like the API's. */
  write(
    spreadsheetId: string,
    b: Bounds,
    rangeText: string,
    input: InputValue[][],
    majorDimension: "ROWS" | "COLUMNS",
    userEntered: boolean,
  ): UpdateValuesResponse {
    const rows = majorDimension === "COLUMNS" ? transpose(input, Math.max(0, ...input.map((c) => c.length))) : input;
    if (b.startRow + rows.length - 1 > b.endRow) {
      throw invalidArgument(`Requested writing within range [${rangeText}], but tried writing to row [${b.startRow + rows.length}]`);
    }
    const widest = Math.max(0, ...rows.map((r) => r.length));
    if (b.startCol + widest - 1 > b.endCol) {
      throw invalidArgument(`Requested writing within range [${rangeText}], but tried writing to column [${columnLetters(b.startCol + widest - 1)}]`);
    }
    let cells = 0;
    let lastRow = -1;
    let lastCol = -1;
    rows.forEach((row, i) => {
      row.forEach((value, j) => {
        if (value === null || value === undefined) return;
        checkCell(value);
        this.setCell(b.startRow + i, b.startCol + j, userEntered ? parseUserEntered(value) : value);
        cells++;
        lastRow = Math.max(lastRow, i);
        lastCol = Math.max(lastCol, j);
      });
    });
    const written = cells > 0 ? this.a1({ startRow: b.startRow, startCol: b.startCol, endRow: b.startRow + lastRow, endCol: b.startCol + lastCol }) : this.a1(b);
    return { spreadsheetId, updatedRange: written, updatedRows: lastRow + 1, updatedColumns: lastCol + 1, updatedCells: cells };
  }

  /** The table the range starts (its first to last non-empty row within the range's columns), or undefined. */
  table(b: Bounds): Bounds | undefined {
    let last = -1;
    let first = -1;
    for (let r = b.startRow; r < this.rows.length; r++) {
      const row = this.rows[r] ?? [];
      let filled = false;
      for (let c = b.startCol; c <= Math.min(b.endCol, row.length - 1); c++) if (row[c] !== "") filled = true;
      if (filled) {
        if (first < 0) first = r;
        last = r;
      }
    }
    return first < 0 ? undefined : { startRow: first, startCol: b.startCol, endRow: last, endCol: b.endCol };
  }

  /** Room for `count` new rows at `at`: INSERT_ROWS shifts what is below down; the grid grows as needed. */
  makeRoom(at: number, count: number, insert: boolean): void {
    if (insert && at < this.rows.length) this.rows.splice(at, 0, ...Array.from({ length: count }, () => []));
    this.rowCount = Math.max(this.rowCount + (insert ? count : 0), at + count);
  }
}

function checkCell(value: unknown): asserts value is CellValue {
  if (typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value))) return;
  throw invalidArgument(`Invalid values[0][0]: ${JSON.stringify(value)}`);
}

/** What a person typing the text into the cell would get: numbers and booleans typed, a leading ' kept as text. */
export function parseUserEntered(value: CellValue): CellValue {
  if (typeof value !== "string") return value;
  if (value.startsWith("'")) return value.slice(1);
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(value.trim())) return Number(value.trim());
  if (/^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === "true";
  return value;
}

/** FORMATTED_VALUE: every cell as the text the sheet shows. */
export function formatted(value: CellValue): CellValue {
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  return typeof value === "number" ? String(value) : value;
}

function transpose<T>(rows: T[][], width: number): T[][] {
  const out: T[][] = [];
  for (let c = 0; c < width; c++) out.push(rows.map((r) => r[c] as T));
  return out;
}

/** Drops trailing empty cells of each row and trailing empty rows (the API's output never has them). */
function trimTrailing(rows: CellValue[][]): CellValue[][] {
  const out = rows.map((r) => {
    let end = r.length;
    while (end > 0 && (r[end - 1] === "" || r[end - 1] === undefined)) end--;
    return r.slice(0, end).map((v) => v ?? "");
  });
  while (out.length > 0 && out[out.length - 1]!.length === 0) out.pop();
  return out;
}
