import type { ColumnType, Generated } from "kysely";
import type {
  ModifierKind,
} from "@orderline/contracts";
import type { IsoWeekday, PhoneNumberPurpose, Timestamp } from "./schema-columns.ts";

/** Tables of the chain: brands, locations, hours, numbers, the menu, stock, specials, customers. */

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
