import { createHash } from "node:crypto";
import { formatIssues } from "@orderline/contracts";
import type { ConfirmationIntegration, Database, Order } from "@orderline/db";
import type { Queue } from "bullmq";
import express, { type NextFunction, type Request, type Response } from "express";
import type { Kysely } from "kysely";
import { sheetIdOf } from "@orderline/sheets";
import { z } from "zod";
import type { PublishConfirmation } from "../confirmation-events.ts";
import { enqueueConfirmationCall } from "../queues.ts";
import { reopenFailed } from "../repositories/confirmations.ts";

const Body = z
  .strictObject({
    order_id: z.uuid().optional(),
    row_id: z.string().trim().min(1, "must not be empty").max(200).optional(),
    sheet_id: z.string().trim().min(1).max(200).optional().describe("the sheet of row_id, when the integration has none"),
  })
  .refine((b) => (b.order_id === undefined) !== (b.row_id === undefined), { message: 'give exactly one of "order_id" or "row_id"' });

type Found = Pick<Order, "id" | "location_id" | "confirmation_state" | "confirmation_failure" | "confirmation_attempts" | "external_sheet_id">;

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
/** Answers the error and returns null (the order a handler then does not have). */
const fail = (res: Response, status: number, code: string, message: string): null => {
  res.status(status).json({ error: { code, message } });
  return null;
};

/**
 * The sheet keys (`<spreadsheet id>/<tab>`, the orders' `external_sheet_id`) a `row_id` may be on: the given sheet
 * — a full key, or a spreadsheet id standing for its configured tabs — else every sheet configured for the
 * integration's locations (`location_sheets`).
 */
async function sheetKeys(db: Kysely<Database>, integration: ConfirmationIntegration, given: string | null | undefined): Promise<string[]> {
  let q = db
    .selectFrom("location_sheets as s")
    .innerJoin("locations as l", "l.id", "s.location_id")
    .select(["s.spreadsheet_id", "s.sheet_name"])
    .where("l.brand_id", "=", integration.brand_id);
  if (integration.location_id) q = q.where("s.location_id", "=", integration.location_id);
  if (given) q = q.where("s.spreadsheet_id", "=", given);
  const configured = (await q.execute()).map((s) => sheetIdOf({ spreadsheetId: s.spreadsheet_id, sheetName: s.sheet_name }));
  return given ? [given, ...configured] : configured;
}

/** `Authorization: Bearer <key>` of an active integration (looked up by the key's SHA-256; the key is never stored). */
function integrationAuth(db: Kysely<Database>) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const m = /^Bearer ([\x21-\x7e]{16,200})$/.exec(req.header("authorization") ?? "");
    const integration = m
      ? await db.selectFrom("confirmation_integrations").selectAll().where("key_sha256", "=", sha256(m[1]!)).where("active", "=", true).executeTakeFirst()
      : undefined;
    if (!integration) {
      fail(res, 401, "unauthorized", "an API key of an active integration is required: Authorization: Bearer <key>");
      return;
    }
    res.locals["integration"] = integration;
    next();
  };
}

/**
 * The seed's trigger, `POST /orders/call` `{"order_id"}` or `{"row_id"}` (a sheet row, by its external
 * reference), and `POST /orders/call/retry` for a FAILED order. Each integration sees only its brand's (or its
 * location's) orders; another's is answered like an unknown one (404).
 */
export function confirmationApiRouter(deps: { db: Kysely<Database>; queue: Queue; publish: PublishConfirmation }): express.Router {
  const { db } = deps;
  const router = express.Router();
  router.use(express.json({ limit: "16kb" }));
  router.use(integrationAuth(db));

  async function find(req: Request, res: Response): Promise<Found | null> {
    const body = Body.safeParse(req.body ?? {});
    if (!body.success) return fail(res, 400, "invalid_request", formatIssues(body.error.issues, "body"));
    const integration = res.locals["integration"] as ConfirmationIntegration;
    let sheets: string[] = [];
    if (body.data.row_id !== undefined) {
      sheets = await sheetKeys(db, integration, body.data.sheet_id ?? integration.sheet_id);
      if (sheets.length === 0) return fail(res, 400, "invalid_request", 'body: "sheet_id" is required with "row_id" (this integration has no sheet and its locations have none configured)');
    }
    let q = db
      .selectFrom("orders as o")
      .innerJoin("locations as l", "l.id", "o.location_id")
      .select(["o.id", "o.location_id", "o.confirmation_state", "o.confirmation_failure", "o.confirmation_attempts", "o.external_sheet_id"])
      .where("l.brand_id", "=", integration.brand_id);
    if (integration.location_id) q = q.where("o.location_id", "=", integration.location_id);
    q = body.data.order_id !== undefined ? q.where("o.id", "=", body.data.order_id) : q.where("o.external_source", "=", "sheet").where("o.external_sheet_id", "in", sheets).where("o.external_row_id", "=", body.data.row_id!);
    const orders = await q.limit(5).execute();
    if (orders.length === 0) {
      const what = body.data.order_id !== undefined ? `order ${body.data.order_id}` : `row ${body.data.row_id} of sheet ${sheets.join(" or ")}`;
      return fail(res, 404, "order_not_found", `no ${what} for this integration`);
    }
    if (orders.length > 1) {
      const on = orders.map((o) => o.external_sheet_id).join(", ");
      return fail(res, 409, "ambiguous_row", `row ${body.data.row_id} is on several sheets (${on}): give "sheet_id" as <spreadsheet id>/<tab>`);
    }
    return orders[0]!;
  }

  const notCallable = (res: Response, o: Found, retry: boolean) => {
    const s = o.confirmation_state;
    const why =
      s === null
        ? "the order is not awaiting a confirmation call"
        : s === "called"
          ? "a confirmation call is in progress (it is never dialled twice)"
          : s === "failed"
            ? `the last call failed (${o.confirmation_failure ?? "no reason recorded"}): use POST /orders/call/retry`
            : s === "new"
              ? "the order was not called yet: use POST /orders/call"
              : `the order is already ${s}`;
    fail(res, 409, retry ? "not_retryable" : "not_callable", why);
  };

  router.post("/call", async (req, res) => {
    const order = await find(req, res);
    if (!order) return;
    if (order.confirmation_state !== "new") return notCallable(res, order, false);
    const jobId = await enqueueConfirmationCall(deps.queue, { orderId: order.id, locationId: order.location_id }, order.confirmation_attempts + 1);
    res.status(202).json({ orderId: order.id, state: "new", jobId });
  });

  router.post("/call/retry", async (req, res) => {
    const order = await find(req, res);
    if (!order) return;
    const reopened = order.confirmation_state === "failed" ? await reopenFailed(db, order.id) : null;
    if (!reopened) return notCallable(res, order, true);
    deps.publish(reopened);
    const jobId = await enqueueConfirmationCall(deps.queue, { orderId: order.id, locationId: order.location_id }, order.confirmation_attempts + 1);
    res.status(202).json({ orderId: order.id, state: "new", jobId });
  });

  return router;
}
