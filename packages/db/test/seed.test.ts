import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { DEMO_BRAND, DEMO_CUSTOMERS, DEMO_LOCATION_LIST, DEMO_LOCATIONS, DEMO_MENU, DEMO_PAST_ORDERS } from "../src/seed/constants.ts";
import { seedDemoChain } from "../src/seed/seed.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing.ts";
import { tableFingerprints } from "./helpers.ts";

describe("demo chain seed: integrity", () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase({ seed: true });
  });
  after(() => t?.close());

  it("has one brand and the three DEMO_LOCATIONS with their phone, timezone and tax", async () => {
    const brand = await t.db.selectFrom("brands").selectAll().executeTakeFirstOrThrow();
    assert.equal(brand.id, DEMO_BRAND.id);
    assert.equal(brand.name, DEMO_BRAND.name);
    const locations = await t.db.selectFrom("locations").selectAll().orderBy("slug").execute();
    assert.equal(locations.length, 3);
    for (const demo of DEMO_LOCATION_LIST) {
      const row = locations.find((l) => l.id === demo.id);
      assert.ok(row, `location ${demo.slug}`);
      assert.equal(row.slug, demo.slug);
      assert.equal(row.timezone, demo.timezone);
      assert.equal(row.tax_rate_ppm, demo.taxRatePpm);
      assert.equal(row.public_phone, demo.phone);
      assert.deepEqual(row.staff_transfer_numbers, demo.staffPhones);
      assert.deepEqual(row.delivery_postal_codes, demo.deliveryPostalCodes);
    }
    assert.ok(new Set(locations.map((l) => l.timezone)).size >= 2, "at least two timezones");
  });

  it("routes every location's number to it, with a staff number and a tax rate", async () => {
    for (const demo of DEMO_LOCATION_LIST) {
      const routed = await t.db.selectFrom("phone_numbers").select(["location_id", "purpose"]).where("e164", "=", demo.phone).executeTakeFirst();
      assert.deepEqual(routed, { location_id: demo.id, purpose: "main" });
      const loc = await t.db.selectFrom("locations").select(["staff_transfer_numbers", "tax_rate_ppm"]).where("id", "=", demo.id).executeTakeFirstOrThrow();
      assert.ok(loc.staff_transfer_numbers.length >= 1);
      assert.ok(loc.tax_rate_ppm > 0);
    }
  });

  it("has hours (or an explicit closed row) for every weekday at every location, and a holiday closure", async () => {
    const rows = await t.db.selectFrom("location_hours").select(["location_id", "weekday", "is_closed", "opens_at", "closes_at"]).execute();
    for (const demo of DEMO_LOCATION_LIST) {
      const days = new Set(rows.filter((r) => r.location_id === demo.id).map((r) => r.weekday));
      assert.deepEqual([...days].sort(), [1, 2, 3, 4, 5, 6, 7], demo.slug);
    }
    assert.ok(rows.some((r) => r.is_closed), "an explicit closed day");
    assert.ok(
      rows.some((r) => r.opens_at !== null && r.closes_at !== null && r.closes_at < r.opens_at),
      "a day closing after midnight",
    );
    const year = new Date().getUTCFullYear();
    const xmas = await t.db
      .selectFrom("location_hour_exceptions")
      .select(["on_date", "is_closed"])
      .where("location_id", "=", DEMO_LOCATIONS.newYork.id)
      .where("on_date", "in", [`${year}-12-25`, `${year + 1}-12-25`])
      .execute();
    assert.equal(xmas.length, 2);
    assert.ok(xmas.every((x) => x.is_closed));
    const thanksgiving = await t.db
      .selectFrom("location_hour_exceptions")
      .select("on_date")
      .where("location_id", "=", DEMO_LOCATIONS.newYork.id)
      .where("reason", "like", "%Thanksgiving%")
      .execute();
    assert.equal(thanksgiving.length, 2);
    for (const { on_date } of thanksgiving) {
      const d = new Date(`${on_date}T12:00:00Z`);
      assert.equal(d.getUTCDay(), 4, `${on_date} is a Thursday`);
      assert.equal(d.getUTCMonth(), 10);
      assert.ok(d.getUTCDate() >= 22 && d.getUTCDate() <= 28, `${on_date} is the fourth Thursday`);
    }
  });

  it("has at least 40 products in at least 6 categories, each with a priced variation", async () => {
    const products = await t.db.selectFrom("products").select(["id", "slug", "category_id"]).execute();
    assert.ok(products.length >= 40, `${products.length} products`);
    assert.ok(new Set(products.map((p) => p.category_id)).size >= 6);
    const unpriced = await t.db
      .selectFrom("products as p")
      .select("p.slug")
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom("variations as v").select("v.id").whereRef("v.product_id", "=", "p.id").where("v.price_cents", ">", 0))),
      )
      .execute();
    assert.deepEqual(unpriced, []);
    const multipleDefaults = await sql`SELECT product_id FROM variations WHERE is_default GROUP BY product_id HAVING count(*) > 1`.execute(t.db);
    assert.deepEqual(multipleDefaults.rows, []);
  });

  it("names the products callers ask for, with their aliases and sizes", async () => {
    const bySlug = async (slug: string) => t.db.selectFrom("products").selectAll().where("slug", "=", slug).executeTakeFirstOrThrow();
    assert.ok((await bySlug("pepperoni-pizza")).aliases.includes("pep"));
    assert.ok((await bySlug("margherita-pizza")).aliases.includes("margarita"));
    assert.ok((await bySlug("coca-cola")).aliases.includes("coke"));
    await bySlug("buffalo-chicken-pizza");
    await bySlug("diet-coke");
    await bySlug("sprite");
    await bySlug("bottled-water");
    const pizzaSizes = await t.db
      .selectFrom("variations")
      .innerJoin("products", "products.id", "variations.product_id")
      .select("variations.slug")
      .where("products.slug", "=", "pepperoni-pizza")
      .orderBy("variations.sort")
      .execute();
    assert.deepEqual(
      pizzaSizes.map((v) => v.slug),
      ["small", "medium", "large"],
    );
    const wingSauce = await t.db
      .selectFrom("product_modifier_groups as pmg")
      .innerJoin("modifier_groups as g", "g.id", "pmg.modifier_group_id")
      .innerJoin("products as p", "p.id", "pmg.product_id")
      .select(["g.slug", "g.min_selections", "g.max_selections"])
      .where("p.slug", "=", "buffalo-wings")
      .where("g.slug", "=", "wing-sauce")
      .executeTakeFirstOrThrow();
    assert.equal(wingSauce.min_selections, 1);
    assert.equal(wingSauce.max_selections, 1);
    for (const slug of DEMO_MENU.singleVariationProductSlugs) {
      const n = await t.db.selectFrom("variations").innerJoin("products", "products.id", "variations.product_id").select("variations.id").where("products.slug", "=", slug).execute();
      assert.equal(n.length, 1, slug);
    }
  });

  it("offers removable ingredients and a priced extra cheese", async () => {
    const mods = await t.db
      .selectFrom("modifiers as m")
      .innerJoin("product_modifier_groups as pmg", "pmg.modifier_group_id", "m.modifier_group_id")
      .innerJoin("products as p", "p.id", "pmg.product_id")
      .select(["p.slug as product", "m.name", "m.kind", "m.extra_price_cents"])
      .where("p.slug", "in", ["pepperoni-pizza", "supreme-pizza"])
      .execute();
    const cheese = mods.find((m) => m.product === "pepperoni-pizza" && m.name === "Cheese");
    assert.equal(cheese?.kind, "removable");
    assert.ok((cheese?.extra_price_cents ?? 0) > 0, "extra cheese is priced");
    assert.ok(mods.some((m) => m.product === "supreme-pizza" && m.kind === "removable" && m.name === "Onions"));
    assert.ok(mods.some((m) => m.product === "supreme-pizza" && m.kind === "removable" && m.name === "Black Olives"));
  });

  it("keeps min <= max in every modifier group", async () => {
    const bad = await t.db.selectFrom("modifier_groups").select("slug").whereRef("min_selections", ">", "max_selections").execute();
    assert.deepEqual(bad, []);
    const total = await t.db.selectFrom("modifier_groups").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    assert.ok(total.n > 5);
  });

  it("has a sold-out product at every location", async () => {
    for (const demo of DEMO_LOCATION_LIST) {
      const soldOut = await t.db
        .selectFrom("location_product_overrides as o")
        .innerJoin("products as p", "p.id", "o.product_id")
        .select("p.slug")
        .where("o.location_id", "=", demo.id)
        .where("o.sold_out", "=", true)
        .execute();
      assert.deepEqual(
        soldOut.map((r) => r.slug),
        [DEMO_MENU.soldOutProductSlug[demo.key]],
      );
    }
  });

  it("makes mushroom products unavailable in Chicago only, through ingredient stock", async () => {
    const unavailable = async (locationId: string) =>
      (
        await sql<{ slug: string }>`
          SELECT DISTINCT p.slug FROM products p
            JOIN product_ingredients pi ON pi.product_id = p.id
            JOIN ingredient_stock s ON s.ingredient_id = pi.ingredient_id AND s.location_id = ${locationId}
           WHERE NOT s.in_stock ORDER BY p.slug`.execute(t.db)
      ).rows.map((r) => r.slug);
    assert.deepEqual(await unavailable(DEMO_LOCATIONS.chicago.id), [...DEMO_MENU.outOfStock.unavailableProductSlugs].sort());
    assert.deepEqual(await unavailable(DEMO_LOCATIONS.newYork.id), []);
    assert.deepEqual(await unavailable(DEMO_LOCATIONS.denver.id), []);
  });

  it("sells the large pepperoni everywhere at the documented price (override in New York)", async () => {
    // The documented prices as literals ($22.99 in New York, the chain's $20.99 elsewhere), not DEMO_MENU read back.
    const expected: Record<string, number> = { newYork: 2299, chicago: 2099, denver: 2099 };
    assert.deepEqual(DEMO_MENU.largePepperoni.priceCentsByLocation, expected, "DEMO_MENU documents the same prices");
    for (const demo of DEMO_LOCATION_LIST) {
      const row = await t.db
        .selectFrom("variations as v")
        .leftJoin("location_variation_prices as o", (j) => j.onRef("o.variation_id", "=", "v.id").on("o.location_id", "=", demo.id))
        .select(["v.id", "v.price_cents", "o.price_cents as override_cents"])
        .where("v.id", "=", DEMO_MENU.largePepperoni.variationId)
        .executeTakeFirstOrThrow();
      assert.equal(row.override_cents ?? row.price_cents, expected[demo.key], demo.slug);
    }
  });

  it("has specials, a lunch-only product and trigram-searchable names", async () => {
    const specials = await t.db.selectFrom("specials").selectAll().execute();
    assert.ok(specials.length >= 2);
    assert.ok(specials.some((s) => s.location_id === null), "a chain-wide special");
    const lunch = await t.db.selectFrom("products").select(["serving_start", "serving_end"]).where("slug", "=", DEMO_MENU.lunchOnlyProductSlug).executeTakeFirstOrThrow();
    assert.deepEqual(lunch, { serving_start: DEMO_MENU.lunchWindow.start, serving_end: DEMO_MENU.lunchWindow.end });
    const search = async (spoken: string) =>
      (
        await sql<{ slug: string }>`SELECT slug FROM products WHERE ${spoken} <% search_text
          ORDER BY word_similarity(${spoken}, search_text) DESC, slug LIMIT 1`.execute(t.db)
      ).rows[0]?.slug;
    assert.equal(await search("margarita"), "margherita-pizza");
    assert.equal(await search("coke"), "coca-cola");
    assert.equal(await search("buffalo chicken"), "buffalo-chicken-pizza");
  });

  it("has returning customers with points and a past completed order with consistent totals", async () => {
    const maria = await t.db.selectFrom("customers").selectAll().where("id", "=", DEMO_CUSTOMERS.maria.id).executeTakeFirstOrThrow();
    assert.equal(maria.rewards_points, DEMO_CUSTOMERS.maria.rewardsPoints);
    assert.equal(maria.last_order_id, DEMO_PAST_ORDERS.mariaMidtown.id);
    const order = await t.db.selectFrom("orders").selectAll().where("id", "=", DEMO_PAST_ORDERS.mariaMidtown.id).executeTakeFirstOrThrow();
    assert.equal(order.state, "completed");
    assert.ok(order.submitted_at instanceof Date);
    const items = await t.db.selectFrom("order_items").selectAll().where("order_id", "=", order.id).execute();
    // Large pepperoni in New York $22.99 + extra cheese $2.00, six garlic knots $5.99 with marinara $0:
    // subtotal $30.98, tax 8.875 % = $2.749475 → $2.75, delivery fee $3.99, total $37.72.
    assert.deepEqual(
      items.map((i) => i.line_total_cents).sort((a, b) => b - a),
      [2499, 599],
    );
    assert.deepEqual(
      { subtotal: order.subtotal_cents, tax: order.tax_cents, fee: order.delivery_fee_cents, total: order.total_cents },
      { subtotal: 3098, tax: 275, fee: 399, total: 3772 },
    );
    const events = await t.db.selectFrom("order_status_events").select("to_state").where("order_id", "=", order.id).orderBy("at").execute();
    assert.deepEqual(
      events.map((e) => e.to_state),
      ["draft", "submitted", "in_progress", "ready", "completed"],
    );
    const call = await t.db.selectFrom("voice_calls").selectAll().where("order_id", "=", order.id).executeTakeFirstOrThrow();
    assert.ok(Array.isArray(call.transcript) && call.transcript.length > 0);
    assert.equal(typeof call.total_cost_micros, "number");
  });
});

