import { createContext, useContext } from "react";
import type { Location, User } from "./types.ts";

export interface SessionContext {
  user: User;
  /** The picked location's id, or null for every location of the user (chain-wide for a manager). */
  scope: string | null;
  setScope: (locationId: string | null) => void;
  signOut: () => void;
}

export const Session = createContext<SessionContext | null>(null);

export function useSession(): SessionContext {
  const s = useContext(Session);
  if (!s) throw new Error("useSession outside a signed-in page");
  return s;
}

/** The locations the picked scope covers. */
export function scopeLocations(user: User, scope: string | null): Location[] {
  return scope ? user.locations.filter((l) => l.id === scope) : user.locations;
}

/** The timezone of a location of the user (for times shown in that location's local time). */
export function timezoneOf(user: User, locationId: string): string | undefined {
  return user.locations.find((l) => l.id === locationId)?.timezone;
}
