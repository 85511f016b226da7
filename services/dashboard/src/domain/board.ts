import type { BoardRow } from "../repositories/orders.ts";
import { maskPhone } from "./phone.ts";

/** Columns of the order board, in kitchen order. */
export const BOARD_STATES = ["submitted", "in_progress", "ready", "completed", "cancelled"] as const;

/** One order as the board shows it (caller number masked unless the viewer is staff of its location). */
export function boardOrderView(o: BoardRow, fullPhone: boolean) {
  return {
    id: o.id,
    locationId: o.location_id,
    orderNumber: o.order_number,
    state: o.state,
    channel: o.channel,
    orderType: o.order_type,
    customerName: o.customer_name,
    customerPhone: fullPhone ? o.customer_phone : maskPhone(o.customer_phone),
    totalCents: o.total_cents,
    businessDate: o.business_date,
    submittedAt: o.submitted_at?.toISOString() ?? null,
    promisedAt: o.promised_at?.toISOString() ?? null,
    readyAt: o.ready_at?.toISOString() ?? null,
    readyCallOutcome: o.ready_call_outcome,
    lines: o.lines,
  };
}
export type BoardOrderView = ReturnType<typeof boardOrderView>;
