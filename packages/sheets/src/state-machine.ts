import { type ConfirmationStateEvent, type CreateConfirmationOrderInput, FinalOrder } from "@orderline/contracts";
import { CONFIRMATION_EVENT_COLUMNS, confirmationEventOf, type Database } from "@orderline/db";
import { type Kysely, sql } from "kysely";
import { sheetStatusOf } from "./columns.ts";
import type { ConfirmationIntakeRequest, SheetStateEvent, UnmatchedItem } from "./intake.ts";
import { recordSheetState } from "./mirror.ts";

/**
 * The sheet and the confirmation state machine (docs/CONFIRMATION.md), in both directions: a row taken in becomes
 * a `createConfirmationOrder` request; a committed `ConfirmationStateEvent` of a sheet-sourced order becomes the
 * mirror's state for the row; and `catchUpSheet` rebuilds from Postgres what a mirror that was down missed.
 */

const REASON: Readonly<Record<UnmatchedItem["reason"], string>> = {
  not_on_menu: "not on the menu",
  ambiguous: "several menu items fit",
  invalid_size: "no such size",
  unsupported: "not something the order line can take",
};

/** One unmatched part of order_text as the state machine keeps it (asked about on the call): `1x sushi (not on the menu; maybe: …)`. */
export function unmatchedText(u: UnmatchedItem): string {
  const maybe = u.candidates.length > 0 ? `; ${u.reason === "invalid_size" ? "sizes" : "maybe"}: ${u.candidates.slice(0, 5).join(", ")}` : "";
  return `${u.quantity}x ${u.text} (${REASON[u.reason]}${maybe})`.slice(0, 200);
}

/** The intake request of a row as contracts `createConfirmationOrder` takes it (lines by product id and menu name, the size by name). */
export function confirmationOrderRequestOf(req: ConfirmationIntakeRequest): CreateConfirmationOrderInput {
  return {
    locationId: req.locationId,
    customerName: req.customerName.slice(0, 80),
    phone: req.phone,
    lines: req.lines.map((l) => ({
      productId: l.productId,
      name: l.name,
      ...(l.size ? { variation: l.size } : {}),
      ...(l.modifiers.length > 0 ? { modifiers: l.modifiers.map((m) => ({ name: m.name, action: m.action })) } : {}),
      quantity: l.quantity,
    })),
    unmatched: req.unmatched.slice(0, 20).map(unmatchedText),
    notes: req.notes,
    externalRef: req.externalRef,
  };
}

/**
 * The mirror's state for a committed confirmation state change (null when the order did not come from a sheet).
 * The final order is written in the contract's key order — the seed's `{"action","items","notes","confirmed",…}` —
 * whatever order Postgres's jsonb gave it back in.
 */
export function sheetStateOf(event: ConfirmationStateEvent): SheetStateEvent | null {
  const ref = event.externalRef;
  if (ref?.source !== "sheet") return null;
  return {
    externalRef: { source: "sheet", sheetId: ref.sheetId, rowId: ref.rowId },
    state: sheetStatusOf(event.state),
    finalOrderJson: event.finalOrderJson === null ? null : JSON.stringify(FinalOrder.parse(event.finalOrderJson)),
    notes: event.notes,
    lastUpdated: event.lastUpdated,
    lockedAt: event.lockedAt ?? null,
  };
}

/**
 * Catch-up from Postgres, the record: every order of the sheet whose confirmation changed after the state the
 * mirror holds for its row (or that the mirror has never seen) is recorded for the write-back. Events are
 * fire-and-forget; this makes a worker that was down (or missed an event) miss nothing. Returns the rows recorded.
 */
export async function catchUpSheet(db: Kysely<Database>, sheetId: string): Promise<number> {
  const rows = await db
    .selectFrom("orders as o")
    .leftJoin("sheet_writebacks as w", (j) => j.onRef("w.sheet_id", "=", "o.external_sheet_id").onRef("w.row_id", "=", "o.external_row_id"))
    .select(CONFIRMATION_EVENT_COLUMNS.map((c) => `o.${c}` as const))
    .where("o.external_source", "=", "sheet")
    .where("o.external_sheet_id", "=", sheetId)
    .where("o.confirmation_state", "is not", null)
    // Events carry milliseconds; Postgres keeps microseconds.
    .where((eb) => eb.or([eb("w.row_id", "is", null), eb(sql<Date>`date_trunc('milliseconds', o.confirmation_updated_at)`, ">", eb.ref("w.last_updated"))]))
    .execute();
  let recorded = 0;
  for (const row of rows) {
    const state = sheetStateOf(confirmationEventOf(row));
    if (!state) continue;
    await recordSheetState(db, state);
    recorded++;
  }
  return recorded;
}
