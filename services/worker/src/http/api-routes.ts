import { timingSafeEqual } from "node:crypto";
import { formatIssues } from "@orderline/contracts";
import type { Database } from "@orderline/db";
import type { Queue } from "bullmq";
import express, { type NextFunction, type Request, type Response } from "express";
import type { Kysely } from "kysely";
import { z } from "zod";
import { enqueueReadyCall } from "../queues.ts";

const Body = z.strictObject({ locationId: z.uuid() });
const OrderId = z.uuid();
const CALLABLE_STATES = new Set(["submitted", "in_progress", "ready"]);

function bearer(token: string) {
  const expected = Buffer.from(`Bearer ${token}`);
  return (req: Request, res: Response, next: NextFunction): void => {
    const got = Buffer.from(req.header("authorization") ?? "");
    if (got.length !== expected.length || !timingSafeEqual(got, expected)) {
      res.status(401).json({ error: { code: "unauthorized", message: "a valid Authorization: Bearer token is required" } });
      return;
    }
    next();
  };
}

/** Staff screens and POS systems: `POST /v1/orders/:orderId/ready-call {locationId}` with the API token. */
export function apiRouter(deps: { db: Kysely<Database>; token: string; readyQueue: Queue }): express.Router {
  const router = express.Router();
  router.use(bearer(deps.token));
  router.use(express.json({ limit: "16kb" }));
  router.post("/orders/:orderId/ready-call", async (req, res) => {
    const orderId = OrderId.safeParse(req.params.orderId);
    const body = Body.safeParse(req.body ?? {});
    if (!orderId.success || !body.success) {
      const problems = [
        ...(orderId.success ? [] : [`orderId: ${orderId.error.issues[0]?.message}`]),
        ...(body.success ? [] : [formatIssues(body.error.issues, "body")]),
      ];
      return void res.status(400).json({ error: { code: "invalid_request", message: problems.join("; ") } });
    }
    const order = await deps.db.selectFrom("orders").select(["id", "location_id", "state"]).where("id", "=", orderId.data).executeTakeFirst();
    // Another location's order is answered exactly like an unknown one: nothing about it leaks.
    if (!order || order.location_id !== body.data.locationId) {
      return void res.status(404).json({ error: { code: "order_not_found", message: `no order ${orderId.data} at location ${body.data.locationId}` } });
    }
    if (!CALLABLE_STATES.has(order.state)) {
      return void res.status(409).json({ error: { code: "order_not_callable", message: `the order is ${order.state}; only submitted, in-progress or ready orders get a ready call` } });
    }
    const jobId = await enqueueReadyCall(deps.readyQueue, { orderId: order.id, locationId: order.location_id });
    res.status(202).json({ orderId: order.id, jobId });
  });
  return router;
}
