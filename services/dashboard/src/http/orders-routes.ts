import { ORDER_ADMIN_SUBJECTS, SetOrderStateResult } from "@orderline/contracts";
import type { Database } from "@orderline/db";
import { adminRequest, type NatsConnection } from "@orderline/nats";
import express, { type Request, type Response } from "express";
import type { Kysely } from "kysely";
import { z } from "zod";

import { viewerOf } from "../auth/middleware.ts";
import { BOARD_STATES, boardOrderView } from "../domain/board.ts";
import { periodRange } from "../domain/periods.ts";
import { canSee, scopeLocations, seesFullPhone } from "../domain/viewer.ts";
import type { OrderFeed } from "../order-feed.ts";
import { boardOrders, orderLocation } from "../repositories/orders.ts";
import { HttpError, notFound, parseInput } from "./errors.ts";
import { LocationQuery } from "./query.ts";

export interface OrdersRouteDeps {
  db: Kysely<Database>;
  nc: NatsConnection;
  subjectPrefix: string;
  feed: OrderFeed;
  clock: () => Date;
  requestTimeoutMs: number;
  /** SSE comment sent this often so proxies keep the stream open. */
  heartbeatMs?: number;
}

/** GET /orders/board, GET /orders/stream (server-sent events), POST /orders/:id/ready. */
export function ordersRouter(deps: OrdersRouteDeps): express.Router {
  const router = express.Router();

  router.get("/orders/board", async (req: Request, res: Response) => {
    const q = parseInput(z.strictObject(LocationQuery), req.query, "query");
    const v = viewerOf(res);
    const now = deps.clock();
    const days = scopeLocations(v, q.locationId).map((l) => ({ locationId: l.id, date: periodRange("today", l.timezone, now).from }));
    const orders = (await boardOrders(deps.db, days)).map((o) => boardOrderView(o, seesFullPhone(v, o.location_id)));
    res.json({ days, states: BOARD_STATES, orders });
  });

  router.get("/orders/stream", (req: Request, res: Response) => {
    const q = parseInput(z.strictObject(LocationQuery), req.query, "query");
    const v = viewerOf(res);
    const ids = new Set(scopeLocations(v, q.locationId).map((l) => l.id));
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive", "x-accel-buffering": "no" });
    res.write("retry: 2000\n: connected\n\n");
    const stop = deps.feed.listen(({ event, order }) => {
      if (!ids.has(event.locationId)) return;
      const data = { ...event, order: order && boardOrderView(order, seesFullPhone(v, order.location_id)) };
      res.write(`event: order\ndata: ${JSON.stringify(data)}\n\n`);
    });
    const beat = setInterval(() => res.write(": keep-alive\n\n"), deps.heartbeatMs ?? 15_000);
    const end = () => {
      clearInterval(beat);
      stop();
    };
    req.on("close", end);
    res.on("close", end);
  });

  router.post("/orders/:id/ready", async (req: Request, res: Response) => {
    const id = z.uuid().safeParse(req.params["id"]);
    const v = viewerOf(res);
    const locationId = id.success ? await orderLocation(deps.db, id.data) : null;
    if (!id.success || !locationId || !canSee(v, locationId)) throw notFound("order");
    // The order service applies it (state machine, status history, the event the worker's order-ready call follows).
    const reply = await adminRequest(
      deps.nc,
      ORDER_ADMIN_SUBJECTS.setState(deps.subjectPrefix),
      { orderId: id.data, locationId, to: "ready", actor: `dashboard:${v.email}`.slice(0, 100) },
      SetOrderStateResult,
      deps.requestTimeoutMs,
    );
    if (!reply.ok) throw new HttpError(409, reply.error.code, reply.error.message);
    res.json(reply.result);
  });
  return router;
}
