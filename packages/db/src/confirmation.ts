import type { ConfirmationStateEvent, ExternalRef } from "@orderline/contracts";
import type { Order } from "./schema.ts";

/** Columns of an order a confirmation state event is made of. */
export type ConfirmationRow = Pick<
  Order,
  | "id"
  | "location_id"
  | "external_source"
  | "external_sheet_id"
  | "external_row_id"
  | "confirmation_state"
  | "final_order_json"
  | "confirmation_notes"
  | "confirmation_failure"
  | "confirmation_updated_at"
  | "confirmation_locked_at"
>;

export const CONFIRMATION_EVENT_COLUMNS = [
  "id",
  "location_id",
  "external_source",
  "external_sheet_id",
  "external_row_id",
  "confirmation_state",
  "final_order_json",
  "confirmation_notes",
  "confirmation_failure",
  "confirmation_updated_at",
  "confirmation_locked_at",
] as const satisfies readonly (keyof Order)[];

export function externalRefOf(o: Pick<Order, "external_source" | "external_sheet_id" | "external_row_id">): ExternalRef | null {
  if (o.external_source === null || o.external_row_id === null) return null;
  return { source: o.external_source, sheetId: o.external_sheet_id ?? "", rowId: o.external_row_id };
}

/** The contracts `ConfirmationStateEvent` of an order row as committed (the one mapping; worker and order service publish it). */
export function confirmationEventOf(o: ConfirmationRow): ConfirmationStateEvent {
  const notes = [o.confirmation_notes, o.confirmation_failure].filter((n): n is string => Boolean(n)).join(" — ") || null;
  return {
    orderId: o.id,
    locationId: o.location_id,
    externalRef: externalRefOf(o),
    state: o.confirmation_state ?? "new",
    finalOrderJson: (o.final_order_json as ConfirmationStateEvent["finalOrderJson"]) ?? null,
    notes,
    lastUpdated: (o.confirmation_updated_at ?? new Date()).toISOString(),
    lockedAt: o.confirmation_locked_at?.toISOString() ?? null,
  };
}
