import type { ColumnType, Generated } from "kysely";
import type {
  CallDirection,
  CallDisposition,
  CallEventType,
  ConfirmationState,
  EscalationReason,
  ModifierAction,
  OrderChannel,
  OrderState,
  OrderType,
} from "@orderline/contracts";
import type { Json, JsonObject, JsonWithDefault, JsonValue, NullableJson, NullableTimestamp, Timestamp, TranscriptTurn } from "./schema-columns.ts";

/** Tables of orders, calls and what the worker records about them. */

export interface OrdersTable {
  id: Generated<string>;
  location_id: string;
  customer_id: string | null;
  channel: OrderChannel;
  call_sid: string | null;
  order_session_id: string | null;
  order_type: OrderType;
  state: Generated<OrderState>;
  /** Set at submit (call + attempt); UNIQUE. */
  idempotency_key: string | null;
  /** Local date of the location the order number belongs to (set at submit). */
  business_date: string | null;
  /** Per location per business date, from `next_order_number(location_id, business_date)`. */
  order_number: number | null;
  customer_name: string | null;
  customer_phone: string | null;
  delivery_address_line1: string | null;
  delivery_address_line2: string | null;
  delivery_city: string | null;
  delivery_postal_code: string | null;
  delivery_instructions: string | null;
  subtotal_cents: Generated<number>;
  discount_cents: Generated<number>;
  tax_cents: Generated<number>;
  delivery_fee_cents: Generated<number>;
  /** Always subtotal − discount + tax + delivery fee (CHECK). */
  total_cents: Generated<number>;
  points_earned: Generated<number>;
  flags: JsonWithDefault<JsonObject>;
  notes: string | null;
  confirmation_state: ConfirmationState | null;
  confirmation_called_at: NullableTimestamp;
  /** Set exactly while CALLED (taken with CALLED in one statement that checks NEW and no lock). */
  confirmation_locked_at: NullableTimestamp;
  /** The sheet's `last_updated`: every confirmation state change. */
  confirmation_updated_at: NullableTimestamp;
  /** contracts `FinalOrder` once CONFIRMED / UPDATED / CANCELLED. */
  final_order_json: NullableJson<JsonObject>;
  confirmation_notes: string | null;
  /** Why the call FAILED (no answer, busy, voicemail, error). */
  confirmation_failure: string | null;
  confirmation_call_sid: string | null;
  confirmation_attempts: Generated<number>;
  /** Parts of the order text that matched no menu item (asked about on the call). */
  confirmation_unmatched: ColumnType<string[], string[] | undefined, string[]>;
  /** The lines as taken in (variation, quantity, modifiers, notes): a change on the call makes it "modify". */
  confirmation_original: NullableJson<JsonValue>;
  /** contracts `ExternalRef` (all three or none; UNIQUE together). */
  external_source: string | null;
  external_sheet_id: string | null;
  external_row_id: string | null;
  ready_notified_at: NullableTimestamp;
  /** How the order-ready call ended (null: none yet); `ready_call_detail` says why when it did not reach anyone. */
  ready_call_outcome: ReadyCallOutcome | null;
  ready_call_detail: string | null;
  submitted_at: NullableTimestamp;
  promised_at: NullableTimestamp;
  ready_at: NullableTimestamp;
  completed_at: NullableTimestamp;
  cancelled_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface OrderItemsTable {
  id: Generated<string>;
  order_id: string;
  product_id: string | null;
  variation_id: string | null;
  /** Snapshots taken when the line was added. */
  product_name: string;
  size_name: string | null;
  /** Variation price (after overrides/specials) plus modifier prices, per unit. */
  unit_price_cents: number;
  quantity: number;
  line_total_cents: number;
  notes: string | null;
  position: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface OrderItemModifiersTable {
  id: Generated<string>;
  order_item_id: string;
  modifier_id: string | null;
  modifier_group_name: string | null;
  name: string;
  action: ModifierAction;
  price_cents: Generated<number>;
  created_at: Timestamp;
}

export interface OrderStatusEventsTable {
  id: Generated<number>;
  order_id: string;
  from_state: OrderState | null;
  to_state: OrderState;
  at: Timestamp;
  /** Who did it: "order-service", "staff:<name>", "worker", … */
  actor: string;
  note: string | null;
}

export interface OrderNumberCountersTable {
  location_id: string;
  business_date: string;
  last_number: number;
}

export interface VoiceCallsTable {
  id: Generated<string>;
  call_sid: string;
  location_id: string | null;
  direction: CallDirection;
  /** Caller ID as Twilio sent it (may be "anonymous"), not validated. */
  phone_from: string | null;
  phone_to: string | null;
  started_at: Timestamp;
  ended_at: NullableTimestamp;
  duration_seconds: number | null;
  disposition: Generated<CallDisposition>;
  escalation_reason: EscalationReason | null;
  transferred_to: string | null;
  order_id: string | null;
  /** Redacted transcript. */
  transcript: NullableJson<TranscriptTurn[]>;
  summary: string | null;
  /** Costs in integer micro-dollars (1 USD = 1 000 000). */
  telephony_cost_micros: number | null;
  ai_cost_micros: number | null;
  total_cost_micros: number | null;
  /** Token/audio usage as reported (free form). */
  usage: JsonWithDefault<JsonObject>;
  /** Set once by the worker when the call's record (transcript, events, cost) is stored. */
  finalized_at: NullableTimestamp;
  end_reason: string | null;
  /** Every order submitted on the call, in order (`order_id` is the last). */
  order_ids: ColumnType<string[], string[] | undefined, string[]>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export const NOTIFICATION_KINDS = ["ready_call", "receipt_sms", "confirmation_call"] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
/**
 * dialling/sending: written before Twilio is asked; placed/sent: Twilio accepted it; then the call's end:
 * answered (a person), voicemail, busy, no_answer, failed, canceled; unconfirmed: the worker stopped between
 * writing "dialling" and hearing back, so whether the call went out is unknown (it is never dialled again).
 */
export const NOTIFICATION_STATES = ["dialling", "placed", "sending", "sent", "answered", "voicemail", "busy", "no_answer", "failed", "canceled", "unconfirmed"] as const;
export type NotificationState = (typeof NOTIFICATION_STATES)[number];
export const READY_CALL_OUTCOMES = ["answered", "voicemail", "unreachable", "opted_out", "invalid_phone", "unconfirmed"] as const;
export type ReadyCallOutcome = (typeof READY_CALL_OUTCOMES)[number];

/** One outbound notification attempt of an order (order-ready call or receipt SMS). */
export interface OrderNotificationsTable {
  id: Generated<string>;
  order_id: string;
  kind: NotificationKind;
  attempt: number;
  state: NotificationState;
  to_phone: string;
  from_phone: string;
  /** Twilio CallSid / MessageSid once Twilio accepted the request. */
  provider_sid: string | null;
  /** AMD result (human, machine_end_beep, …). */
  answered_by: string | null;
  detail: string | null;
  duration_seconds: number | null;
  cost_micros: number | null;
  finished_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface VoiceCallEventsTable {
  id: Generated<number>;
  call_id: string;
  event_type: CallEventType;
  event_data: JsonWithDefault<JsonObject>;
  timestamp: Timestamp;
}

/** Order service: reply of an applied mutating tool request, so a retried requestId is not applied twice. */
export interface ToolRequestsTable {
  call_sid: string;
  /** The Realtime function call_id (or `submit:<attempt>`). */
  request_id: string;
  tool: string;
  order_id: string | null;
  reply: Json<unknown>;
  created_at: Timestamp;
}

/** A number a location's calls are transferred to, tried in `priority` order (0 first). */
