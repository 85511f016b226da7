import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import pg from "pg";
import { ALL_LOCATIONS, CATALOG_CHANGED_CHANNEL, listenCatalogChanges } from "../src/notify.ts";
import { DEMO_LOCATIONS, DEMO_MENU } from "../src/seed/constants.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing.ts";

/** Collects catalog_changed payloads and hands them out in arrival order. */
class Listener {
  readonly client: pg.Client;
  private readonly queue: string[] = [];
  private waiting: ((payload: string) => void) | undefined;
  constructor(url: string) {
    this.client = new pg.Client({ connectionString: url });
    this.client.on("notification", (msg) => {
      if (msg.channel !== CATALOG_CHANGED_CHANNEL) return;
      const payload = msg.payload ?? "";
      if (this.waiting) {
        const w = this.waiting;
        this.waiting = undefined;
        w(payload);
      } else this.queue.push(payload);
    });
  }
  async start() {
    await this.client.connect();
    await this.client.query(`LISTEN ${CATALOG_CHANGED_CHANNEL}`);
  }
  next(): Promise<string> {
    const queued = this.queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }
}

describe("catalog_changed NOTIFY", () => {
  let t: TestDatabase;
  let listener: Listener;
  before(async () => {
    t = await createTestDatabase({ seed: true });
    listener = new Listener(t.url);
    await listener.start();
  });
  after(async () => {
    await listener?.client.end();
    await t?.close();
  });

  it("a chain-wide price change notifies '*'", async () => {
    await t.db.updateTable("variations").set({ price_cents: 2199 }).where("id", "=", DEMO_MENU.largePepperoni.variationId).execute();
    assert.equal(await listener.next(), "*");
  });

  it("a location price override notifies that location", async () => {
    await t.db
      .updateTable("location_variation_prices")
      .set({ price_cents: 2399 })
      .where("location_id", "=", DEMO_LOCATIONS.newYork.id)
      .where("variation_id", "=", DEMO_MENU.largePepperoni.variationId)
      .execute();
    assert.equal(await listener.next(), DEMO_LOCATIONS.newYork.id);
  });

  it("stock, sold-out and hours changes notify their location", async () => {
    await t.db.updateTable("ingredient_stock").set({ in_stock: true, quantity: 12 }).where("location_id", "=", DEMO_LOCATIONS.chicago.id).where("ingredient_id", "=", DEMO_MENU.outOfStock.ingredientId).execute();
    assert.equal(await listener.next(), DEMO_LOCATIONS.chicago.id);
    await t.db.deleteFrom("location_product_overrides").where("location_id", "=", DEMO_LOCATIONS.denver.id).where("sold_out", "=", true).execute();
    assert.equal(await listener.next(), DEMO_LOCATIONS.denver.id);
    await t.db.updateTable("location_hours").set({ closes_at: "23:30" }).where("location_id", "=", DEMO_LOCATIONS.newYork.id).where("weekday", "=", 1).execute();
    assert.equal(await listener.next(), DEMO_LOCATIONS.newYork.id);
  });

  it("an ingredient count going down notifies nothing; reaching zero and leaving it notify the location", async () => {
    const mushrooms = (q: { quantity: number }) =>
      t.db.updateTable("ingredient_stock").set(q).where("location_id", "=", DEMO_LOCATIONS.newYork.id).where("ingredient_id", "=", DEMO_MENU.outOfStock.ingredientId);
    await mushrooms({ quantity: 2 }).execute(); // 40 → 2: availability unchanged
    await t.db.updateTable("locations").set({ default_prep_minutes: 21 }).where("id", "=", DEMO_LOCATIONS.chicago.id).execute();
    assert.equal(await listener.next(), DEMO_LOCATIONS.chicago.id, "the decrement sent nothing before this");
    await mushrooms({ quantity: 0 }).execute();
    assert.equal(await listener.next(), DEMO_LOCATIONS.newYork.id);
    await mushrooms({ quantity: 5 }).execute();
    assert.equal(await listener.next(), DEMO_LOCATIONS.newYork.id);
  });

  it("a location's own settings notify its id; order writes notify nothing", async () => {
    // Orders are not catalog: the first notification after the order insert is the location update's.
    await t.db.insertInto("orders").values({ location_id: DEMO_LOCATIONS.denver.id, channel: "web", order_type: "pickup" }).execute();
    await t.db.updateTable("locations").set({ default_prep_minutes: 30 }).where("id", "=", DEMO_LOCATIONS.denver.id).execute();
    assert.equal(await listener.next(), DEMO_LOCATIONS.denver.id);
  });

  it("one transaction touching many rows of a location sends one notification for it", async () => {
    await t.db.transaction().execute(async (trx) => {
      await trx.updateTable("ingredient_stock").set({ quantity: 99 }).where("location_id", "=", DEMO_LOCATIONS.denver.id).execute();
      await trx.updateTable("locations").set({ default_prep_minutes: 25 }).where("id", "=", DEMO_LOCATIONS.newYork.id).execute();
    });
    assert.equal(await listener.next(), DEMO_LOCATIONS.denver.id);
    assert.equal(await listener.next(), DEMO_LOCATIONS.newYork.id);
    await t.db.updateTable("products").set({ description: "Still great." }).where("id", "=", DEMO_MENU.largePepperoni.productId).execute();
    assert.equal(await listener.next(), "*", "no duplicate Denver payload was queued before this one");
  });
});

describe("listenCatalogChanges", () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase({ seed: true });
  });
  after(() => t?.close());

  it("reports changes, and reports '*' after it had to reconnect", async () => {
    const seen: string[] = [];
    let wake: (() => void) | undefined;
    const listener = listenCatalogChanges(
      t.url,
      (id) => {
        seen.push(id);
        wake?.();
      },
      { onError: () => {}, retryDelayMs: 10 },
    );
    const nextEvent = async (): Promise<string> => {
      while (seen.length === 0) await new Promise<void>((r) => (wake = r));
      return seen.shift()!;
    };
    try {
      await listener.ready;
      await t.db.updateTable("ingredient_stock").set({ in_stock: false }).where("location_id", "=", DEMO_LOCATIONS.denver.id).where("ingredient_id", "=", DEMO_MENU.outOfStock.ingredientId).execute();
      assert.equal(await nextEvent(), DEMO_LOCATIONS.denver.id);

      // Kill the listener's session: it reconnects and tells the cache to start over.
      await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                 WHERE application_name = 'orderline-catalog-listener' AND datname = current_database()`.execute(t.db);
      assert.equal(await nextEvent(), ALL_LOCATIONS);
      await t.db.updateTable("locations").set({ max_concurrent_calls: 9 }).where("id", "=", DEMO_LOCATIONS.chicago.id).execute();
      assert.equal(await nextEvent(), DEMO_LOCATIONS.chicago.id);
    } finally {
      await listener.close();
    }
  });

  it("rejects a URL that is not postgres://", () => {
    assert.throws(() => listenCatalogChanges("http://localhost:5432/x", () => {}), /postgres:\/\//);
  });
});
