import type { Kysely } from "kysely";
import { exec, inList, NOT_BLANK } from "./sql-util.ts";

// Literal list (not read from @orderline/contracts): a shipped migration must mean the same thing forever.
const ACTIONS = [
  "item_sold_out",
  "item_back",
  "ingredient_out",
  "ingredient_back",
  "ingredient_count_set",
  "ingredient_count_adjusted",
  "ingredient_counted_out",
];

/**
 * Staff menu control. `menu_control_events` records who 86'd what and when (staff changes through the menu
 * service, and a counted ingredient reaching zero through an order). Ingredient counts now go down with every
 * submitted order, so an UPDATE of `ingredient_stock` notifies `catalog_changed` only when availability can
 * have changed (`in_stock` flipped, or the count reached or left zero): menu snapshots carry availability,
 * never counts, and a plain decrement must not drop every replica's snapshot.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await exec(
    db,
    `
CREATE TABLE menu_control_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  location_id uuid NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
  action text NOT NULL CHECK (action IN (${inList(ACTIONS)})),
  product_id uuid REFERENCES products (id) ON DELETE SET NULL,
  ingredient_id uuid REFERENCES ingredients (id) ON DELETE SET NULL,
  -- The item's or ingredient's name when it happened (kept if the row is deleted later).
  subject_name text NOT NULL ${NOT_BLANK("subject_name")},
  quantity_before integer,
  quantity_after integer,
  order_id uuid REFERENCES orders (id) ON DELETE SET NULL,
  actor text NOT NULL ${NOT_BLANK("actor")},
  note text,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX menu_control_events_location_idx ON menu_control_events (location_id, at DESC);

DROP TRIGGER ingredient_stock_catalog_changed ON ingredient_stock;
CREATE TRIGGER ingredient_stock_catalog_changed AFTER INSERT OR DELETE ON ingredient_stock
  FOR EACH ROW EXECUTE FUNCTION notify_catalog_changed('location_id');
CREATE TRIGGER ingredient_stock_availability_changed AFTER UPDATE ON ingredient_stock
  FOR EACH ROW WHEN (
    OLD.in_stock IS DISTINCT FROM NEW.in_stock
    OR (OLD.quantity = 0) IS DISTINCT FROM (NEW.quantity = 0)
    OR OLD.location_id IS DISTINCT FROM NEW.location_id
    OR OLD.ingredient_id IS DISTINCT FROM NEW.ingredient_id
  ) EXECUTE FUNCTION notify_catalog_changed('location_id');
`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await exec(
    db,
    `
DROP TRIGGER IF EXISTS ingredient_stock_availability_changed ON ingredient_stock;
DROP TRIGGER IF EXISTS ingredient_stock_catalog_changed ON ingredient_stock;
CREATE TRIGGER ingredient_stock_catalog_changed AFTER INSERT OR UPDATE OR DELETE ON ingredient_stock
  FOR EACH ROW EXECUTE FUNCTION notify_catalog_changed('location_id');
DROP TABLE IF EXISTS menu_control_events;
`,
  );
}
