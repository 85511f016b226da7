import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";
import type {
  CallDirection,
  CallDisposition,
  CallEventType,
  CallbackCause,
  CallbackState,
  ConfirmationState,
  EscalationReason,
  MenuControlAction,
  ModifierAction,
  ModifierKind,
  OrderChannel,
  OrderState,
  OrderType,
} from "@orderline/contracts";

/**
 * Column conventions (see README-like notes in index.ts):
 * - ids are uuid strings (`gen_random_uuid()`), except event tables which use bigint identities;
 * - money is integer cents (`*_cents`), call costs integer micro-dollars (`*_micros`);
 * - `timestamptz` comes back as `Date`; `date` as `'YYYY-MM-DD'`; `time` as `'HH:MM:SS'` (local time of the location);
 * - `bigint`/`int8` comes back as `number` (the pool refuses values beyond Number.MAX_SAFE_INTEGER);
 * - `jsonb` is read as parsed JSON but must be written as a JSON string (`JSON.stringify(...)`): node-postgres
 *   would turn a JS array into a Postgres array literal, so the write type is `string` on purpose;
 * - weekdays are ISO numbers 1 = Monday … 7 = Sunday (luxon's `DateTime#weekday`).
 */

/** `timestamptz`: read as Date, written as Date or ISO string, defaulted by the database. */
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** Nullable `timestamptz`. */
export type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** `jsonb`: parsed on read, JSON text on write. */
export type Json<T> = ColumnType<T, string, string>;
/** `jsonb` with a database default. */
export type JsonWithDefault<T> = ColumnType<T, string | undefined, string>;
/** Nullable `jsonb`. */
export type NullableJson<T> = ColumnType<T | null, string | null | undefined, string | null>;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** ISO weekday, 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export const PHONE_NUMBER_PURPOSES = ["main", "outbound"] as const;
export type PhoneNumberPurpose = (typeof PHONE_NUMBER_PURPOSES)[number];

/** One turn of a (redacted) call transcript as stored in `voice_calls.transcript`. */
export interface TranscriptTurn {
  role: "caller" | "assistant" | "system" | "staff";
  text: string;
  /** ISO timestamp of the turn, when known. */
  at?: string;
  /** Caller turns: sentiment score of the words (escalation service `assess_turn`, AFINN-165; < 0 negative). */
  sentiment?: number;
}

