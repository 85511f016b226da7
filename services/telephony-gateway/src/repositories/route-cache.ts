import { ALL_LOCATIONS } from "@orderline/db";
import type { RoutedLocation } from "./calls.ts";

/** Most dialled numbers remembered (a chain's numbers; the oldest is dropped beyond this). */
const MAX_ENTRIES = 10_000;

/**
 * How dialled numbers route (location, its settings), remembered between calls so the incoming-call webhook
 * usually answers without a Postgres round trip. Trusted only while the catalog listener is up: every committed
 * change to a location, its numbers or its conversation settings then arrives as `changed(locationId)` (or `*`)
 * and drops what it concerns, so a settings change applies to the next call. While the listener is down nothing
 * is served from memory. A lookup that started before a change is not stored (the generation moved on).
 * Numbers that route nowhere are not remembered: a number added to a location works on its first call.
 */
export class RouteCache {
  private readonly entries = new Map<string, RoutedLocation>();
  private generation = 0;
  private readonly load: (to: string) => Promise<RoutedLocation | null>;
  private readonly trusted: () => boolean;

  constructor(load: (to: string) => Promise<RoutedLocation | null>, trusted: () => boolean) {
    this.load = load;
    this.trusted = trusted;
  }

  async find(to: string): Promise<RoutedLocation | null> {
    if (!this.trusted()) return this.load(to);
    const hit = this.entries.get(to);
    if (hit !== undefined) return hit;
    const generation = this.generation;
    const loc = await this.load(to);
    if (loc !== null && generation === this.generation && this.trusted()) {
      this.entries.set(to, loc);
      if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    }
    return loc;
  }

  /** A catalog change of `locationId` (or ALL_LOCATIONS) was committed. */
  changed(locationId: string): void {
    this.generation++;
    if (locationId === ALL_LOCATIONS) return this.entries.clear();
    for (const [to, loc] of this.entries) if (loc.id === locationId) this.entries.delete(to);
  }

  get size(): number {
    return this.entries.size;
  }
}
