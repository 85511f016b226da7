import type { ColumnType, Generated } from "kysely";
import type {
  CallbackCause,
  CallbackState,
  ConfirmationState,
  EscalationReason,
  MenuControlAction,
} from "@orderline/contracts";
import type { IsoWeekday, Json, JsonObject, JsonWithDefault, NullableJson, NullableTimestamp, Timestamp } from "./schema-columns.ts";

/** Tables of staff-facing features: transfers and callbacks, menu control, sheets, the dashboard, surveys, integrations. */

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
