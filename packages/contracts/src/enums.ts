import { z } from "zod";

/** How the customer gets the food. */
export const OrderType = z.enum(["pickup", "delivery"]);
export type OrderType = z.infer<typeof OrderType>;

/** Order state machine: draft → submitted → in_progress → ready → completed, or cancelled from any open state. */
export const OrderState = z.enum(["draft", "submitted", "in_progress", "ready", "completed", "cancelled"]);
export type OrderState = z.infer<typeof OrderState>;

/** Allowed transitions of the order state machine (the order service enforces them). */
export const ORDER_TRANSITIONS: Readonly<Record<OrderState, readonly OrderState[]>> = {
  draft: ["submitted", "cancelled"],
  submitted: ["in_progress", "ready", "cancelled"],
  in_progress: ["ready", "cancelled"],
  ready: ["completed", "cancelled"],
  completed: [],
  cancelled: [],
};

/** States in which an order is in the kitchen's queue (used for wait-time estimates). */
export const OPEN_KITCHEN_STATES: readonly OrderState[] = ["submitted", "in_progress"];

/** Where an order came from. */
export const OrderChannel = z.enum(["voice", "voice_outbound", "web", "staff", "sheet"]);
export type OrderChannel = z.infer<typeof OrderChannel>;

/** How a modifier applies to a line: added, removed ("no onions") or doubled ("extra cheese"). */
export const ModifierAction = z.enum(["add", "no", "extra"]);
export type ModifierAction = z.infer<typeof ModifierAction>;

/** Whether a modifier is an add-on choice or a removable ingredient of the product. */
export const ModifierKind = z.enum(["addon", "removable"]);
export type ModifierKind = z.infer<typeof ModifierKind>;

/** Final disposition of a voice call. */
export const CallDisposition = z.enum(["in_progress", "completed", "transferred", "abandoned", "failed", "rejected"]);
export type CallDisposition = z.infer<typeof CallDisposition>;

/** Why a caller was handed to staff (seed escalation triggers + technical failure). */
export const EscalationReason = z.enum([
  "caller_request",
  "complaint",
  "large_order",
  "unanswered_question",
  "payment_or_refund",
  "allergy_confirmation",
  "technical_failure",
  "other",
]);
export type EscalationReason = z.infer<typeof EscalationReason>;

/** Direction of a call. */
export const CallDirection = z.enum(["inbound", "outbound"]);
export type CallDirection = z.infer<typeof CallDirection>;

/**
 * Outbound order-confirmation call state (never dialled twice: NEW → CALLED under a lock; then CONFIRMED, UPDATED
 * or CANCELLED by the customer on the call, or FAILED — no answer, busy, voicemail, error — retried only on request).
 */
export const ConfirmationState = z.enum(["new", "called", "confirmed", "updated", "cancelled", "failed"]);
export type ConfirmationState = z.infer<typeof ConfirmationState>;

/** Kinds of events recorded for a call (voice_call_events.event_type). */
export const CallEventType = z.enum([
  "call_started",
  "stream_started",
  "stream_resumed",
  "tool_call",
  "tool_error",
  "barge_in",
  "transfer",
  "realtime_error",
  "error",
  "call_ended",
  /** The call moved to another transport or engine (Realtime → relay/gather, text model → local agent). */
  "fallback",
  /** A conversation engine failed (text model stream error, stall, unknown tool) without ending the call. */
  "engine_error",
  /** The caller was asked again (empty or unclear speech). */
  "reprompt",
  /** An escalation decision (trigger, reason, staff numbers chosen) before the transfer is carried out. */
  "escalation",
  /** Nobody could take the call: a callback request was stored. */
  "callback_requested",
]);
export type CallEventType = z.infer<typeof CallEventType>;

export const DayOfWeek = z.enum(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]);
export type DayOfWeek = z.infer<typeof DayOfWeek>;
