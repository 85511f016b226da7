import type { ModifierAction, OrderState, OrderType } from "@orderline/contracts";
import type { Database, JsonObject, Location, Order } from "@orderline/db";
import { type Kysely, sql } from "kysely";

/** A Kysely instance or a transaction on it. */
export type Db = Kysely<Database>;

export type LocationRow = Pick<
  Location,
  | "id"
  | "brand_id"
  | "name"
  | "timezone"
  | "tax_rate_bps"
  | "delivery_postal_codes"
  | "delivery_minimum_cents"
  | "delivery_fee_cents"
  | "default_prep_minutes"
  | "delivery_extra_minutes"
  | "active"
>;

export async function findLocation(db: Db, locationId: string): Promise<LocationRow | undefined> {
  return db
    .selectFrom("locations")
    .select([
      "id",
      "brand_id",
      "name",
      "timezone",
      "tax_rate_bps",
      "delivery_postal_codes",
      "delivery_minimum_cents",
      "delivery_fee_cents",
      "default_prep_minutes",
      "delivery_extra_minutes",
      "active",
    ])
    .where("id", "=", locationId)
    .executeTakeFirst();
}

export interface CallScope {
  locationId: string;
  callSid: string;
  orderSessionId: string;
}

/** The call's open draft, row-locked when `forUpdate` (serializes every mutation of one cart). */
export async function findDraft(db: Db, scope: CallScope, opts: { forUpdate?: boolean } = {}): Promise<Order | undefined> {
  let q = db
    .selectFrom("orders")
    .selectAll()
    .where("location_id", "=", scope.locationId)
    .where("call_sid", "=", scope.callSid)
    .where("order_session_id", "=", scope.orderSessionId)
    .where("state", "=", "draft");
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** The most recent non-draft order of this call at this location (to say "already placed"). */
export async function findLatestPlacedOrder(db: Db, scope: CallScope): Promise<Pick<Order, "id" | "order_number" | "state"> | undefined> {
  return db
    .selectFrom("orders")
    .select(["id", "order_number", "state"])
    .where("location_id", "=", scope.locationId)
    .where("call_sid", "=", scope.callSid)
    .where("order_session_id", "=", scope.orderSessionId)
    .where("state", "<>", "draft")
    .orderBy("created_at", "desc")
    .limit(1)
    .executeTakeFirst();
}

/** Inserts the call's draft unless one exists (the partial unique indexes make concurrent starts converge). */
export async function insertDraftIfAbsent(
  db: Db,
  scope: CallScope & { orderType: OrderType; customerPhone: string | null; customerId: string | null; now: Date },
): Promise<boolean> {
  const inserted = await db
    .insertInto("orders")
    .values({
      location_id: scope.locationId,
      channel: "voice",
      call_sid: scope.callSid,
      order_session_id: scope.orderSessionId,
      order_type: scope.orderType,
      customer_phone: scope.customerPhone,
      customer_id: scope.customerId,
      created_at: scope.now,
      updated_at: scope.now,
    })
    // Any unique conflict (this session's or this call's draft already exists) leaves the existing draft alone.
    .onConflict((oc) => oc.doNothing())
    .returning("id")
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function findOrderByIdempotencyKey(db: Db, key: string): Promise<Order | undefined> {
  return db.selectFrom("orders").selectAll().where("idempotency_key", "=", key).executeTakeFirst();
}

export async function findOrder(db: Db, orderId: string, opts: { forUpdate?: boolean } = {}): Promise<Order | undefined> {
  let q = db.selectFrom("orders").selectAll().where("id", "=", orderId);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export interface StoredModifier {
  modifierId: string | null;
  groupName: string | null;
  name: string;
  action: ModifierAction;
  priceCents: number;
  /** The group's default choice (e.g. the regular crust): kept for the kitchen, not read back to the caller. */
  isDefault: boolean;
}

export interface StoredLine {
  lineId: string;
  productId: string | null;
  variationId: string | null;
  name: string;
  size: string | null;
  quantity: number;
  unitPriceCents: number;
  lineTotalCents: number;
  notes: string | null;
  position: number;
  modifiers: StoredModifier[];
}

export async function loadLines(db: Db, orderId: string): Promise<StoredLine[]> {
  const items = await db
    .selectFrom("order_items")
    .select(["id", "product_id", "variation_id", "product_name", "size_name", "quantity", "unit_price_cents", "line_total_cents", "notes", "position"])
    .where("order_id", "=", orderId)
    .orderBy("position")
    .orderBy("created_at")
    .execute();
  if (items.length === 0) return [];
  const mods = await db
    .selectFrom("order_item_modifiers as m")
    .leftJoin("modifiers", "modifiers.id", "m.modifier_id")
    .select(["m.order_item_id", "m.modifier_id", "m.modifier_group_name", "m.name", "m.action", "m.price_cents", "modifiers.is_default"])
    .where(
      "m.order_item_id",
      "in",
      items.map((i) => i.id),
    )
    .orderBy("m.created_at")
    .orderBy("m.id")
    .execute();
  return items.map((i) => ({
    lineId: i.id,
    productId: i.product_id,
    variationId: i.variation_id,
    name: i.product_name,
    size: i.size_name,
    quantity: i.quantity,
    unitPriceCents: i.unit_price_cents,
    lineTotalCents: i.line_total_cents,
    notes: i.notes,
    position: i.position,
    modifiers: mods
      .filter((m) => m.order_item_id === i.id)
      .map((m) => ({
        modifierId: m.modifier_id,
        groupName: m.modifier_group_name,
        name: m.name,
        action: m.action,
        priceCents: m.price_cents,
        isDefault: m.action === "add" && m.is_default === true,
      })),
  }));
}

export interface NewLine {
  productId: string | null;
  variationId: string | null;
  name: string;
  size: string | null;
  quantity: number;
  unitPriceCents: number;
  lineTotalCents: number;
  notes: string | null;
  modifiers: StoredModifier[];
}

export async function insertLine(db: Db, orderId: string, line: NewLine, now: Date): Promise<string> {
  const { max } = await db
    .selectFrom("order_items")
    .select((eb) => eb.fn.coalesce(eb.fn.max("position"), sql<number>`0`).as("max"))
    .where("order_id", "=", orderId)
    .executeTakeFirstOrThrow();
  const item = await db
    .insertInto("order_items")
    .values({
      order_id: orderId,
      product_id: line.productId,
      variation_id: line.variationId,
      product_name: line.name,
      size_name: line.size,
      unit_price_cents: line.unitPriceCents,
      quantity: line.quantity,
      line_total_cents: line.lineTotalCents,
      notes: line.notes,
      position: Number(max) + 1,
      created_at: now,
      updated_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await insertModifiers(db, item.id, line.modifiers, now);
  return item.id;
}

async function insertModifiers(db: Db, itemId: string, modifiers: readonly StoredModifier[], now: Date): Promise<void> {
  if (modifiers.length === 0) return;
  await db
    .insertInto("order_item_modifiers")
    .values(
      modifiers.map((m) => ({
        order_item_id: itemId,
        modifier_id: m.modifierId,
        modifier_group_name: m.groupName,
        name: m.name,
        action: m.action,
        price_cents: m.priceCents,
        created_at: now,
      })),
    )
    .execute();
}

/** Replaces a line's priced content (size, quantity, modifiers); its id and position stay. */
export async function replaceLine(db: Db, orderId: string, lineId: string, line: NewLine, now: Date): Promise<void> {
  const updated = await db
    .updateTable("order_items")
    .set({
      product_id: line.productId,
      variation_id: line.variationId,
      product_name: line.name,
      size_name: line.size,
      unit_price_cents: line.unitPriceCents,
      quantity: line.quantity,
      line_total_cents: line.lineTotalCents,
      notes: line.notes,
      updated_at: now,
    })
    .where("id", "=", lineId)
    .where("order_id", "=", orderId)
    .executeTakeFirst();
  if (updated.numUpdatedRows !== 1n) throw new Error(`line ${lineId} is not part of order ${orderId}`);
  await db.deleteFrom("order_item_modifiers").where("order_item_id", "=", lineId).execute();
  await insertModifiers(db, lineId, line.modifiers, now);
}

export async function deleteLine(db: Db, orderId: string, lineId: string): Promise<void> {
  await db.deleteFrom("order_items").where("id", "=", lineId).where("order_id", "=", orderId).execute();
}

export interface OrderTotalsUpdate {
  orderType?: OrderType;
  subtotalCents: number;
  taxCents: number;
  deliveryFeeCents: number;
  totalCents: number;
  flags: JsonObject;
}

export async function updateDraftTotals(db: Db, orderId: string, t: OrderTotalsUpdate, now: Date): Promise<void> {
  await db
    .updateTable("orders")
    .set({
      ...(t.orderType ? { order_type: t.orderType } : {}),
      subtotal_cents: t.subtotalCents,
      tax_cents: t.taxCents,
      delivery_fee_cents: t.deliveryFeeCents,
      total_cents: t.totalCents,
      flags: JSON.stringify(t.flags),
      updated_at: now,
    })
    .where("id", "=", orderId)
    .where("state", "=", "draft")
    .execute();
}

export async function insertStatusEvent(
  db: Db,
  e: { orderId: string; from: OrderState | null; to: OrderState; at: Date; actor: string; note?: string | null },
): Promise<void> {
  await db
    .insertInto("order_status_events")
    .values({ order_id: e.orderId, from_state: e.from, to_state: e.to, at: e.at, actor: e.actor, note: e.note ?? null })
    .execute();
}

/** Next order number of the location for its business date (atomic counter upsert, row-locked until commit). */
export async function nextOrderNumber(db: Db, locationId: string, businessDate: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT next_order_number(${locationId}::uuid, ${businessDate}::date) AS n`.execute(db);
  const n = rows[0]?.n;
  if (typeof n !== "number") throw new Error("next_order_number returned nothing");
  return n;
}
