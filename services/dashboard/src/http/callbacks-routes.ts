import { CallbackState, ESCALATION_SUBJECTS, SetCallbackStateResult } from "@orderline/contracts";
import type { Database } from "@orderline/db";
import { adminRequest, type NatsConnection } from "@orderline/nats";
import express, { type Request, type Response } from "express";
import type { Kysely } from "kysely";
import { z } from "zod";

import { viewerOf } from "../auth/middleware.ts";
import { maskPhone } from "../domain/phone.ts";
import { canSee, scopeLocations, seesFullPhone } from "../domain/viewer.ts";
import { HttpError, notFound, parseInput } from "./errors.ts";
import { LocationQuery } from "./query.ts";

const ListQuery = z.strictObject({ ...LocationQuery, state: z.union([CallbackState, z.literal("all")]).default("open"), limit: z.coerce.number().int().min(1).max(200).default(100) });

/** "called back": staff reached the caller; "done": closed without a call (e.g. the caller came in); "reopen": open again. */
const ACTIONS = { called_back: { to: "done", note: "called back" }, done: { to: "done", note: undefined }, reopen: { to: "open", note: undefined } } as const;
const ActionBody = z.strictObject({ action: z.enum(["called_back", "done", "reopen"]), note: z.string().trim().max(500).optional() });

/** GET /callbacks and POST /callbacks/:id/state (through the escalation service's set_callback_state). */
export function callbacksRouter(deps: { db: Kysely<Database>; nc: NatsConnection; subjectPrefix: string; requestTimeoutMs: number }): express.Router {
  const router = express.Router();
  router.get("/callbacks", async (req: Request, res: Response) => {
    const q = parseInput(ListQuery, req.query, "query");
    const v = viewerOf(res);
    let query = deps.db
      .selectFrom("callback_requests as r")
      .leftJoin("voice_calls as c", "c.call_sid", "r.call_sid")
      .select(["r.id", "r.location_id", "r.call_sid", "c.id as call_id", "r.caller_phone", "r.reason", "r.summary", "r.cause", "r.expected_by", "r.state", "r.notified_to", "r.notify_error", "r.done_at", "r.done_by", "r.note", "r.created_at", "r.order_so_far"])
      .where("r.location_id", "in", scopeLocations(v, q.locationId).map((l) => l.id));
    if (q.state !== "all") query = query.where("r.state", "=", q.state);
    const rows = await query.orderBy("r.created_at", q.state === "open" ? "asc" : "desc").limit(q.limit).execute();
    res.json({
      callbacks: rows.map((r) => ({
        id: r.id,
        locationId: r.location_id,
        callId: r.call_id,
        callerPhone: seesFullPhone(v, r.location_id) ? r.caller_phone : maskPhone(r.caller_phone),
        reason: r.reason,
        summary: r.summary,
        cause: r.cause,
        orderSoFar: r.order_so_far,
        expectedBy: r.expected_by?.toISOString() ?? null,
        state: r.state,
        staffNotified: r.notified_to !== null && r.notify_error === null,
        doneAt: r.done_at?.toISOString() ?? null,
        doneBy: r.done_by,
        note: r.note,
        createdAt: r.created_at.toISOString(),
      })),
    });
  });
  router.post("/callbacks/:id/state", async (req: Request, res: Response) => {
    const id = z.uuid().safeParse(req.params["id"]);
    const body = parseInput(ActionBody, req.body, "body");
    const v = viewerOf(res);
    const row = id.success ? await deps.db.selectFrom("callback_requests").select("location_id").where("id", "=", id.data).executeTakeFirst() : undefined;
    if (!id.success || !row || !canSee(v, row.location_id)) throw notFound("callback request");
    const action = ACTIONS[body.action];
    const note = body.note ?? action.note;
    const reply = await adminRequest(
      deps.nc,
      ESCALATION_SUBJECTS.setCallbackState(deps.subjectPrefix),
      { callbackRequestId: id.data, locationId: row.location_id, to: action.to, actor: `dashboard:${v.email}`.slice(0, 100), ...(note ? { note } : {}) },
      SetCallbackStateResult,
      deps.requestTimeoutMs,
    );
    if (!reply.ok) throw new HttpError(409, reply.error.code, reply.error.message);
    res.json(reply.result);
  });
  return router;
}
