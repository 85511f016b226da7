import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ToolFailure } from "@orderline/contracts";
import { DEMO_LOCATIONS, DEMO_MENU } from "@orderline/db";
import { createTestDatabase, type TestDatabase } from "@orderline/db/testing";
import { DateTime } from "luxon";
import {
  alternativesFor,
  availabilityOf,
  createCatalogCache,
  estimateWaitMinutes,
  hoursOn,
  loadLocationMenu,
  resolveItem,
  resolveItemOrThrow,
  resolveModifiers,
  resolveSize,
} from "../src/index.ts";
import type { LocationMenu } from "../src/types.ts";

let tdb: TestDatabase;
before(async () => {
  tdb = await createTestDatabase({ seed: true });
});
after(async () => {
  await tdb?.close();
});

async function rejection(p: Promise<unknown>): Promise<ToolFailure> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ToolFailure, `expected a ToolFailure, got ${String(err)}`);
    return err;
  }
  assert.fail("expected a ToolFailure");
}

const bySlug = (menu: LocationMenu, slug: string) => {
  const p = menu.products.find((x) => x.slug === slug);
  assert.ok(p, `no ${slug} in the snapshot`);
  return p;
};

describe("loadLocationMenu (seeded demo chain)", () => {
  it("applies per-location prices, sold-out overrides and hidden products", async () => {
    const ny = await loadLocationMenu(tdb.db, DEMO_LOCATIONS.newYork.id);
    const chicago = await loadLocationMenu(tdb.db, DEMO_LOCATIONS.chicago.id);
    const denver = await loadLocationMenu(tdb.db, DEMO_LOCATIONS.denver.id);
    const large = (m: LocationMenu) => bySlug(m, "pepperoni-pizza").variations.find((v) => v.id === DEMO_MENU.largePepperoni.variationId)!;
    assert.equal(large(ny).priceCents, 2299);
    assert.equal(large(ny).basePriceCents, 2099);
    assert.equal(large(chicago).priceCents, 2099);
    assert.equal(ny.location.timezone, "America/New_York");
    assert.equal(ny.location.taxRatePpm, DEMO_LOCATIONS.newYork.taxRatePpm);
    assert.equal(bySlug(ny, "tiramisu").soldOut, true);
    assert.equal(bySlug(chicago, "tiramisu").soldOut, false);
    assert.equal(denver.products.some((p) => p.slug === "antipasto-salad"), false, "hidden in Denver");
    assert.equal(ny.products.some((p) => p.slug === "antipasto-salad"), true);
    assert.ok(ny.weeklyHours.length >= 7);
    assert.ok(ny.categories.every((c) => c.itemCount > 0));
  });

  it("marks products and modifiers of out-of-stock ingredients (mushrooms in Chicago)", async () => {
    const chicago = await loadLocationMenu(tdb.db, DEMO_LOCATIONS.chicago.id);
    const noon = DateTime.fromObject({ year: 2026, month: 11, day: 25, hour: 12 }, { zone: "America/Chicago" }).toJSDate();
    for (const slug of DEMO_MENU.outOfStock.unavailableProductSlugs) {
      assert.equal(availabilityOf(chicago, bySlug(chicago, slug), noon).reason, "ingredient_out_of_stock", slug);
    }
    const pizza = bySlug(chicago, "cheese-pizza");
    const mushrooms = pizza.modifierGroups.flatMap((g) => g.modifiers).find((m) => m.slug === "mushrooms")!;
    assert.equal(mushrooms.inStock, false);
    await assert.rejects(async () => resolveModifiers(chicago, pizza, [{ name: "mushrooms" }]), (e: unknown) => e instanceof ToolFailure && e.code === "out_of_stock");
    const alternatives = alternativesFor(chicago, bySlug(chicago, "mushroom-pizza"), noon);
    assert.equal(alternatives.length, 3);
    assert.ok(alternatives.every((p) => p.categoryName === "Classic Pizzas" && availabilityOf(chicago, p, noon).available));
  });

  it("rejects unknown, malformed and hostile location ids with unknown_location", async () => {
    for (const id of ["00000000-0000-4000-8000-000000000000", "not-a-uuid", "'; DROP TABLE locations; --", ""]) {
      assert.equal((await rejection(loadLocationMenu(tdb.db, id))).code, "unknown_location", id);
    }
  });

  it("resolves the spoken names callers use against the real seed", async () => {
    const ny = await loadLocationMenu(tdb.db, DEMO_LOCATIONS.newYork.id);
    const name = (s: string) => resolveItemOrThrow(ny, s).product.name;
    assert.equal(name("pepperoni"), "Pepperoni Pizza");
    assert.equal(name("peperoni pizza"), "Pepperoni Pizza");
    assert.equal(name("margarita"), "Margherita Pizza");
    assert.equal(name("coke"), "Coca-Cola");
    assert.equal(name("buffalo wings"), "Buffalo Wings");
    const pep = resolveItemOrThrow(ny, "a large pep");
    assert.equal(pep.variation?.id, DEMO_MENU.largePepperoni.variationId);
    const cokes = resolveItemOrThrow(ny, "two cokes");
    assert.deepEqual([cokes.product.name, cokes.quantity], ["Coca-Cola", 2]);
    const six = resolveItemOrThrow(ny, "6 wings");
    assert.deepEqual([six.product.name, six.variation?.name, six.quantity], ["Buffalo Wings", "6 Piece", undefined]);
    const buffalo = resolveItem(ny, "buffalo");
    assert.equal(buffalo.kind, "ambiguous");
    assert.deepEqual(buffalo.kind === "ambiguous" && buffalo.candidates.map((p) => p.name).sort(), ["Buffalo Chicken Pizza", "Buffalo Wings"]);
    const sushi = resolveItem(ny, "sushi");
    assert.equal(sushi.kind, "not_found");
    assert.ok(sushi.kind === "not_found" && sushi.suggestions.length > 0);
    for (const [said, product] of [
      ["marghereta", "Margherita Pizza"],
      ["buffalo wigns", "Buffalo Wings"],
      ["chiken tenders", "Chicken Tenders"],
      ["rootbeer", "Root Beer"],
      ["seven up", "Sprite"],
      ["a two liter", "Coca-Cola 2 Liter"],
    ]) {
      assert.equal(name(said!), product, said);
    }
    // A category name asks the caller to pick; a word that only resembles a name does not match it.
    const pasta = resolveItem(ny, "pasta");
    assert.ok(pasta.kind === "ambiguous" && pasta.candidates.every((p) => p.categoryName === "Pasta"));
    const zero = resolveItem(ny, "coke zero");
    assert.ok(zero.kind === "not_found" && zero.suggestions.some((p) => p.name === "Coca-Cola"));
    const xl = resolveItemOrThrow(ny, "extra large pepperoni");
    assert.deepEqual([xl.product.name, xl.variation, xl.sizePhrase], ["Pepperoni Pizza", undefined, "xlarge"]);
    assert.throws(() => resolveSize(xl.product, xl.sizePhrase), (e: unknown) => e instanceof ToolFailure && e.code === "invalid_size");
    assert.equal(resolveSize(bySlug(ny, "caesar-salad")).name, "Regular");
    assert.equal(resolveSize(bySlug(ny, "coca-cola"), "large").name, "Large");
  });

  it("validates the seed's modifier groups: wing sauce default, removables, extra cheese", async () => {
    const ny = await loadLocationMenu(tdb.db, DEMO_LOCATIONS.newYork.id);
    const wings = bySlug(ny, "buffalo-wings");
    assert.deepEqual(
      resolveModifiers(ny, wings, []).map((m) => [m.name, m.defaulted]),
      [["Buffalo Medium", true]],
    );
    assert.deepEqual(
      resolveModifiers(ny, wings, [{ name: "no sauce" }]).map((m) => [m.name, m.action]),
      [["Plain (no sauce)", "add"]],
      "a choice named like an action",
    );
    const pep = bySlug(ny, "pepperoni-pizza");
    assert.deepEqual(
      resolveModifiers(ny, pep, [{ name: "extra pepperoni" }]).map((m) => [m.name, m.groupName, m.action]),
      [
        ["Pepperoni", "Pepperoni Pizza ingredients", "extra"],
        ["Hand-Tossed", "Crust", "add"],
      ],
      "extra of an ingredient already on it doubles that ingredient",
    );
    const mods = resolveModifiers(ny, pep, [{ name: "extra cheese" }, { name: "onions" }, { name: "no sauce" }]);
    assert.deepEqual(
      mods.map((m) => [m.name, m.action, m.priceCents]),
      [
        ["Cheese", "extra", 200],
        ["Tomato Sauce", "no", 0],
        ["Hand-Tossed", "add", 0],
        ["Onions", "add", 150],
      ],
    );
  });

  it("loads dated exceptions in the location's calendar", async () => {
    const ny = await loadLocationMenu(tdb.db, DEMO_LOCATIONS.newYork.id);
    const year = DateTime.now().setZone("America/New_York").year;
    const xmas = hoursOn(ny, `${year}-12-25`);
    assert.equal(xmas.closed, true);
    assert.equal(xmas.exception, "Closed for Christmas Day");
  });
});

