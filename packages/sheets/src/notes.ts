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

/**
 * What of a state's notes the adapter writes as its own line: the order's notes are the row's own notes (unless the
 * customer changed them on the call), so the person's part is not repeated — only what OrderLine adds (why a call
 * failed, notes the customer gave on the call).
 */
export function adapterNote(cell: string, notes: string | null): string | null {
  const people = customerNotes(cell);
  if (notes === null || people === null) return notes;
  if (notes === people) return null;
  return notes.startsWith(`${people} — `) ? notes.slice(people.length + 3) : notes;
}
