import type { Database } from "@orderline/db";
import express, { type Request, type Response } from "express";
import type { Kysely } from "kysely";
import { z } from "zod";
import { kpiReport } from "../analytics.ts";
import { viewerOf } from "../auth/middleware.ts";
import { scopeLocations } from "../domain/viewer.ts";
import { callHeatmap, callOutcomes, callsPerDay, costPerDay, transferReasons } from "../repositories/charts.ts";
import { parseInput } from "./errors.ts";
import { LocationQuery, RangeQuery, requestRanges } from "./query.ts";

/** Days a chart covers when no range is given. */
const DEFAULT_CHART_DAYS = 30;

/** GET /kpis and GET /charts. */
export function analyticsRouter(deps: { db: Kysely<Database>; clock: () => Date }): express.Router {
  const router = express.Router();
  router.get("/kpis", async (req: Request, res: Response) => {
    const q = parseInput(z.strictObject(LocationQuery), req.query, "query");
    const v = viewerOf(res);
    const now = deps.clock();
    const locations = scopeLocations(v, q.locationId);
    res.json({ generatedAt: now.toISOString(), locations, periods: await kpiReport(deps.db, locations, now) });
  });
  router.get("/charts", async (req: Request, res: Response) => {
    const q = parseInput(z.strictObject(RangeQuery), req.query, "query");
    const { ranges, span } = requestRanges(viewerOf(res), q, deps.clock(), DEFAULT_CHART_DAYS);
    const [perDay, heatmap, reasons, outcomes, cost] = await Promise.all([
      callsPerDay(deps.db, ranges, span),
      callHeatmap(deps.db, ranges),
      transferReasons(deps.db, ranges),
      callOutcomes(deps.db, ranges),
      costPerDay(deps.db, ranges),
    ]);
    res.json({ range: span, callsPerDay: perDay, heatmap, transferReasons: reasons, outcomes, costPerDay: cost });
  });
  return router;
}