describe("estimateWaitMinutes", () => {
  it("grows with the orders open in that location's kitchen only", async () => {
    const denver = await loadLocationMenu(tdb.db, DEMO_LOCATIONS.denver.id);
    const ny = await loadLocationMenu(tdb.db, DEMO_LOCATIONS.newYork.id);
    const nyBefore = await estimateWaitMinutes(tdb.db, ny, "pickup");
    const before = await estimateWaitMinutes(tdb.db, denver, "pickup");
    const base = denver.location.defaultPrepMinutes;
    assert.equal(before.minutes, base + Math.max(0, before.openOrders - 3) * 2);
    const rows = Array.from({ length: 6 }, (_, i) => ({
      location_id: DEMO_LOCATIONS.denver.id,
      channel: "staff" as const,
      order_type: "pickup" as const,
      state: "submitted" as const,
      submitted_at: new Date(),
      business_date: "2031-01-01",
      order_number: 9000 + i,
    }));
    await tdb.db.insertInto("orders").values(rows).execute();
    const afterPickup = await estimateWaitMinutes(tdb.db, denver, "pickup");
    assert.equal(afterPickup.openOrders, before.openOrders + 6);
    assert.equal(afterPickup.minutes, base + Math.max(0, afterPickup.openOrders - 3) * 2);
    assert.ok(afterPickup.minutes > before.minutes);
    const delivery = await estimateWaitMinutes(tdb.db, denver, "delivery");
    assert.equal(delivery.minutes, afterPickup.minutes + denver.location.deliveryExtraMinutes);
    assert.deepEqual(await estimateWaitMinutes(tdb.db, ny, "pickup"), nyBefore, "other locations' kitchens do not count");
  });
});

