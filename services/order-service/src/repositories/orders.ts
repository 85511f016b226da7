import { randomUUID } from "node:crypto";
import type { ModifierAction, OrderState, OrderType } from "@orderline/contracts";
import type { Database, JsonObject, JsonValue, Order } from "@orderline/db";
import { type Kysely, sql } from "kysely";
import { jsonArrayFrom } from "kysely/helpers/postgres";

/** A Kysely instance or a transaction on it. */
export type Db = Kysely<Database>;

export interface CallScope {
  locationId: string;
  callSid: string;
  orderSessionId: string;
}

export interface LockedDraft {
  draft: Order | undefined;
  /** The stored reply when `requestId` was already applied on this call. */
  replay: { tool: string; reply: unknown } | undefined;
  /** The draft's lines (with `withLines`), read under the lock. */
  lines: StoredLine[];
}

/**
 * Row-locks the call's draft and, in the same round trip, reads the stored reply for `requestId` and (with
 * `withLines`) the draft's lines. When the lock had to wait for a concurrent change of this cart, the joined
 * data came from the statement's older snapshot: the row version we locked (`xmin`) then differs from the one
 * the snapshot saw, and the query runs again — now holding the lock, on a fresh snapshot. A separate lookup of
 * the reply is made only when there is no draft (e.g. a retry after the order was placed).
 */
export async function lockDraft(
  db: Db,
  scope: CallScope,
  requestId: string | undefined,
  opts: { withLines?: boolean; /** false: a plain consistent read (one snapshot), no lock. */ lock?: boolean } = {},
): Promise<LockedDraft> {
  const run = () => {
    const q = db
      .selectFrom("orders as o")
      .leftJoin("tool_requests as tr", (j) => j.onRef("tr.call_sid", "=", "o.call_sid").on("tr.request_id", "=", requestId ?? ""))
      .selectAll("o")
      .select((eb) => [
        "tr.tool as replay_tool",
        "tr.reply as replay_reply",
        sql<string>`o.xmin::text`.as("locked_version"),
        eb
          .selectFrom("orders as snap")
          .select(sql<string>`snap.xmin::text`.as("v"))
          .whereRef("snap.id", "=", "o.id")
          .as("snapshot_version"),
        opts.withLines ? jsonArrayFrom(linesQuery(db, { ref: "o.id" })).as("lines") : sql<null>`null`.as("lines"),
      ])
      .where("o.location_id", "=", scope.locationId)
      .where("o.call_sid", "=", scope.callSid)
      .where("o.order_session_id", "=", scope.orderSessionId)
      .where("o.state", "=", "draft");
    return (opts.lock === false ? q : q.forUpdate("o")).executeTakeFirst();
  };
  let row = await run();
  if (row && row.locked_version !== row.snapshot_version) row = await run();
  if (row) {
    const { replay_tool, replay_reply, locked_version: _l, snapshot_version: _s, lines, ...draft } = row;
    return {
      draft,
      replay: requestId !== undefined && replay_tool !== null ? { tool: replay_tool, reply: replay_reply } : undefined,
      lines: (lines ?? []).map(toStoredLine),
    };
  }
  if (requestId === undefined) return { draft: undefined, replay: undefined, lines: [] };
  const stored = await db
    .selectFrom("tool_requests")
    .select(["tool", "reply"])
    .where("call_sid", "=", scope.callSid)
    .where("request_id", "=", requestId)
    .executeTakeFirst();
  return { draft: undefined, replay: stored, lines: [] };
}

