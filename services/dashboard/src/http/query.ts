import { z } from "zod";
import { checkRange, lastDays } from "../domain/periods.ts";
import { scopeLocations, type Viewer } from "../domain/viewer.ts";
import type { LocationRange } from "../repositories/scope-sql.ts";

export const LocationQuery = { locationId: z.uuid().optional() };
export const RangeQuery = { ...LocationQuery, from: z.string().max(40).optional(), to: z.string().max(40).optional() };

/**
 * The locations and local dates a request covers: `from`/`to` (both or neither; at most a year) apply to every
 * location's own calendar; without them the last `defaultDays` days of each location.
 */
export function requestRanges(v: Viewer, q: { locationId?: string | undefined; from?: string | undefined; to?: string | undefined }, now: Date, defaultDays: number): { ranges: LocationRange[]; span: { from: string; to: string } } {
  const locations = scopeLocations(v, q.locationId);
  if ((q.from === undefined) !== (q.to === undefined)) checkRange({ from: q.from ?? "(missing)", to: q.to ?? "(missing)" });
  const explicit = q.from !== undefined && q.to !== undefined ? checkRange({ from: q.from, to: q.to }) : undefined;
  const ranges = locations.map((l) => ({ locationId: l.id, ...(explicit ?? lastDays(defaultDays, l.timezone, now)) }));
  const span = explicit ?? {
    from: ranges.map((r) => r.from).sort()[0] ?? "",
    to: ranges.map((r) => r.to).sort().at(-1) ?? "",
  };
  return { ranges, span };
}