describe("createCatalogCache", () => {
  it("serves from memory and sees a committed menu change without restart (LISTEN/NOTIFY)", async () => {
    const cache = createCatalogCache({ db: tdb.db, databaseUrl: tdb.url });
    try {
      await cache.ready();
      const first = await cache.get(DEMO_LOCATIONS.chicago.id);
      assert.equal(await cache.get(DEMO_LOCATIONS.chicago.id), first, "second read from memory");
      const invalidated = new Promise<void>((resolve) => {
        const poll = async () => {
          const menu = await cache.get(DEMO_LOCATIONS.chicago.id);
          if (menu !== first) resolve();
          else setTimeout(poll, 20);
        };
        void poll();
      });
      await tdb.db
        .insertInto("location_variation_prices")
        .values({ location_id: DEMO_LOCATIONS.chicago.id, variation_id: DEMO_MENU.largePepperoni.variationId, price_cents: 2499 })
        .execute();
      await invalidated;
      const fresh = await cache.get(DEMO_LOCATIONS.chicago.id);
      assert.equal(bySlug(fresh, "pepperoni-pizza").variations.find((v) => v.id === DEMO_MENU.largePepperoni.variationId)?.priceCents, 2499);
      assert.ok(cache.stats.invalidations >= 1);
      assert.ok(cache.stats.hits >= 1);
    } finally {
      await cache.close();
    }
  });

  it("shares one load between concurrent misses and drops on invalidate", async () => {
    let loads = 0;
    const cache = createCatalogCache({
      db: tdb.db,
      load: (db, id) => {
        loads++;
        return loadLocationMenu(db, id);
      },
    });
    try {
      const [a, b] = await Promise.all([cache.get(DEMO_LOCATIONS.newYork.id), cache.get(DEMO_LOCATIONS.newYork.id)]);
      assert.equal(a, b);
      assert.equal(loads, 1);
      cache.invalidate(DEMO_LOCATIONS.newYork.id);
      await cache.get(DEMO_LOCATIONS.newYork.id);
      assert.equal(loads, 2);
      cache.invalidate("*");
      await cache.get(DEMO_LOCATIONS.newYork.id);
      assert.equal(loads, 3);
      assert.equal((await rejection(cache.get("nope"))).code, "unknown_location");
      assert.equal((await rejection(cache.get("00000000-0000-4000-8000-000000000000"))).code, "unknown_location");
    } finally {
      await cache.close();
    }
  });
});
