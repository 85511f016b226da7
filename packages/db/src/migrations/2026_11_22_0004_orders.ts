import { ConfirmationState, ModifierAction, ORDER_TRANSITIONS, OrderChannel, OrderState, OrderType } from "@orderline/contracts";
import type { Kysely } from "kysely";
import { exec, inList, TIMESTAMPS, updatedAtTrigger } from "./sql-util.ts";

const transitionRows = (): string =>
  Object.entries(ORDER_TRANSITIONS)
    .flatMap(([from, tos]) => tos.map((to) => `('${from}', '${to}')`))
    .join(", ");

/** Customers, orders with lines and modifiers, the status history, and per-day order numbers. */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Validate the enum values once (inList throws on anything odd) before they are spliced into SQL.
  inList(Object.keys(ORDER_TRANSITIONS));
  inList(Object.values(ORDER_TRANSITIONS).flat());
  const states = inList(OrderState.options);
  await exec(
    db,
    `
CREATE TABLE customers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  brand_id uuid NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
  phone text NOT NULL CONSTRAINT customers_phone_e164 CHECK (is_e164(phone)),
  name text,
  rewards_points integer NOT NULL DEFAULT 0 CHECK (rewards_points >= 0),
  sms_opt_out boolean NOT NULL DEFAULT false,
  last_order_id uuid,
  ${TIMESTAMPS},
  CONSTRAINT customers_brand_phone_key UNIQUE (brand_id, phone)
);
CREATE INDEX customers_phone_idx ON customers (phone);

CREATE TABLE orders (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  location_id uuid NOT NULL REFERENCES locations (id) ON DELETE RESTRICT,
  customer_id uuid REFERENCES customers (id) ON DELETE SET NULL,
  channel text NOT NULL CHECK (channel IN (${inList(OrderChannel.options)})),
  call_sid text,
  order_session_id text,
  order_type text NOT NULL CHECK (order_type IN (${inList(OrderType.options)})),
  state text NOT NULL DEFAULT 'draft' CHECK (state IN (${states})),
  idempotency_key text CONSTRAINT orders_idempotency_key_key UNIQUE,
  business_date date,
  order_number integer CHECK (order_number >= 1),
  customer_name text,
  customer_phone text CONSTRAINT orders_customer_phone_e164 CHECK (is_e164(customer_phone)),
  delivery_address_line1 text,
  delivery_address_line2 text,
  delivery_city text,
  delivery_postal_code text,
  delivery_instructions text,
  subtotal_cents integer NOT NULL DEFAULT 0 CHECK (subtotal_cents >= 0),
  discount_cents integer NOT NULL DEFAULT 0 CHECK (discount_cents >= 0),
  tax_cents integer NOT NULL DEFAULT 0 CHECK (tax_cents >= 0),
  delivery_fee_cents integer NOT NULL DEFAULT 0 CHECK (delivery_fee_cents >= 0),
  total_cents integer NOT NULL DEFAULT 0 CHECK (total_cents >= 0),
  points_earned integer NOT NULL DEFAULT 0 CHECK (points_earned >= 0),
  flags jsonb NOT NULL DEFAULT '{}' CONSTRAINT orders_flags_object CHECK (jsonb_typeof(flags) = 'object'),
  notes text,
  confirmation_state text CHECK (confirmation_state IN (${inList(ConfirmationState.options)})),
  confirmation_called_at timestamptz,
  ready_notified_at timestamptz,
  submitted_at timestamptz,
  promised_at timestamptz,
  ready_at timestamptz,
  completed_at timestamptz,
  cancelled_at timestamptz,
  ${TIMESTAMPS},
  CONSTRAINT orders_location_number_key UNIQUE (location_id, business_date, order_number),
  CONSTRAINT orders_total_check CHECK (total_cents = subtotal_cents - discount_cents + tax_cents + delivery_fee_cents),
  CONSTRAINT orders_discount_check CHECK (discount_cents <= subtotal_cents),
  CONSTRAINT orders_number_date_check CHECK ((order_number IS NULL) = (business_date IS NULL)),
  CONSTRAINT orders_submitted_check CHECK (
    state IN ('draft', 'cancelled') OR (submitted_at IS NOT NULL AND order_number IS NOT NULL)
  ),
  CONSTRAINT orders_delivery_address_check CHECK (
    order_type <> 'delivery' OR state IN ('draft', 'cancelled') OR delivery_address_line1 IS NOT NULL
  ),
  CONSTRAINT orders_voice_session_check CHECK (
    channel NOT IN ('voice', 'voice_outbound') OR (call_sid IS NOT NULL AND order_session_id IS NOT NULL)
  )
);
-- One call has at most one draft (the order service keys the call's cart by order_session_id).
CREATE UNIQUE INDEX orders_one_draft_per_session_key ON orders (order_session_id) WHERE state = 'draft';
CREATE UNIQUE INDEX orders_one_draft_per_call_key ON orders (call_sid) WHERE state = 'draft';
CREATE INDEX orders_location_state_idx ON orders (location_id, state, submitted_at);
CREATE INDEX orders_location_created_idx ON orders (location_id, created_at DESC);
CREATE INDEX orders_customer_idx ON orders (customer_id, created_at DESC);
CREATE INDEX orders_call_sid_idx ON orders (call_sid);
CREATE INDEX orders_customer_phone_idx ON orders (customer_phone);
CREATE INDEX orders_confirmation_pending_idx ON orders (confirmation_state, submitted_at) WHERE confirmation_state IN ('new', 'called');

ALTER TABLE customers ADD CONSTRAINT customers_last_order_fkey FOREIGN KEY (last_order_id) REFERENCES orders (id) ON DELETE SET NULL;
CREATE INDEX customers_last_order_idx ON customers (last_order_id);

-- Backstop for the order state machine (contracts ORDER_TRANSITIONS); the order service enforces it first.
CREATE TABLE order_state_transitions (
  from_state text NOT NULL,
  to_state text NOT NULL,
  PRIMARY KEY (from_state, to_state)
);
INSERT INTO order_state_transitions (from_state, to_state) VALUES ${transitionRows()};

CREATE FUNCTION orders_check_state_transition() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.state IS DISTINCT FROM OLD.state
     AND NOT EXISTS (SELECT 1 FROM order_state_transitions t WHERE t.from_state = OLD.state AND t.to_state = NEW.state) THEN
    RAISE EXCEPTION 'order % cannot go from % to %', OLD.id, OLD.state, NEW.state
      USING ERRCODE = 'check_violation', CONSTRAINT = 'orders_state_transition_check', TABLE = 'orders';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER orders_state_transition BEFORE UPDATE OF state ON orders
  FOR EACH ROW EXECUTE FUNCTION orders_check_state_transition();

CREATE TABLE order_items (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  product_id uuid REFERENCES products (id) ON DELETE SET NULL,
  variation_id uuid REFERENCES variations (id) ON DELETE SET NULL,
  product_name text NOT NULL CHECK (btrim(product_name) <> ''),
  size_name text,
  unit_price_cents integer NOT NULL CHECK (unit_price_cents >= 0),
  quantity integer NOT NULL CHECK (quantity BETWEEN 1 AND 999),
  line_total_cents integer NOT NULL CHECK (line_total_cents >= 0),
  notes text,
  position integer NOT NULL DEFAULT 0,
  ${TIMESTAMPS}
);
CREATE INDEX order_items_order_idx ON order_items (order_id, position);
CREATE INDEX order_items_product_idx ON order_items (product_id);
CREATE INDEX order_items_variation_idx ON order_items (variation_id);

CREATE TABLE order_item_modifiers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  order_item_id uuid NOT NULL REFERENCES order_items (id) ON DELETE CASCADE,
  modifier_id uuid REFERENCES modifiers (id) ON DELETE SET NULL,
  modifier_group_name text,
  name text NOT NULL CHECK (btrim(name) <> ''),
  action text NOT NULL CHECK (action IN (${inList(ModifierAction.options)})),
  price_cents integer NOT NULL DEFAULT 0 CHECK (price_cents >= 0),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_item_modifiers_item_idx ON order_item_modifiers (order_item_id);
CREATE INDEX order_item_modifiers_modifier_idx ON order_item_modifiers (modifier_id);

CREATE TABLE order_status_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  from_state text CHECK (from_state IN (${states})),
  to_state text NOT NULL CHECK (to_state IN (${states})),
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL CHECK (btrim(actor) <> ''),
  note text
);
CREATE INDEX order_status_events_order_idx ON order_status_events (order_id, at, id);

CREATE TABLE order_number_counters (
  location_id uuid NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
  business_date date NOT NULL,
  last_number integer NOT NULL CHECK (last_number >= 1),
  PRIMARY KEY (location_id, business_date)
);

-- Next order number of a location for a business date: 1, 2, 3 … Row-locks the counter until the caller's
-- transaction ends, so concurrent submits get distinct numbers and a rolled-back submit frees its number.
CREATE FUNCTION next_order_number(p_location_id uuid, p_business_date date) RETURNS integer LANGUAGE sql VOLATILE
BEGIN ATOMIC
  INSERT INTO order_number_counters AS c (location_id, business_date, last_number)
  VALUES (p_location_id, p_business_date, 1)
  ON CONFLICT (location_id, business_date) DO UPDATE SET last_number = c.last_number + 1
  RETURNING last_number;
END;

${["customers", "orders", "order_items"].map(updatedAtTrigger).join("\n")}
`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await exec(
    db,
    `
DROP FUNCTION IF EXISTS next_order_number(uuid, date);
DROP TABLE IF EXISTS order_number_counters;
DROP TABLE IF EXISTS order_status_events;
DROP TABLE IF EXISTS order_item_modifiers;
DROP TABLE IF EXISTS order_items;
ALTER TABLE IF EXISTS customers DROP CONSTRAINT IF EXISTS customers_last_order_fkey;
DROP TABLE IF EXISTS orders;
DROP FUNCTION IF EXISTS orders_check_state_transition();
DROP TABLE IF EXISTS order_state_transitions;
DROP TABLE IF EXISTS customers;
`,
  );
}