describe("demo chain seed: idempotence", () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase();
  });
  after(() => t?.close());

  it("run twice gives identical row counts and content", async () => {
    const empty = await tableFingerprints(t.db);
    assert.ok(Object.values(empty).every((f) => f.rows === 0));
    await seedDemoChain(t.db);
    const first = await tableFingerprints(t.db);
    const summary = await seedDemoChain(t.db);
    const second = await tableFingerprints(t.db);
    assert.deepEqual(second, first);
    assert.deepEqual(summary.deleted, {});
    assert.ok((first["products"]?.rows ?? 0) >= 40);
  });

  it("re-seeding restores seed-owned settings a test changed", async () => {
    const before = await tableFingerprints(t.db, ["updated_at"]);
    await t.db.updateTable("location_product_overrides").set({ sold_out: false }).where("location_id", "=", DEMO_LOCATIONS.denver.id).execute();
    await t.db.updateTable("variations").set({ price_cents: 1 }).where("id", "=", DEMO_MENU.largePepperoni.variationId).execute();
    await t.db
      .insertInto("location_hour_exceptions")
      .values({ location_id: DEMO_LOCATIONS.chicago.id, on_date: "2030-01-01", is_closed: true, opens_at: null, closes_at: null, reason: "test" })
      .execute();
    const summary = await seedDemoChain(t.db);
    assert.deepEqual(summary.deleted, { location_hour_exceptions: 1 });
    assert.deepEqual(await tableFingerprints(t.db, ["updated_at"]), before);
  });

  it("leaves orders placed after seeding alone and keeps the customer's newer last order", async () => {
    const newer = await t.db
      .insertInto("orders")
      .values({ location_id: DEMO_LOCATIONS.newYork.id, channel: "web", order_type: "pickup", customer_id: DEMO_CUSTOMERS.maria.id })
      .returning("id")
      .executeTakeFirstOrThrow();
    await t.db.updateTable("customers").set({ last_order_id: newer.id }).where("id", "=", DEMO_CUSTOMERS.maria.id).execute();
    await seedDemoChain(t.db);
    const maria = await t.db.selectFrom("customers").select("last_order_id").where("id", "=", DEMO_CUSTOMERS.maria.id).executeTakeFirstOrThrow();
    assert.equal(maria.last_order_id, newer.id);
    assert.ok(await t.db.selectFrom("orders").select("id").where("id", "=", newer.id).executeTakeFirst());
  });
});
