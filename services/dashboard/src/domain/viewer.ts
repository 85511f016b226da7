import type { DashboardRole } from "@orderline/db";

export interface ViewerLocation {
  id: string;
  slug: string;
  name: string;
  timezone: string;
}

/** Who is asking: a signed-in user with the locations they may see. */
export interface Viewer {
  userId: string;
  email: string;
  displayName: string;
  role: DashboardRole;
  brandId: string;
  /** Every location the user may see (a manager: the brand's active locations; staff: their own). */
  locations: ViewerLocation[];
  csrfToken: string;
}

/** A location outside the viewer's scope was asked for by id (answered 403, the id is not echoed as existing). */
export class ForbiddenLocationError extends Error {
  override readonly name = "ForbiddenLocationError";
}

export const canSee = (v: Viewer, locationId: string): boolean => v.locations.some((l) => l.id === locationId);

/** Caller numbers in full only for staff of the call's location; managers and everyone else see them masked. */
export const seesFullPhone = (v: Viewer, locationId: string | null): boolean => v.role === "staff" && locationId !== null && canSee(v, locationId);

/** The locations a request covers: the one asked for (which must be the viewer's), else all of the viewer's. */
export function scopeLocations(v: Viewer, locationId: string | undefined): ViewerLocation[] {
  if (locationId === undefined) return v.locations;
  const l = v.locations.find((x) => x.id === locationId);
  if (!l) throw new ForbiddenLocationError(`location ${locationId} is not one of yours`);
  return [l];
}
