import type { CallDisposition, EscalationReason } from "@orderline/contracts";
import type { Database, TranscriptTurn } from "@orderline/db";
import { type Kysely, type RawBuilder, sql } from "kysely";
import { CALL_ENGINE, type LocationRange, scopeValues } from "./scope-sql.ts";

export interface CallFilters {
  outcome?: CallDisposition;
  transferReason?: EscalationReason;
  hasOrder?: boolean;
  engine?: string;
  search?: { phoneDigits: string | null; orderNumber: number | null; text: string };
  /** Keyset: calls strictly older than this (started_at, id). */
  before?: { startedAt: Date; id: string };
  limit: number;
}

export interface CallRow {
  id: string;
  call_sid: string;
  location_id: string;
  phone_from: string | null;
  started_at: Date;
  ended_at: Date | null;
  duration_seconds: number | null;
  disposition: CallDisposition;
  escalation_reason: EscalationReason | null;
  order_ids: string[];
  order_numbers: (number | null)[];
  engine: string;
  total_cost_micros: number | null;
}

/** `%…%` pattern of user text matched literally (LIKE wildcards and the escape character escaped). */
const likeContaining = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Calls of the ranges, newest first, filtered; every value is a bound parameter. */
export async function listCalls(db: Kysely<Database>, ranges: readonly LocationRange[], f: CallFilters): Promise<CallRow[]> {
  const where: RawBuilder<unknown>[] = [sql`c.direction = 'inbound'`];
  if (f.outcome) where.push(sql`c.disposition = ${f.outcome}`);
  if (f.transferReason) where.push(sql`c.escalation_reason = ${f.transferReason}`);
  if (f.hasOrder !== undefined) where.push(f.hasOrder ? sql`cardinality(c.order_ids) > 0` : sql`cardinality(c.order_ids) = 0`);
  if (f.engine) where.push(sql`${CALL_ENGINE} = ${f.engine}`);
  if (f.before) where.push(sql`(c.started_at, c.id) < (${f.before.startedAt}, ${f.before.id}::uuid)`);
  if (f.search) {
    const s = f.search;
    const any: RawBuilder<unknown>[] = [sql`c.phone_from LIKE ${likeContaining(s.text)}`, sql`c.call_sid = ${s.text}`];
    if (s.phoneDigits) any.push(sql`regexp_replace(coalesce(c.phone_from, ''), '\\D', '', 'g') LIKE ${likeContaining(s.phoneDigits)}`);
    if (s.orderNumber !== null) any.push(sql`EXISTS (SELECT 1 FROM orders o WHERE o.id = ANY (c.order_ids) AND o.order_number = ${s.orderNumber})`);
    where.push(sql`(${sql.join(any, sql` OR `)})`);
  }
  const r = await sql<CallRow>`
    WITH ${scopeValues(ranges)}
    SELECT c.id, c.call_sid, c.location_id, c.phone_from, c.started_at, c.ended_at, c.duration_seconds, c.disposition,
           c.escalation_reason, c.order_ids, c.total_cost_micros, ${CALL_ENGINE} AS engine,
           coalesce((SELECT array_agg(o.order_number ORDER BY o.submitted_at) FROM orders o WHERE o.id = ANY (c.order_ids)), '{}') AS order_numbers
      FROM scope s
      JOIN voice_calls c ON c.location_id = s.location_id AND c.started_at >= s.starts AND c.started_at < s.ends
     WHERE ${sql.join(where, sql` AND `)}
     ORDER BY c.started_at DESC, c.id DESC
     LIMIT ${f.limit}`.execute(db);
  return r.rows;
}

/** One call with its record; null when it does not exist. */
export async function readCall(db: Kysely<Database>, id: string) {
  const call = await db
    .selectFrom("voice_calls as c")
    .leftJoin("locations as l", "l.id", "c.location_id")
    .select([
      "l.country as location_country",
      "c.id",
      "c.call_sid",
      "c.location_id",
      "c.direction",
      "c.phone_from",
      "c.phone_to",
      "c.started_at",
      "c.ended_at",
      "c.duration_seconds",
      "c.disposition",
      "c.escalation_reason",
      "c.end_reason",
      "c.transcript",
      "c.summary",
      "c.order_ids",
      "c.telephony_cost_micros",
      "c.ai_cost_micros",
      "c.total_cost_micros",
      "c.usage",
      "c.finalized_at",
    ])
    .where("c.id", "=", id)
    .executeTakeFirst();
  if (!call) return null;
  const [events, orders, escalation, callback, survey] = await Promise.all([
    db.selectFrom("voice_call_events").select(["event_type", "event_data", "timestamp"]).where("call_id", "=", id).orderBy("timestamp").orderBy("id").execute(),
    call.order_ids.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom("orders")
          .select(["id", "order_number", "state", "channel", "order_type", "customer_name", "customer_phone", "subtotal_cents", "tax_cents", "delivery_fee_cents", "discount_cents", "total_cents", "submitted_at", "ready_at"])
          .where("id", "in", call.order_ids)
          .orderBy("submitted_at")
          .execute(),
    db.selectFrom("escalations").select(["reason", "reason_detail", "summary", "state", "answered_by", "created_at"]).where("call_sid", "=", call.call_sid).executeTakeFirst(),
    db.selectFrom("callback_requests").select(["id", "state", "cause", "reason", "summary", "expected_by", "done_at", "done_by"]).where("call_sid", "=", call.call_sid).executeTakeFirst(),
    db.selectFrom("call_surveys").select(["state", "score", "replied_at"]).where("call_id", "=", id).executeTakeFirst(),
  ]);
  const items =
    orders.length === 0
      ? []
      : await db
          .selectFrom("order_items")
          .select(["order_id", "product_name", "size_name", "quantity", "unit_price_cents", "line_total_cents"])
          .where("order_id", "in", orders.map((o) => o.id))
          .orderBy("order_id")
          .orderBy("position")
          .execute();
  return { call, events, orders, items, escalation: escalation ?? null, callback: callback ?? null, survey: survey ?? null };
}
export type CallDetailRows = NonNullable<Awaited<ReturnType<typeof readCall>>>;
export type { TranscriptTurn };
