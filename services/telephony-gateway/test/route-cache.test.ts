import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DEMO_LOCATIONS, listenCatalogChanges } from "@orderline/db";
import { createTestDatabase, type TestDatabase } from "@orderline/db/testing";
import { sql } from "kysely";
import { findLocationByNumber, type RoutedLocation } from "../src/repositories/calls.ts";
import { RouteCache } from "../src/repositories/route-cache.ts";

/** Waits until `cond` holds (notifications arrive asynchronously); bounded. */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(cond(), `timed out waiting for ${what}`);
}

describe("RouteCache over Postgres LISTEN/NOTIFY", () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase({ seed: true });
  });
  after(() => t?.close());

  it("answers from memory while listening, and a settings, location or number change reaches the next lookup", async () => {
    let loads = 0;
    let changes = 0;
    const routes: RouteCache = new RouteCache(
      (to) => {
        loads++;
        return findLocationByNumber(t.db, to);
      },
      () => listener.listening,
    );
    const listener = listenCatalogChanges(
      t.url,
      (id) => {
        changes++;
        routes.changed(id);
      },
      { onError: () => {}, retryDelayMs: 10 },
    );
    const ny = DEMO_LOCATIONS.newYork;
    try {
      await listener.ready;
      const first = await routes.find(ny.phone);
      assert.equal(first?.id, ny.id);
      assert.equal((await routes.find(ny.phone))?.id, ny.id);
      assert.equal(loads, 1, "the second call to the number is answered from memory");

      // Conversation settings: the next call is answered in the new mode.
      await t.db.insertInto("location_conversation_settings").values({ location_id: ny.id, mode: "gather", text_engine: "local" }).execute();
      await until(() => routes.size === 0, "the settings change to drop the route");
      const changed = (await routes.find(ny.phone)) as RoutedLocation;
      assert.equal(changed.settings?.mode, "gather");
      assert.equal(loads, 2);

      // Another location's change leaves this route alone.
      const before = changes;
      await t.db.updateTable("locations").set({ max_concurrent_calls: 7 }).where("id", "=", DEMO_LOCATIONS.denver.id).execute();
      await until(() => changes > before, "the Denver notification");
      await routes.find(ny.phone);
      assert.equal(loads, 2);

      // The number moves to another location: the next call goes there.
      await t.db.updateTable("phone_numbers").set({ location_id: DEMO_LOCATIONS.chicago.id }).where("e164", "=", ny.phone).execute();
      await until(() => routes.size === 0, "the number change to drop the route");
      assert.equal((await routes.find(ny.phone))?.id, DEMO_LOCATIONS.chicago.id);

      // A number that routes nowhere is looked up every time (it may be added any moment).
      assert.equal(await routes.find("+12025550199"), null);
      assert.equal(await routes.find("+12025550199"), null);
      assert.equal(loads, 5);

      // The listener's connection is killed: until it is back, nothing is served from memory.
      await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                 WHERE application_name = 'orderline-catalog-listener' AND datname = current_database()`.execute(t.db);
      await until(() => !listener.listening, "the listener to notice");
      await routes.find(ny.phone);
      assert.equal(loads, 6, "read from Postgres while changes could be missed");
      await until(() => listener.listening, "the listener to reconnect");
      await routes.find(ny.phone);
      await routes.find(ny.phone);
      assert.equal(loads, 7, "remembered again once listening");
    } finally {
      await listener.close();
      await t.db.updateTable("phone_numbers").set({ location_id: ny.id }).where("e164", "=", ny.phone).execute();
    }
  });

  it("a lookup that raced a change is not remembered", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const routes = new RouteCache(async (to) => {
      await gate;
      return findLocationByNumber(t.db, to);
    }, () => true);
    const pending = routes.find(DEMO_LOCATIONS.denver.phone);
    routes.changed(DEMO_LOCATIONS.denver.id);
    release();
    assert.equal((await pending)?.id, DEMO_LOCATIONS.denver.id);
    assert.equal(routes.size, 0);
  });
});
