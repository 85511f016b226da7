import { ORDER_TRANSITIONS, type OrderState } from "@orderline/contracts";

export function canTransition(from: OrderState, to: OrderState): boolean {
  return ORDER_TRANSITIONS[from].includes(to);
}

/** Timestamp column an order gets when it enters a state. */
export function stateTimestampColumn(to: OrderState): "submitted_at" | "ready_at" | "completed_at" | "cancelled_at" | null {
  switch (to) {
    case "submitted":
      return "submitted_at";
    case "ready":
      return "ready_at";
    case "completed":
      return "completed_at";
    case "cancelled":
      return "cancelled_at";
    default:
      return null;
  }
}
