import type { Kysely } from "kysely";
import { PHONE_NUMBER_PURPOSES } from "../schema.ts";
import { exec, inList, NOT_BLANK, SLUG_CHECK, TIMESTAMPS, updatedAtTrigger } from "./sql-util.ts";

const HOURS_INTERVAL_CHECK = `CHECK (
    (is_closed AND opens_at IS NULL AND closes_at IS NULL)
    OR (NOT is_closed AND opens_at IS NOT NULL AND closes_at IS NOT NULL AND opens_at <> closes_at)
  )`;

/** Brands, locations, opening hours and routed phone numbers. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await exec(
    db,
    `
CREATE TABLE brands (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE ${SLUG_CHECK()},
  name text NOT NULL ${NOT_BLANK("name")},
  ${TIMESTAMPS}
);

CREATE TABLE locations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  brand_id uuid NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
  slug text NOT NULL ${SLUG_CHECK()},
  name text NOT NULL ${NOT_BLANK("name")},
  address_line1 text NOT NULL ${NOT_BLANK("address_line1")},
  address_line2 text,
  city text NOT NULL ${NOT_BLANK("city")},
  region text NOT NULL ${NOT_BLANK("region")},
  postal_code text NOT NULL ${NOT_BLANK("postal_code")},
  country text NOT NULL DEFAULT 'US' CHECK (country ~ '^[A-Z]{2}$'),
  cross_streets text,
  directions_hint text,
  parking_note text,
  timezone text NOT NULL CONSTRAINT locations_timezone_iana CHECK (is_valid_timezone(timezone)),
  tax_rate_ppm integer NOT NULL CHECK (tax_rate_ppm BETWEEN 0 AND 1000000),
  public_phone text NOT NULL CONSTRAINT locations_public_phone_e164 CHECK (is_e164(public_phone)),
  staff_transfer_numbers text[] NOT NULL DEFAULT '{}'
    CONSTRAINT locations_staff_transfer_numbers_e164 CHECK (all_e164(staff_transfer_numbers)),
  delivery_postal_codes text[] NOT NULL DEFAULT '{}'
    CONSTRAINT locations_delivery_postal_codes_not_blank CHECK (array_position(delivery_postal_codes, '') IS NULL),
  delivery_minimum_cents integer NOT NULL DEFAULT 0 CHECK (delivery_minimum_cents >= 0),
  delivery_fee_cents integer NOT NULL DEFAULT 0 CHECK (delivery_fee_cents >= 0),
  default_prep_minutes integer NOT NULL DEFAULT 20 CHECK (default_prep_minutes BETWEEN 1 AND 240),
  delivery_extra_minutes integer NOT NULL DEFAULT 20 CHECK (delivery_extra_minutes BETWEEN 0 AND 240),
  greeting text,
  language text NOT NULL DEFAULT 'en-US' CONSTRAINT locations_language_bcp47 CHECK (language ~ '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$'),
  recording_notice boolean NOT NULL DEFAULT true,
  max_concurrent_calls integer NOT NULL DEFAULT 5 CHECK (max_concurrent_calls BETWEEN 1 AND 1000),
  active boolean NOT NULL DEFAULT true,
  ${TIMESTAMPS},
  UNIQUE (brand_id, slug)
);

CREATE TABLE location_hours (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  location_id uuid NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
  weekday smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  is_closed boolean NOT NULL DEFAULT false,
  opens_at time,
  closes_at time,
  ${TIMESTAMPS},
  CONSTRAINT location_hours_interval_check ${HOURS_INTERVAL_CHECK}
);
-- Several intervals a day are allowed (lunch + dinner); at most one "closed" row, never two intervals opening together.
CREATE UNIQUE INDEX location_hours_open_slot_key ON location_hours (location_id, weekday, opens_at) WHERE NOT is_closed;
CREATE UNIQUE INDEX location_hours_closed_day_key ON location_hours (location_id, weekday) WHERE is_closed;

CREATE TABLE location_hour_exceptions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  location_id uuid NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
  on_date date NOT NULL,
  is_closed boolean NOT NULL,
  opens_at time,
  closes_at time,
  reason text,
  ${TIMESTAMPS},
  CONSTRAINT location_hour_exceptions_interval_check ${HOURS_INTERVAL_CHECK},
  UNIQUE (location_id, on_date)
);

CREATE TABLE phone_numbers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  e164 text NOT NULL UNIQUE CONSTRAINT phone_numbers_e164_format CHECK (is_e164(e164)),
  location_id uuid NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
  purpose text NOT NULL DEFAULT 'main' CHECK (purpose IN (${inList(PHONE_NUMBER_PURPOSES)})),
  label text,
  ${TIMESTAMPS}
);
CREATE INDEX phone_numbers_location_idx ON phone_numbers (location_id);

${["brands", "locations", "location_hours", "location_hour_exceptions", "phone_numbers"].map(updatedAtTrigger).join("\n")}
`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await exec(
    db,
    `
DROP TABLE IF EXISTS phone_numbers;
DROP TABLE IF EXISTS location_hour_exceptions;
DROP TABLE IF EXISTS location_hours;
DROP TABLE IF EXISTS locations;
DROP TABLE IF EXISTS brands;
`,
  );
}