export interface BrandsTable {
  id: Generated<string>;
  slug: string;
  name: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface LocationsTable {
  id: Generated<string>;
  brand_id: string;
  slug: string;
  name: string;
  address_line1: string;
  address_line2: string | null;
  city: string;
  region: string;
  postal_code: string;
  /** ISO 3166-1 alpha-2. */
  country: Generated<string>;
  cross_streets: string | null;
  directions_hint: string | null;
  parking_note: string | null;
  /** IANA zone, validated by the database (e.g. America/New_York). */
  timezone: string;
  /** Sales tax in parts per million: 88 750 = 8.875 %. */
  tax_rate_ppm: number;
  /** Number the public dials (E.164); routing goes through `phone_numbers`. */
  public_phone: string;
  /**
   * Staff numbers calls are transferred to, in order of preference (E.164). Superseded by
   * `location_staff_lines` (labels, hours, SMS), which the escalation service reads; kept for older readers.
   */
  staff_transfer_numbers: ColumnType<string[], string[] | undefined, string[]>;
  /** Postal codes delivered to; empty = no delivery. */
  delivery_postal_codes: ColumnType<string[], string[] | undefined, string[]>;
  delivery_minimum_cents: Generated<number>;
  delivery_fee_cents: Generated<number>;
  default_prep_minutes: Generated<number>;
  delivery_extra_minutes: Generated<number>;
  greeting: string | null;
  /** BCP-47, e.g. en-US, es-US. */
  language: Generated<string>;
  recording_notice: Generated<boolean>;
  /** Receipt SMS pay-online link, `{orderId}`/`{orderNumber}` substituted; null = no link (https only). */
  pay_online_url_template: string | null;
  /** NEW confirmation orders of this location are called without a trigger (worker sweep). */
  confirmation_auto_call: Generated<boolean>;
  max_concurrent_calls: Generated<number>;
  active: Generated<boolean>;
  /** After an inbound call the worker texts the caller a one-question survey (1–5); the reply is kept in `call_surveys`. */
  sms_survey_enabled: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** How a location converses (no row = the gateway's defaults). */
export interface LocationConversationSettingsTable {
  location_id: string;
  mode: ColumnType<"realtime" | "relay" | "gather", "realtime" | "relay" | "gather" | undefined, "realtime" | "relay" | "gather">;
  text_engine: ColumnType<"openai" | "local", "openai" | "local" | undefined, "openai" | "local">;
  realtime_model: Generated<string>;
  voice: Generated<string>;
  /** BCP-47 language the line starts in; null = the location's. */
  language: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface LocationHoursTable {
  id: Generated<string>;
  location_id: string;
  weekday: IsoWeekday;
  /** True = closed all day (opens_at/closes_at null). */
  is_closed: Generated<boolean>;
  /** Local time 'HH:MM[:SS]'. */
  opens_at: string | null;
  /** Local time; a value <= opens_at means the interval ends after midnight on the next day. */
  closes_at: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface LocationHourExceptionsTable {
  id: Generated<string>;
  location_id: string;
  /** Local calendar date 'YYYY-MM-DD'. */
  on_date: string;
  is_closed: boolean;
  opens_at: string | null;
  closes_at: string | null;
  reason: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PhoneNumbersTable {
  id: Generated<string>;
  e164: string;
  location_id: string;
  purpose: Generated<PhoneNumberPurpose>;
  label: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CategoriesTable {
  id: Generated<string>;
  brand_id: string;
  slug: string;
  name: string;
  description: string | null;
  sort: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ProductsTable {
  id: Generated<string>;
  brand_id: string;
  category_id: string;
  slug: string;
  name: string;
  /** How callers say it ("pep", "margarita"), lower case. */
  aliases: ColumnType<string[], string[] | undefined, string[]>;
  allergens: ColumnType<string[], string[] | undefined, string[]>;
  description: string | null;
  /** Optional serving window (local times), both set or both null, e.g. lunch 11:00–15:00. */
  serving_start: string | null;
  serving_end: string | null;
  sort: Generated<number>;
  /** Chain-wide switch; location-level sold-out lives in location_product_overrides. */
  active: Generated<boolean>;
  /** Generated: lower(name + aliases), trigram-indexed for spoken-name matching (`search_text % $1`). */
  search_text: ColumnType<string, never, never>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface VariationsTable {
  id: Generated<string>;
  product_id: string;
  slug: string;
  /** Size name ("Small", "Large", "20 oz"); a product with a single variation has no size to ask. */
  name: string;
  aliases: ColumnType<string[], string[] | undefined, string[]>;
  price_cents: number;
  sort: Generated<number>;
  is_default: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ModifierGroupsTable {
  id: Generated<string>;
  brand_id: string;
  slug: string;
  name: string;
  min_selections: Generated<number>;
  max_selections: number;
  sort: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ModifiersTable {
  id: Generated<string>;
  modifier_group_id: string;
  slug: string;
  name: string;
  aliases: ColumnType<string[], string[] | undefined, string[]>;
  kind: ModifierKind;
  /** Price of adding it (addon) — removables are 0. */
  price_cents: Generated<number>;
  /** Price of "extra …"; null = "extra" not offered. */
  extra_price_cents: number | null;
  /** Ingredient this modifier consumes (out of stock ⇒ modifier unavailable). */
  ingredient_id: string | null;
  /** Pre-selected (e.g. the default crust). */
  is_default: Generated<boolean>;
  sort: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ProductModifierGroupsTable {
  product_id: string;
  modifier_group_id: string;
  sort: Generated<number>;
  created_at: Timestamp;
}

export interface IngredientsTable {
  id: Generated<string>;
  brand_id: string;
  slug: string;
  name: string;
  allergens: ColumnType<string[], string[] | undefined, string[]>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Stock of an ingredient at one location. No row = in stock, not counted. */
export interface IngredientStockTable {
  location_id: string;
  ingredient_id: string;
  in_stock: Generated<boolean>;
  /** Units on hand when counted (submitted orders count it down; 0 = out, like in_stock false); null = not tracked. */
  quantity: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ProductIngredientsTable {
  product_id: string;
  ingredient_id: string;
  created_at: Timestamp;
}

/** Per-location price of a variation (replaces variations.price_cents there). */
export interface LocationVariationPricesTable {
  location_id: string;
  variation_id: string;
  price_cents: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Per-location product state: sold out for now, or not sold at all at this location. */
export interface LocationProductOverridesTable {
  location_id: string;
  product_id: string;
  sold_out: Generated<boolean>;
  /** Not on this location's menu at all. */
  hidden: Generated<boolean>;
  note: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SpecialsTable {
  id: Generated<string>;
  brand_id: string;
  /** null = every location of the brand. */
  location_id: string | null;
  slug: string;
  name: string;
  description: string;
  /** ISO weekdays the special runs on (1 = Monday). */
  days_of_week: ColumnType<IsoWeekday[], IsoWeekday[], IsoWeekday[]>;
  /** Local start/end time, both null = all day. */
  start_time: string | null;
  end_time: string | null;
  /** Optional validity range (local dates, inclusive). */
  starts_on: string | null;
  ends_on: string | null;
  product_id: string;
  /** null = every variation of the product. */
  variation_id: string | null;
  special_price_cents: number;
  active: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CustomersTable {
  id: Generated<string>;
  brand_id: string;
  phone: string;
  name: string | null;
  rewards_points: Generated<number>;
  sms_opt_out: Generated<boolean>;
  last_order_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

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
export interface LocationStaffLinesTable {
  id: Generated<string>;
  location_id: string;
  priority: number;
  /** E.164; only ever dialled from here, never from what a caller or the model says. */
  e164: string;
  /** Told to no one but staff and logs, e.g. "Manager on duty". */
  label: string;
  /** Callback requests are texted to the first active line that receives SMS. */
  receives_sms: Generated<boolean>;
  active: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** When a staff line answers (local times of the location); a line without rows follows the location's hours. */
export interface StaffLineHoursTable {
  id: Generated<string>;
  staff_line_id: string;
  weekday: IsoWeekday;
  /** Local 'HH:MM[:SS]'; closes_at <= opens_at runs past midnight. */
  opens_at: string;
  closes_at: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** What staff are told about the order when a caller is handed over (callback_requests.order_so_far). */
export interface OrderSoFarJson {
  orderId: string;
  orderNumber: number | null;
  state: string;
  orderType: string;
  lines: { quantity: number; name: string; size: string | null; modifiers: string[] }[];
  itemCount: number;
  totalCents: number;
  largeOrder: boolean;
}

/** A caller nobody could take: staff call them back. One per call. */
export interface CallbackRequestsTable {
  id: Generated<string>;
  location_id: string;
  call_sid: string;
  call_id: string | null;
  /** E.164 caller ID; null when withheld or invalid. */
  caller_phone: string | null;
  reason: EscalationReason;
  summary: string;
  order_id: string | null;
  order_so_far: NullableJson<OrderSoFarJson>;
  cause: CallbackCause;
  /** When the caller was told to expect the call. */
  expected_by: NullableTimestamp;
  state: Generated<CallbackState>;
  /** Staff line the SMS went to. */
  notified_to: string | null;
  sms_sid: string | null;
  /** Why staff could not be notified (no line, Twilio error). */
  notify_error: string | null;
  done_at: NullableTimestamp;
  done_by: string | null;
  note: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type EscalationState = "dialing" | "connected" | "callback" | "caller_hung_up";

/** One per call: the transfer decided for it, its dial plan and where it stands. */
export interface EscalationsTable {
  id: Generated<string>;
  call_sid: string;
  call_id: string | null;
  location_id: string;
  reason: EscalationReason;
  /** Free text beside the fixed reason (the model's `detail`). */
  reason_detail: string | null;
  /** Cut to 500 characters. */
  summary: string;
  caller_phone: string | null;
  order_id: string | null;
  /** Staff numbers available when decided, in the order they are tried. */
  targets: JsonWithDefault<{ number: string; label: string }[]>;
  /** Index into targets of the number being (or last) dialled. */
  attempt: Generated<number>;
  state: EscalationState;
  /** The last decision handed to the gateway (a repeated request gets it again). */
  decision: Json<JsonObject>;
  callback_request_id: string | null;
  answered_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Who 86'd what and when: staff menu-control changes, and counted ingredients an order brought to zero. */
export interface MenuControlEventsTable {
  id: Generated<number>;
  location_id: string;
  action: MenuControlAction;
  product_id: string | null;
  ingredient_id: string | null;
  /** The item's or ingredient's name at the time. */
  subject_name: string;
  quantity_before: number | null;
  quantity_after: number | null;
  /** The order whose consumption brought a count to zero (ingredient_counted_out). */
  order_id: string | null;
  /** The staff user's id, or "order-service". */
  actor: string;
  note: string | null;
  at: Timestamp;
}

/** A status of the confirmation sheet's `status` column: a confirmation state in upper case (docs/SHEETS.md). */
export type SheetStatus = Uppercase<ConfirmationState>;

/** Which Google Sheet tab holds a location's orders to confirm (docs/SHEETS.md); the key only by reference. */
export interface LocationSheetsTable {
  location_id: string;
  /** The id in the sheet's URL. */
  spreadsheet_id: string;
  /** The tab's title. */
  sheet_name: ColumnType<string, string | undefined, string>;
  /** Where the service account's key is: `env:NAME` (an environment variable holding the key file's JSON) or `file:/path`. */
  credentials_ref: string;
  /** The Sheets API's root URL; null = Google's (set only for the emulator). */
  root_url: string | null;
  active: Generated<boolean>;
  /** The last run that read the sheet, and why the last one failed (null after a good run). */
  last_synced_at: NullableTimestamp;
  last_error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** The Google Sheets mirror's pending set: the newest state per sheet row and what has been written. */
export interface SheetWritebacksTable {
  /** The adapter's key of one spreadsheet tab (`<spreadsheet id>/<tab title>`). */
  sheet_id: string;
  /** The row's `id` cell. */
  row_id: string;
  state: SheetStatus;
  /** The final order as JSON text (an object), exactly as it goes on the sheet. */
  final_order_json: string | null;
  notes: string | null;
  locked_at: NullableTimestamp;
  last_updated: Timestamp;
  /** Bumped for every newer state; the row is pending while version > written_version. */
  version: Generated<number>;
  written_version: Generated<number>;
  /** The status cell as last written (null: never written, so the row still says NEW). */
  written_status: SheetStatus | null;
  /** Why the last write-back only left a note (a person changed the status, the row is gone). */
  conflict: string | null;
  /** Failed write attempts since the last success. */
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  last_error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export const DASHBOARD_ROLES = ["manager", "staff"] as const;
/** manager: every location of the user's brand; staff: the locations in `dashboard_user_locations`. */
export type DashboardRole = (typeof DASHBOARD_ROLES)[number];

export interface DashboardUsersTable {
  id: Generated<string>;
  brand_id: string;
  /** Lower case, trimmed; the login name. */
  email: string;
  display_name: string;
  role: DashboardRole;
  /** `scrypt$N$r$p$salt$key` (base64 salt and key). */
  password_hash: string;
  active: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DashboardUserLocationsTable {
  user_id: string;
  location_id: string;
  created_at: Timestamp;
}

/** A signed-in browser. The cookie holds a random token; only its SHA-256 (hex) is stored. */
export interface DashboardSessionsTable {
  token_hash: string;
  user_id: string;
  /** Synchronizer token every state-changing request must echo in `X-CSRF-Token`. */
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
}

export const CALL_SURVEY_STATES = ["sending", "sent", "failed", "unconfirmed"] as const;
/** sending: written before Twilio is asked; sent: accepted; failed: refused; unconfirmed: the worker stopped in between. */
export type CallSurveyState = (typeof CALL_SURVEY_STATES)[number];

/** The one-question SMS survey after an inbound call (one per call), and the caller's 1–5 reply. */
export interface CallSurveysTable {
  id: Generated<string>;
  call_id: string;
  location_id: string;
  /** The caller (E.164). */
  to_phone: string;
  /** The location's number the survey was sent from (replies come back to it). */
  from_phone: string;
  state: CallSurveyState;
  sms_sid: string | null;
  detail: string | null;
  score: number | null;
  replied_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Who may trigger confirmation calls (`POST /orders/call`): an API key, stored only as its SHA-256. */
export interface ConfirmationIntegrationsTable {
  id: Generated<string>;
  brand_id: string;
  /** null: every location of the brand. */
  location_id: string | null;
  name: string;
  key_sha256: string;
  /** The sheet a bare `row_id` refers to. */
  sheet_id: string | null;
  active: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface Database {
  confirmation_integrations: ConfirmationIntegrationsTable;
  location_conversation_settings: LocationConversationSettingsTable;
  brands: BrandsTable;
  locations: LocationsTable;
  location_hours: LocationHoursTable;
  location_hour_exceptions: LocationHourExceptionsTable;
  phone_numbers: PhoneNumbersTable;
  categories: CategoriesTable;
  products: ProductsTable;
  variations: VariationsTable;
  modifier_groups: ModifierGroupsTable;
  modifiers: ModifiersTable;
  product_modifier_groups: ProductModifierGroupsTable;
  ingredients: IngredientsTable;
  ingredient_stock: IngredientStockTable;
  product_ingredients: ProductIngredientsTable;
  location_variation_prices: LocationVariationPricesTable;
  location_product_overrides: LocationProductOverridesTable;
  specials: SpecialsTable;
  customers: CustomersTable;
  orders: OrdersTable;
  order_items: OrderItemsTable;
  order_item_modifiers: OrderItemModifiersTable;
  order_status_events: OrderStatusEventsTable;
  order_number_counters: OrderNumberCountersTable;
  voice_calls: VoiceCallsTable;
  voice_call_events: VoiceCallEventsTable;
  order_notifications: OrderNotificationsTable;
  tool_requests: ToolRequestsTable;
  location_staff_lines: LocationStaffLinesTable;
  staff_line_hours: StaffLineHoursTable;
  callback_requests: CallbackRequestsTable;
  escalations: EscalationsTable;
  menu_control_events: MenuControlEventsTable;
  sheet_writebacks: SheetWritebacksTable;
  location_sheets: LocationSheetsTable;
  dashboard_users: DashboardUsersTable;
  dashboard_user_locations: DashboardUserLocationsTable;
  dashboard_sessions: DashboardSessionsTable;
  call_surveys: CallSurveysTable;
}

export type TableName = keyof Database;

export type Brand = Selectable<BrandsTable>;
export type Location = Selectable<LocationsTable>;
export type NewLocation = Insertable<LocationsTable>;
export type LocationHours = Selectable<LocationHoursTable>;
export type LocationHourException = Selectable<LocationHourExceptionsTable>;
export type PhoneNumber = Selectable<PhoneNumbersTable>;
export type Category = Selectable<CategoriesTable>;
export type Product = Selectable<ProductsTable>;
export type Variation = Selectable<VariationsTable>;
export type ModifierGroup = Selectable<ModifierGroupsTable>;
export type Modifier = Selectable<ModifiersTable>;
export type Ingredient = Selectable<IngredientsTable>;
export type IngredientStock = Selectable<IngredientStockTable>;
export type Special = Selectable<SpecialsTable>;
export type Customer = Selectable<CustomersTable>;
export type Order = Selectable<OrdersTable>;
export type NewOrder = Insertable<OrdersTable>;
export type OrderUpdate = Updateable<OrdersTable>;
export type OrderItem = Selectable<OrderItemsTable>;
export type NewOrderItem = Insertable<OrderItemsTable>;
export type OrderItemModifier = Selectable<OrderItemModifiersTable>;
export type NewOrderItemModifier = Insertable<OrderItemModifiersTable>;
export type OrderStatusEvent = Selectable<OrderStatusEventsTable>;
export type VoiceCall = Selectable<VoiceCallsTable>;
export type NewVoiceCall = Insertable<VoiceCallsTable>;
export type VoiceCallUpdate = Updateable<VoiceCallsTable>;
export type VoiceCallEvent = Selectable<VoiceCallEventsTable>;
export type LocationStaffLine = Selectable<LocationStaffLinesTable>;
export type StaffLineHours = Selectable<StaffLineHoursTable>;
export type CallbackRequest = Selectable<CallbackRequestsTable>;
export type Escalation = Selectable<EscalationsTable>;
export type MenuControlEvent = Selectable<MenuControlEventsTable>;
export type NewVoiceCallEvent = Insertable<VoiceCallEventsTable>;
export type OrderNotification = Selectable<OrderNotificationsTable>;
export type DashboardUser = Selectable<DashboardUsersTable>;
export type CallSurvey = Selectable<CallSurveysTable>;
export type ConfirmationIntegration = Selectable<ConfirmationIntegrationsTable>;
export type LocationSheet = Selectable<LocationSheetsTable>;