/** An order's lines (snapshotted names and prices) with their modifiers, in position order. */
export async function loadLines(db: Db, orderId: string): Promise<StoredLine[]> {
  const rows = await linesQuery(db, { id: orderId }).execute();
  return rows.map(toStoredLine);
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

/**
 * Inserts the call's draft unless one exists (the partial unique indexes on drafts make concurrent starts
 * converge) and returns the new row; undefined when a draft of this session or call already existed.
 */
export async function insertDraftIfAbsent(
  db: Db,
  scope: CallScope & { orderType: OrderType; customerPhone: string | null; deliveryFeeCents: number; flags: JsonObject; now: Date },
): Promise<Order | undefined> {
  return db
    .insertInto("orders")
    .values({
      location_id: scope.locationId,
      channel: "voice",
      call_sid: scope.callSid,
      order_session_id: scope.orderSessionId,
      order_type: scope.orderType,
      customer_phone: scope.customerPhone,
      delivery_fee_cents: scope.deliveryFeeCents,
      total_cents: scope.deliveryFeeCents,
      flags: JSON.stringify(scope.flags),
      created_at: scope.now,
      updated_at: scope.now,
    })
    // Any unique conflict (this session's or this call's draft already exists) leaves the existing draft alone.
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** The stored submit reply of this call and attempt, with the order's location (one query). */
export async function findSubmitReply(db: Db, callSid: string, requestId: string): Promise<{ locationId: string; reply: unknown } | undefined> {
  const row = await db
    .selectFrom("tool_requests as tr")
    .innerJoin("orders as o", "o.id", "tr.order_id")
    .select(["o.location_id", "tr.reply"])
    .where("tr.call_sid", "=", callSid)
    .where("tr.request_id", "=", requestId)
    .executeTakeFirst();
  return row ? { locationId: row.location_id, reply: row.reply } : undefined;
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

export interface StoredLine extends NewLine {
  lineId: string;
  position: number;
}

/** Lines of an order (given as a column reference or an id) with their modifiers as JSON, in position order. */
function linesQuery(db: Db, orderId: { ref: "o.id" } | { id: string }) {
  const q = db
    .selectFrom("order_items as i")
    .select((inner) => [
      "i.id",
      "i.product_id",
      "i.variation_id",
      "i.product_name",
      "i.size_name",
      "i.quantity",
      "i.unit_price_cents",
      "i.line_total_cents",
      "i.notes",
      "i.position",
      jsonArrayFrom(
        inner
          .selectFrom("order_item_modifiers as m")
          .leftJoin("modifiers as md", "md.id", "m.modifier_id")
          .select(["m.modifier_id", "m.modifier_group_name", "m.name", "m.action", "m.price_cents", "md.is_default"])
          .whereRef("m.order_item_id", "=", "i.id")
          .orderBy("m.created_at")
          .orderBy("m.id"),
      ).as("mods"),
    ])
    .orderBy("i.position")
    .orderBy("i.created_at");
  return "ref" in orderId ? q.where("i.order_id", "=", sql.ref<string>(orderId.ref)) : q.where("i.order_id", "=", orderId.id);
}

type LineRow = {
  id: string;
  product_id: string | null;
  variation_id: string | null;
  product_name: string;
  size_name: string | null;
  quantity: number;
  unit_price_cents: number;
  line_total_cents: number;
  notes: string | null;
  position: number;
  mods: { modifier_id: string | null; modifier_group_name: string | null; name: string; action: string; price_cents: number; is_default: boolean | null }[];
};

function toStoredLine(i: LineRow): StoredLine {
  return {
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
    modifiers: i.mods.map((m) => ({
      modifierId: m.modifier_id,
      groupName: m.modifier_group_name,
      name: m.name,
      action: m.action as ModifierAction,
      priceCents: m.price_cents,
      isDefault: m.action === "add" && m.is_default === true,
    })),
  };
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

const modifierRows = (itemId: string, modifiers: readonly StoredModifier[], now: Date) =>
  modifiers.map((m) => ({
    order_item_id: itemId,
    modifier_id: m.modifierId,
    modifier_group_name: m.groupName,
    name: m.name,
    action: m.action,
    price_cents: m.priceCents,
    created_at: now,
  }));

/** The order_items columns a line's priced content (snapshot of names and prices) is stored in. */
const lineColumns = (line: NewLine, now: Date) => ({
  product_id: line.productId,
  variation_id: line.variationId,
  product_name: line.name,
  size_name: line.size,
  unit_price_cents: line.unitPriceCents,
  quantity: line.quantity,
  line_total_cents: line.lineTotalCents,
  notes: line.notes,
  updated_at: now,
});

/** Inserts a line and its modifiers in one statement; `position` comes from the caller (who holds the draft lock). */
export async function insertLine(db: Db, orderId: string, line: NewLine, position: number, now: Date): Promise<string> {
  const id = randomUUID();
  const item = { id, order_id: orderId, ...lineColumns(line, now), position, created_at: now };
  if (line.modifiers.length === 0) {
    await db.insertInto("order_items").values(item).execute();
  } else {
    await db
      .with("item", (q) => q.insertInto("order_items").values(item).returning("id"))
      .insertInto("order_item_modifiers")
      .values(modifierRows(id, line.modifiers, now))
      .execute();
  }
  return id;
}

/** Replaces a line's priced content (size, quantity, modifiers) in one statement; its id and position stay. */
export async function replaceLine(db: Db, orderId: string, lineId: string, line: NewLine, now: Date): Promise<void> {
  const base = db
    .with("item", (q) =>
      q
        .updateTable("order_items")
        .set(lineColumns(line, now))
        .where("id", "=", lineId)
        .where("order_id", "=", orderId)
        .returning("id"),
    )
    .with("old", (q) =>
      q
        .deleteFrom("order_item_modifiers")
        .where("order_item_id", "in", (eb) => eb.selectFrom("item").select("item.id"))
        .returning("order_item_modifiers.id"),
    );
  if (line.modifiers.length === 0) {
    await base.selectFrom("item").select("item.id").execute();
  } else {
    await base.insertInto("order_item_modifiers").values(modifierRows(lineId, line.modifiers, now)).execute();
  }
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

/** Writes the draft's totals and, with `applied`, the reply of the request that changed it — one statement. */
export async function updateDraftTotals(
  db: Db,
  orderId: string,
  t: OrderTotalsUpdate,
  now: Date,
  applied?: { callSid: string; requestId: string; tool: string; reply: unknown },
): Promise<void> {
  const update = db
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
    .where("state", "=", "draft");
  if (!applied) {
    await update.execute();
    return;
  }
  await db
    .with("totals", () => update.returning("id"))
    .insertInto("tool_requests")
    .values({
      call_sid: applied.callSid,
      request_id: applied.requestId,
      tool: applied.tool,
      order_id: orderId,
      reply: JSON.stringify(applied.reply as JsonValue),
      created_at: now,
    })
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

/** Deletes stored replies older than `before` (retries come within minutes; replies are kept for days). */
export async function pruneToolRequests(db: Db, before: Date): Promise<number> {
  const result = await db.deleteFrom("tool_requests").where("created_at", "<", before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
