import { CallDisposition, ConversationEngine, EscalationReason } from "@orderline/contracts";
import type { Database } from "@orderline/db";
import express, { type Request, type Response } from "express";
import type { Kysely } from "kysely";
import { z } from "zod";
import { viewerOf } from "../auth/middleware.ts";
import { callDetail } from "../domain/call-detail.ts";
import { maskPhone, searchTerms } from "../domain/phone.ts";
import { canSee, seesFullPhone } from "../domain/viewer.ts";
import { listCalls, readCall } from "../repositories/calls.ts";
import { HttpError, notFound, parseInput } from "./errors.ts";
import { RangeQuery, requestRanges } from "./query.ts";

/** Days the calls list covers when no range is given. */
const DEFAULT_LIST_DAYS = 7;

const ListQuery = z.strictObject({
  ...RangeQuery,
  outcome: CallDisposition.optional(),
  transferReason: EscalationReason.optional(),
  hasOrder: z.enum(["true", "false"]).optional(),
  engine: z.union([ConversationEngine, z.literal("unknown")]).optional(),
  q: z.string().max(100).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

const cursorOf = (startedAt: Date, id: string) => Buffer.from(`${startedAt.toISOString()}|${id}`).toString("base64url");
function parseCursor(raw: string): { startedAt: Date; id: string } {
  const [at, id] = Buffer.from(raw, "base64url").toString().split("|");
  const startedAt = new Date(at ?? "");
  if (!id || Number.isNaN(startedAt.getTime()) || !z.uuid().safeParse(id).success) throw new HttpError(400, "invalid_request", "cursor is not one this API handed out");
  return { startedAt, id };
}

/** GET /calls (filters, search, keyset pages) and GET /calls/:id. */
export function callsRouter(deps: { db: Kysely<Database>; clock: () => Date }): express.Router {
  const router = express.Router();
  router.get("/calls", async (req: Request, res: Response) => {
    const q = parseInput(ListQuery, req.query, "query");
    const v = viewerOf(res);
    const { ranges, span } = requestRanges(v, q, deps.clock(), DEFAULT_LIST_DAYS);
    const rows = await listCalls(deps.db, ranges, {
      ...(q.outcome ? { outcome: q.outcome } : {}),
      ...(q.transferReason ? { transferReason: q.transferReason } : {}),
      ...(q.hasOrder ? { hasOrder: q.hasOrder === "true" } : {}),
      ...(q.engine ? { engine: q.engine } : {}),
      ...(q.q?.trim() ? { search: searchTerms(q.q) } : {}),
      ...(q.cursor ? { before: parseCursor(q.cursor) } : {}),
      limit: q.limit + 1,
    });
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    res.json({
      range: span,
      calls: page.map((c) => ({
        id: c.id,
        callSid: c.call_sid,
        locationId: c.location_id,
        from: seesFullPhone(v, c.location_id) ? c.phone_from : maskPhone(c.phone_from),
        startedAt: c.started_at.toISOString(),
        durationSeconds: c.duration_seconds,
        outcome: c.disposition,
        transferReason: c.escalation_reason,
        engine: c.engine,
        orderIds: c.order_ids,
        orderNumbers: c.order_numbers,
        totalCostMicros: c.total_cost_micros,
      })),
      nextCursor: rows.length > q.limit && last ? cursorOf(last.started_at, last.id) : null,
    });
  });
  router.get("/calls/:id", async (req: Request, res: Response) => {
    const id = z.uuid().safeParse(req.params["id"]);
    if (!id.success) throw notFound("call");
    const rows = await readCall(deps.db, id.data);
    const v = viewerOf(res);
    // Another location's call is answered exactly like a missing one.
    if (!rows?.call.location_id || !canSee(v, rows.call.location_id)) throw notFound("call");
    res.json(callDetail(rows, seesFullPhone(v, rows.call.location_id)));
  });
  return router;
}
