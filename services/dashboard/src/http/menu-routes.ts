import {
  MENU_CONTROL_SUBJECTS,
  MenuStockResult,
  SetIngredientCountRequest,
  SetIngredientInStockRequest,
  SetIngredientStockResult,
  SetItemSoldOutRequest,
  SetItemSoldOutResult,
} from "@orderline/contracts";
import type { Database } from "@orderline/db";
import { adminRequest, type NatsConnection } from "@orderline/nats";
import express, { type Request, type Response } from "express";
import type { Kysely } from "kysely";
import { z } from "zod";
import { viewerOf } from "../auth/middleware.ts";
import { scopeLocations, type Viewer } from "../domain/viewer.ts";
import { HttpError, parseInput } from "./errors.ts";

/** The menu service's refusals as HTTP: a bad value 400, a product or ingredient not of that location 404. */
const STATUS_OF: Record<string, number> = { invalid_arguments: 400, invalid_quantity: 400, not_on_menu: 404, unknown_location: 404 };

const StockQuery = z.strictObject({ locationId: z.uuid().optional() });
const EventsQuery = z.strictObject({ locationId: z.uuid().optional(), limit: z.coerce.number().int().min(1).max(200).default(50) });

/** Menu control acts on one location: the one asked for, or the viewer's only one. */
function oneLocation(v: Viewer, locationId: string | undefined): string {
  const locations = scopeLocations(v, locationId);
  if (locations.length !== 1) throw new HttpError(400, "invalid_request", "menu control works on one location at a time: give locationId");
  return locations[0]!.id;
}

/**
 * GET /menu/stock, GET /menu/events and the staff changes ("86 it" and back, ingredient counts) through the menu
 * service's staff requests (docs/MENU-CONTROL.md). The location is checked against the viewer's before anything
 * is sent; the menu service refuses a product or ingredient that is not that location's.
 */
export function menuRouter(deps: { db: Kysely<Database>; nc: NatsConnection; subjectPrefix: string; requestTimeoutMs: number }): express.Router {
  const router = express.Router();

  async function send<R extends z.ZodType>(subject: string, body: unknown, result: R): Promise<z.output<R>> {
    const reply = await adminRequest(deps.nc, subject, body, result, deps.requestTimeoutMs);
    if (!reply.ok) throw new HttpError(STATUS_OF[reply.error.code] ?? 409, reply.error.code, reply.error.message);
    return reply.result;
  }

  /** The request the menu service gets: the page's body with the id from the path and the viewer as actor, checked with the contract's schema. */
  function change<S extends z.ZodType>(req: Request, res: Response, schema: S, idField: "productId" | "ingredientId"): z.output<S> {
    const v = viewerOf(res);
    const body = (typeof req.body === "object" && req.body !== null ? req.body : {}) as Record<string, unknown>;
    const locationId = typeof body["locationId"] === "string" ? body["locationId"] : undefined;
    if (locationId !== undefined && !z.uuid().safeParse(locationId).success) throw new HttpError(400, "invalid_request", "body.locationId: not a uuid");
    const request = { ...body, locationId: oneLocation(v, locationId), [idField]: req.params["id"], actor: `dashboard:${v.email}`.slice(0, 100) };
    return parseInput(schema, request, "body");
  }

  router.get("/menu/stock", async (req: Request, res: Response) => {
    const q = parseInput(StockQuery, req.query, "query");
    res.json(await send(MENU_CONTROL_SUBJECTS.stock(deps.subjectPrefix), { locationId: oneLocation(viewerOf(res), q.locationId) }, MenuStockResult));
  });

  router.get("/menu/events", async (req: Request, res: Response) => {
    const q = parseInput(EventsQuery, req.query, "query");
    const rows = await deps.db
      .selectFrom("menu_control_events")
      .select(["id", "location_id", "action", "product_id", "ingredient_id", "subject_name", "quantity_before", "quantity_after", "order_id", "actor", "note", "at"])
      .where(
        "location_id",
        "in",
        scopeLocations(viewerOf(res), q.locationId).map((l) => l.id),
      )
      .orderBy("at", "desc")
      .orderBy("id", "desc")
      .limit(q.limit)
      .execute();
    res.json({
      events: rows.map((r) => ({
        id: String(r.id),
        locationId: r.location_id,
        action: r.action,
        productId: r.product_id,
        ingredientId: r.ingredient_id,
        name: r.subject_name,
        quantityBefore: r.quantity_before,
        quantityAfter: r.quantity_after,
        orderId: r.order_id,
        actor: r.actor,
        note: r.note,
        at: new Date(r.at).toISOString(),
      })),
    });
  });

  router.post("/menu/items/:id/sold-out", async (req: Request, res: Response) => {
    const body = change(req, res, SetItemSoldOutRequest, "productId");
    res.json(await send(MENU_CONTROL_SUBJECTS.setItemSoldOut(deps.subjectPrefix), body, SetItemSoldOutResult));
  });

  router.post("/menu/ingredients/:id/in-stock", async (req: Request, res: Response) => {
    const body = change(req, res, SetIngredientInStockRequest, "ingredientId");
    res.json(await send(MENU_CONTROL_SUBJECTS.setIngredientInStock(deps.subjectPrefix), body, SetIngredientStockResult));
  });

  router.post("/menu/ingredients/:id/count", async (req: Request, res: Response) => {
    const body = change(req, res, SetIngredientCountRequest, "ingredientId");
    res.json(await send(MENU_CONTROL_SUBJECTS.setIngredientCount(deps.subjectPrefix), body, SetIngredientStockResult));
  });
  return router;
}
