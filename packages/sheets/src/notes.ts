/**
 * The `notes` cell is shared: people write the order's notes there, the adapter adds its own lines (why a row was
 * not called, the call's outcome). The adapter's lines start with NOTE_PREFIX; it only ever replaces those, so a
 * person's notes are never lost.
 */

export const NOTE_PREFIX = "OrderLine:";

const isOurs = (line: string) => line.trimStart().startsWith(NOTE_PREFIX);

/** The people's part of a notes cell (null when there is none). */
export function customerNotes(cell: string): string | null {
  const text = cell
    .split(/\r?\n/)
    .filter((l) => !isOurs(l))
    .join("\n")
    .trim();
  return text === "" ? null : text.slice(0, 1_000);
}

/** The notes cell with the adapter's line replaced by `note` (or removed when null). */
export function withNote(cell: string, note: string | null): string {
  const people = customerNotes(cell);
  const ours = note === null || note.trim() === "" ? [] : [`${NOTE_PREFIX} ${note.trim().replace(/\s*\r?\n\s*/g, " ")}`];
  return [...(people === null ? [] : [people]), ...ours].join("\n");
}
