import { ModifierKind } from "@orderline/contracts";
import type { Kysely } from "kysely";
import { exec, inList, NOT_BLANK, SLUG_CHECK, TIMESTAMPS, updatedAtTrigger } from "./sql-util.ts";

const UPDATED_AT_TABLES = [
  "categories",
  "products",
  "variations",
  "ingredients",
  "modifier_groups",
  "modifiers",
  "ingredient_stock",
  "location_variation_prices",
  "location_product_overrides",
  "specials",
];

/** The menu, modelled like Square's catalog, plus per-location stock, price and sold-out overrides and specials. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await exec(
    db,
    `
CREATE TABLE categories (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  brand_id uuid NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
  slug text NOT NULL ${SLUG_CHECK()},
  name text NOT NULL ${NOT_BLANK("name")},
  description text,
  sort integer NOT NULL DEFAULT 0,
  ${TIMESTAMPS},
  UNIQUE (brand_id, slug)
);

CREATE TABLE products (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  brand_id uuid NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
  category_id uuid NOT NULL REFERENCES categories (id) ON DELETE RESTRICT,
  slug text NOT NULL ${SLUG_CHECK()},
  name text NOT NULL ${NOT_BLANK("name")},
  aliases text[] NOT NULL DEFAULT '{}',
  allergens text[] NOT NULL DEFAULT '{}',
  description text,
  serving_start time,
  serving_end time,
  sort integer NOT NULL DEFAULT 0,
  active boolean NOT NULL DEFAULT true,
  search_text text GENERATED ALWAYS AS (catalog_search_text(name, aliases)) STORED,
  ${TIMESTAMPS},
  UNIQUE (brand_id, slug),
  CONSTRAINT products_serving_window_check CHECK (
    (serving_start IS NULL AND serving_end IS NULL)
    OR (serving_start IS NOT NULL AND serving_end IS NOT NULL AND serving_start <> serving_end)
  )
);
CREATE INDEX products_category_idx ON products (category_id);
CREATE INDEX products_name_trgm_idx ON products USING gin (lower(name) gin_trgm_ops);
CREATE INDEX products_search_text_trgm_idx ON products USING gin (search_text gin_trgm_ops);
CREATE INDEX products_aliases_idx ON products USING gin (aliases);

CREATE TABLE variations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  product_id uuid NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  slug text NOT NULL ${SLUG_CHECK()},
  name text NOT NULL ${NOT_BLANK("name")},
  aliases text[] NOT NULL DEFAULT '{}',
  price_cents integer NOT NULL CHECK (price_cents >= 0),
  sort integer NOT NULL DEFAULT 0,
  is_default boolean NOT NULL DEFAULT false,
  ${TIMESTAMPS},
  UNIQUE (product_id, slug),
  UNIQUE (id, product_id)
);
CREATE UNIQUE INDEX variations_one_default_key ON variations (product_id) WHERE is_default;

CREATE TABLE ingredients (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  brand_id uuid NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
  slug text NOT NULL ${SLUG_CHECK()},
  name text NOT NULL ${NOT_BLANK("name")},
  allergens text[] NOT NULL DEFAULT '{}',
  ${TIMESTAMPS},
  UNIQUE (brand_id, slug)
);

CREATE TABLE modifier_groups (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  brand_id uuid NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
  slug text NOT NULL ${SLUG_CHECK()},
  name text NOT NULL ${NOT_BLANK("name")},
  min_selections integer NOT NULL DEFAULT 0 CHECK (min_selections >= 0),
  max_selections integer NOT NULL CHECK (max_selections >= 1),
  sort integer NOT NULL DEFAULT 0,
  ${TIMESTAMPS},
  UNIQUE (brand_id, slug),
  CONSTRAINT modifier_groups_min_max_check CHECK (min_selections <= max_selections)
);

CREATE TABLE modifiers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  modifier_group_id uuid NOT NULL REFERENCES modifier_groups (id) ON DELETE CASCADE,
  slug text NOT NULL ${SLUG_CHECK()},
  name text NOT NULL ${NOT_BLANK("name")},
  aliases text[] NOT NULL DEFAULT '{}',
  kind text NOT NULL CHECK (kind IN (${inList(ModifierKind.options)})),
  price_cents integer NOT NULL DEFAULT 0 CHECK (price_cents >= 0),
  extra_price_cents integer CHECK (extra_price_cents >= 0),
  ingredient_id uuid REFERENCES ingredients (id) ON DELETE SET NULL,
  is_default boolean NOT NULL DEFAULT false,
  sort integer NOT NULL DEFAULT 0,
  ${TIMESTAMPS},
  UNIQUE (modifier_group_id, slug),
  CONSTRAINT modifiers_removable_free_check CHECK (kind <> 'removable' OR price_cents = 0)
);
CREATE INDEX modifiers_ingredient_idx ON modifiers (ingredient_id);

CREATE TABLE product_modifier_groups (
  product_id uuid NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  modifier_group_id uuid NOT NULL REFERENCES modifier_groups (id) ON DELETE CASCADE,
  sort integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (product_id, modifier_group_id)
);
CREATE INDEX product_modifier_groups_group_idx ON product_modifier_groups (modifier_group_id);

CREATE TABLE ingredient_stock (
  location_id uuid NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
  ingredient_id uuid NOT NULL REFERENCES ingredients (id) ON DELETE CASCADE,
  in_stock boolean NOT NULL DEFAULT true,
  quantity integer CHECK (quantity >= 0),
  ${TIMESTAMPS},
  PRIMARY KEY (location_id, ingredient_id)
);
CREATE INDEX ingredient_stock_ingredient_idx ON ingredient_stock (ingredient_id);
CREATE INDEX ingredient_stock_out_idx ON ingredient_stock (location_id) WHERE NOT in_stock;

CREATE TABLE product_ingredients (
  product_id uuid NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  ingredient_id uuid NOT NULL REFERENCES ingredients (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (product_id, ingredient_id)
);
CREATE INDEX product_ingredients_ingredient_idx ON product_ingredients (ingredient_id);

CREATE TABLE location_variation_prices (
  location_id uuid NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
  variation_id uuid NOT NULL REFERENCES variations (id) ON DELETE CASCADE,
  price_cents integer NOT NULL CHECK (price_cents >= 0),
  ${TIMESTAMPS},
  PRIMARY KEY (location_id, variation_id)
);
CREATE INDEX location_variation_prices_variation_idx ON location_variation_prices (variation_id);

CREATE TABLE location_product_overrides (
  location_id uuid NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
  product_id uuid NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  sold_out boolean NOT NULL DEFAULT false,
  hidden boolean NOT NULL DEFAULT false,
  note text,
  ${TIMESTAMPS},
  PRIMARY KEY (location_id, product_id)
);
CREATE INDEX location_product_overrides_product_idx ON location_product_overrides (product_id);

CREATE TABLE specials (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  brand_id uuid NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
  location_id uuid REFERENCES locations (id) ON DELETE CASCADE,
  slug text NOT NULL ${SLUG_CHECK()},
  name text NOT NULL ${NOT_BLANK("name")},
  description text NOT NULL,
  days_of_week smallint[] NOT NULL CONSTRAINT specials_days_of_week_check
    CHECK (cardinality(days_of_week) >= 1 AND days_of_week <@ '{1,2,3,4,5,6,7}'::smallint[]),
  start_time time,
  end_time time,
  starts_on date,
  ends_on date,
  product_id uuid NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  variation_id uuid,
  special_price_cents integer NOT NULL CHECK (special_price_cents >= 0),
  active boolean NOT NULL DEFAULT true,
  ${TIMESTAMPS},
  UNIQUE (brand_id, slug),
  -- the variation must belong to the product
  CONSTRAINT specials_variation_fkey FOREIGN KEY (variation_id, product_id) REFERENCES variations (id, product_id) ON DELETE CASCADE,
  CONSTRAINT specials_time_window_check CHECK (
    (start_time IS NULL AND end_time IS NULL) OR (start_time IS NOT NULL AND end_time IS NOT NULL AND start_time <> end_time)
  ),
  CONSTRAINT specials_date_range_check CHECK (starts_on IS NULL OR ends_on IS NULL OR starts_on <= ends_on)
);
CREATE INDEX specials_location_idx ON specials (location_id);
CREATE INDEX specials_product_idx ON specials (product_id);

${UPDATED_AT_TABLES.map(updatedAtTrigger).join("\n")}
`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await exec(
    db,
    `
DROP TABLE IF EXISTS specials;
DROP TABLE IF EXISTS location_product_overrides;
DROP TABLE IF EXISTS location_variation_prices;
DROP TABLE IF EXISTS product_ingredients;
DROP TABLE IF EXISTS ingredient_stock;
DROP TABLE IF EXISTS product_modifier_groups;
DROP TABLE IF EXISTS modifiers;
DROP TABLE IF EXISTS modifier_groups;
DROP TABLE IF EXISTS ingredients;
DROP TABLE IF EXISTS variations;
DROP TABLE IF EXISTS products;
DROP TABLE IF EXISTS categories;
`,
  );
}
