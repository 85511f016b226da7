import type { LocationMenu } from "@orderline/catalog";
import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js";
import { SHEET_STATUSES, type SheetRow, statusOf } from "./columns.ts";
import type { ConfirmationIntakeRequest, SheetExternalRef } from "./intake.ts";
import { customerNotes } from "./notes.ts";
import { MAX_ORDER_TEXT, parseOrderText } from "./order-text.ts";

/**
 * What the adapter does with each row of the sheet: take it in (a valid NEW row), write a note on it (a row it
 * cannot take in, and says why), or leave it alone (a row that is not NEW and not ours, or one already taken in —
 * the mirror looks after those).
 */

export type RowVerdict =
  | { kind: "intake"; row: SheetRow; request: ConfirmationIntakeRequest }
  | { kind: "invalid"; row: SheetRow; problems: string[] }
  | { kind: "leave"; row: SheetRow };

export type JudgeContext = {
  locationId: string;
  sheetId: string;
  menu: LocationMenu;
  /** Row ids already taken in (they have confirmation state): never taken in again. */
  known: ReadonlySet<string>;
};

/** E.164 of a phone cell read in the location's country, or undefined when it is not a valid number. */
export function e164Of(text: string, country: string): string | undefined {
  const parsed = text.length <= 40 ? parsePhoneNumberFromString(text, country as CountryCode) : undefined;
  return parsed?.isValid() ? parsed.number : undefined;
}

/** The adapter's note on a row it will not take in. */
export function invalidNote(problems: readonly string[]): string {
  return `not called — ${problems.join("; ")}. Fix the row and set its status to NEW.`;
}

export function judgeRows(rows: readonly SheetRow[], ctx: JudgeContext): RowVerdict[] {
  const byId = new Map<string, SheetRow[]>();
  for (const row of rows) if (row.cells.id) byId.set(row.cells.id, [...(byId.get(row.cells.id) ?? []), row]);
  return rows.map((row) => {
    const id = row.cells.id;
    const status = statusOf(row.cells.status);
    const sameId = id ? byId.get(id)! : [row];
    // The first row of a taken-in id is the mirror's; later copies of it are someone's mistake.
    if (ctx.known.has(id) && sameId[0] === row) return { kind: "leave", row };
    const problems: string[] = [];
    if (status === undefined) problems.push(`status "${row.cells.status}" is not one of ${SHEET_STATUSES.join(", ")}`);
    else if (status !== "NEW" && !ctx.known.has(id)) return { kind: "leave", row };
    if (!id) problems.push("the id cell is empty");
    else if (sameId.length > 1) {
      const others = sameId.filter((r) => r !== row).map((r) => r.rowNumber);
      problems.push(`id "${id}" is also used on row${others.length > 1 ? "s" : ""} ${others.join(", ")}${ctx.known.has(id) ? ", which was already taken in" : ""}`);
    }
    if (!row.cells.customer_name) problems.push("the customer_name cell is empty");
    const phone = e164Of(row.cells.phone, ctx.menu.location.country);
    if (!row.cells.phone) problems.push("the phone cell is empty");
    else if (!phone) problems.push(`phone "${row.cells.phone.slice(0, 40)}" is not a valid phone number (${ctx.menu.location.country} numbers may omit the country code)`);
    const orderText = row.cells.order_text;
    const parsed = orderText ? parseOrderText(ctx.menu, orderText) : undefined;
    if (!orderText) problems.push("order_text is empty");
    else if (orderText.length > MAX_ORDER_TEXT) problems.push(`order_text is longer than ${MAX_ORDER_TEXT} characters`);
    else if (parsed && parsed.lines.length === 0) {
      const heard = parsed.unmatched.map((u) => `"${u.text}"`).join(", ");
      problems.push(heard ? `order_text names nothing on the menu (${heard})` : "order_text names no item");
    }
    if (problems.length > 0 || !parsed || !phone) return { kind: "invalid", row, problems };
    const externalRef: SheetExternalRef = { source: "sheet", sheetId: ctx.sheetId, rowId: id };
    return {
      kind: "intake",
      row,
      request: {
        locationId: ctx.locationId,
        customerName: row.cells.customer_name.slice(0, 120),
        phone,
        lines: parsed.lines,
        unmatched: parsed.unmatched,
        notes: customerNotes(row.cells.notes),
        externalRef,
      },
    };
  });
}
