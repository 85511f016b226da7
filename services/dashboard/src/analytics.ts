import { loadLocationMenu, openStatus } from "@orderline/catalog";
import type { Database } from "@orderline/db";
import type { Kysely } from "kysely";
import { addSums, computeKpis, EMPTY_SUMS, type Kpis, type KpiSums } from "./domain/kpis.ts";
import { type DateRange, PERIODS, type Period, periodRange } from "./domain/periods.ts";
import type { ViewerLocation } from "./domain/viewer.ts";
import { callStartMinutes, readKpiSums, sumsKey, surveyEnabled } from "./repositories/kpis.ts";
import type { LocationRange } from "./repositories/scope-sql.ts";

export interface PeriodKpis {
  /** Each location's own local dates of the period. */
  ranges: Record<string, DateRange>;
  chain: Kpis;
  locations: Record<string, Kpis>;
}

/**
 * Calls that came in while the location was closed, per (label, location): each distinct start minute is checked
 * with the catalog's `openStatus` (weekly hours, dated exceptions, closing after midnight) — the same rule the
 * phone line uses.
 */
async function afterHoursCounts(db: Kysely<Database>, ranges: LocationRange[]): Promise<Map<string, number>> {
  const minutes = await callStartMinutes(db, ranges);
  const out = new Map<string, number>();
  const earliest = new Map<string, Date>();
  for (const m of minutes) {
    const e = earliest.get(m.locationId);
    if (!e || m.minute < e) earliest.set(m.locationId, m.minute);
  }
  // One snapshot per location, read as of its earliest call so the dated exceptions of the range are in it.
  const menus = new Map(await Promise.all([...earliest].map(async ([id, at]) => [id, await loadLocationMenu(db, id, at)] as const)));
  for (const m of minutes) {
    const menu = menus.get(m.locationId)!;
    if (openStatus(menu, m.minute).openNow) continue;
    const k = sumsKey(m.label, m.locationId);
    out.set(k, (out.get(k) ?? 0) + m.calls);
  }
  return out;
}

/** Today, this week and this month in each location's own timezone, per location and chain-wide (sums, then rates). */
export async function kpiReport(db: Kysely<Database>, locations: readonly ViewerLocation[], now: Date): Promise<Record<Period, PeriodKpis>> {
  const ranges: LocationRange[] = PERIODS.flatMap((p) => locations.map((l) => ({ label: p, locationId: l.id, ...periodRange(p, l.timezone, now) })));
  const [sums, afterHours, survey] = await Promise.all([readKpiSums(db, ranges), afterHoursCounts(db, ranges), surveyEnabled(db, locations.map((l) => l.id))]);
  const report = {} as Record<Period, PeriodKpis>;
  for (const p of PERIODS) {
    let chain: KpiSums = EMPTY_SUMS;
    const perLocation: Record<string, Kpis> = {};
    const periodRanges: Record<string, DateRange> = {};
    for (const l of locations) {
      const k = sumsKey(p, l.id);
      const s: KpiSums = { ...EMPTY_SUMS, ...sums.get(k), afterHours: afterHours.get(k) ?? 0, surveyEnabled: survey.has(l.id) };
      chain = addSums(chain, s);
      perLocation[l.id] = computeKpis(s);
      periodRanges[l.id] = periodRange(p, l.timezone, now);
    }
    report[p] = { ranges: periodRanges, chain: computeKpis(chain), locations: perLocation };
  }
  return report;
}
