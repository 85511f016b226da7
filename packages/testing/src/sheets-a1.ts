/**
 * A1 notation as the Sheets API v4 reads and writes it (docs/PROTOCOLS.md §14): `Sheet1!A2:I`, `'My Sheet'!B:B`,
 * `Sheet1!3:5`, `A1` (first sheet), `Sheet1` (the whole sheet). Rows and columns are 0-based here; an open end is
 * bounded by the sheet's grid when the range is used.
 */

export type A1Range = {
  /** The sheet's title, or undefined when the range named none (the first sheet). */
  sheet: string | undefined;
  startRow: number | undefined;
  startCol: number | undefined;
  /** Inclusive; undefined = open (to the grid's end). */
  endRow: number | undefined;
  endCol: number | undefined;
};

export class A1Error extends Error {}

/** "A" → 0, "Z" → 25, "AA" → 26. */
export function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** 0 → "A", 26 → "AA". */
export function columnLetters(index: number): string {
  let s = "";
  let n = index + 1;
  while (n > 0) {
    const rem = (n - 1) % 26;
    s = String.fromCharCode(65 + rem) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

type Cell = { row: number | undefined; col: number | undefined };

function parseCell(text: string, whole: string): Cell {
  const m = /^([A-Za-z]{1,3})?(\d+)?$/.exec(text);
  if (!m || (!m[1] && !m[2])) throw new A1Error(`Unable to parse range: ${whole}`);
  const row = m[2] !== undefined ? Number(m[2]) - 1 : undefined;
  if (row !== undefined && row < 0) throw new A1Error(`Unable to parse range: ${whole}`);
  return { row, col: m[1] ? columnIndex(m[1]) : undefined };
}

/** Splits `'It''s'!A1:B2` into the sheet title and the cell part. */
function splitSheet(range: string): { sheet: string | undefined; cells: string | undefined } {
  if (range.startsWith("'")) {
    let i = 1;
    let title = "";
    while (i < range.length) {
      if (range[i] === "'" && range[i + 1] === "'") {
        title += "'";
        i += 2;
      } else if (range[i] === "'") break;
      else title += range[i++];
    }
    if (range[i] !== "'") throw new A1Error(`Unable to parse range: ${range}`);
    const rest = range.slice(i + 1);
    if (rest === "") return { sheet: title, cells: undefined };
    if (!rest.startsWith("!")) throw new A1Error(`Unable to parse range: ${range}`);
    return { sheet: title, cells: rest.slice(1) };
  }
  const bang = range.lastIndexOf("!");
  if (bang === 0) throw new A1Error(`Unable to parse range: ${range}`);
  if (bang > 0) return { sheet: range.slice(0, bang), cells: range.slice(bang + 1) };
  return { sheet: undefined, cells: range };
}

/**
 * Parses a range. A bare word that is not a cell reference is a sheet title (`Orders`); `knownSheet` tells
 * whether a title exists, so `A1` stays a cell even on a sheet named "A1".
 */
export function parseA1(range: string, knownSheet: (title: string) => boolean): A1Range {
  const trimmed = range.trim();
  if (!trimmed) throw new A1Error(`Unable to parse range: ${range}`);
  const { sheet, cells } = splitSheet(trimmed);
  if (sheet === undefined && cells !== undefined && knownSheet(cells)) {
    return { sheet: cells, startRow: undefined, startCol: undefined, endRow: undefined, endCol: undefined };
  }
  if (cells === undefined || cells === "") {
    return { sheet, startRow: undefined, startCol: undefined, endRow: undefined, endCol: undefined };
  }
  const [from, to, extra] = cells.split(":");
  if (extra !== undefined || from === undefined || from === "") throw new A1Error(`Unable to parse range: ${range}`);
  const a = parseCell(from, range);
  if (to === undefined) {
    // A single cell, or a whole column / row ("B" is not valid on its own; "B:B" is).
    if (a.row === undefined || a.col === undefined) throw new A1Error(`Unable to parse range: ${range}`);
    return { sheet, startRow: a.row, startCol: a.col, endRow: a.row, endCol: a.col };
  }
  const b = parseCell(to, range);
  const r: A1Range = { sheet, startRow: a.row, startCol: a.col, endRow: b.row, endCol: b.col };
  if (r.endRow !== undefined && (r.startRow ?? 0) > r.endRow) throw new A1Error(`Unable to parse range: ${range}`);
  if (r.endCol !== undefined && (r.startCol ?? 0) > r.endCol) throw new A1Error(`Unable to parse range: ${range}`);
  return r;
}

/** A sheet title as written in a range: quoted when it is not a plain word. */
export function quoteSheet(title: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(title) ? title : `'${title.replaceAll("'", "''")}'`;
}

/** `Sheet1!A2:I1000` — a closed range as the API reports it. */
export function formatA1(sheet: string, startRow: number, startCol: number, endRow: number, endCol: number): string {
  const from = `${columnLetters(startCol)}${startRow + 1}`;
  const to = `${columnLetters(endCol)}${endRow + 1}`;
  return `${quoteSheet(sheet)}!${from === to ? from : `${from}:${to}`}`;
}
