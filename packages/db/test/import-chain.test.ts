import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Kysely } from "kysely";
import { parse, stringify } from "yaml";
import { ChainFileError, importChain, parseChainFile } from "../src/chain/import-chain.ts";
import { Price } from "../src/chain/fields.ts";
import type { Database } from "../src/schema.ts";
import { DEMO_LOCATIONS } from "../src/seed/constants.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing.ts";

const EXAMPLE_PATH = join(import.meta.dirname, "../../../deploy/chain.example.yaml");
const EXAMPLE = readFileSync(EXAMPLE_PATH, "utf8");
/** The example file as data, to change one thing at a time. */
// biome-ignore lint/suspicious/noExplicitAny: the tests edit the example's nested data freely
const example = () => parse(EXAMPLE) as Record<string, any>;
const fileOf = (data: unknown) => parseChainFile(stringify(data), "test.yaml");

/** Every problem of a file that does not import, as `path: message` lines. */
function problemsOf(text: string): string[] {
  try {
    parseChainFile(text, "bad.yaml");
  } catch (err) {
    assert.ok(err instanceof ChainFileError, String(err));
    return [...err.problems];
  }
  assert.fail("the file was accepted");
}

const brandTables = ["brands", "locations", "location_hours", "location_hour_exceptions", "phone_numbers", "location_staff_lines", "staff_line_hours", "ingredients", "categories", "products", "variations", "modifier_groups", "modifiers", "product_modifier_groups", "product_ingredients", "location_variation_prices", "specials"] as const;

/** Every row of every table the import writes (with updated_at), to compare before and after. */
async function snapshot(db: Kysely<Database>) {
  const out: Record<string, unknown[]> = {};
  for (const t of brandTables) out[t] = (await db.selectFrom(t).selectAll().execute()).map((r) => JSON.stringify(r)).sort();
  return out;
}

describe("chain import", () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase();
  });
  after(() => t?.close());

  it("imports the example file: brand, locations, numbers, hours, staff lines, menu and specials with exact prices", async () => {
    const summary = await importChain(t.db, parseChainFile(EXAMPLE));
    assert.equal(summary.brand.slug, "bella-napoli");
    assert.deepEqual(summary.hidden, { locations: 0, products: 0, specials: 0 });
    const locs = await t.db.selectFrom("locations").select(["slug", "timezone", "tax_rate_ppm", "public_phone", "delivery_fee_cents", "delivery_minimum_cents", "staff_transfer_numbers", "active"]).orderBy("slug").execute();
    assert.deepEqual(locs, [
      { slug: "bella-napoli-hoboken", timezone: "America/New_York", tax_rate_ppm: 66_250, public_phone: "+12015550177", delivery_fee_cents: 0, delivery_minimum_cents: 0, staff_transfer_numbers: ["+12015550178"], active: true },
      // "8.875%" = 88 750 ppm; fee "3.50" = 350; minimum "20.00" = 2000
      { slug: "bella-napoli-park-slope", timezone: "America/New_York", tax_rate_ppm: 88_750, public_phone: "+17185550142", delivery_fee_cents: 350, delivery_minimum_cents: 2000, staff_transfer_numbers: ["+17185550143", "+17185550144"], active: true },
    ]);
    const numbers = await t.db.selectFrom("phone_numbers").select(["e164", "purpose"]).orderBy("e164").execute();
    assert.deepEqual(numbers, [{ e164: "+12015550177", purpose: "main" }, { e164: "+17185550142", purpose: "main" }]);
    const parkSlope = summary.locations.find((l) => l.slug === "bella-napoli-park-slope")!.id;
    const hours = await t.db.selectFrom("location_hours").select(["weekday", "is_closed", "opens_at", "closes_at"]).where("location_id", "=", parkSlope).orderBy("weekday").orderBy("opens_at").execute();
    assert.deepEqual(hours.map((h) => (h.is_closed ? `${h.weekday} closed` : `${h.weekday} ${h.opens_at}-${h.closes_at}`)), [
      "1 closed",
      "2 11:30:00-22:00:00",
      "3 11:30:00-22:00:00",
      "4 11:30:00-22:00:00",
      "5 11:30:00-23:30:00",
      "6 11:00:00-15:00:00",
      "6 17:00:00-23:30:00",
      "7 12:00:00-21:00:00",
    ]);
    const staff = await t.db.selectFrom("location_staff_lines as s").leftJoin("staff_line_hours as h", "h.staff_line_id", "s.id").select(["s.priority", "s.e164", "s.label", "h.weekday", "h.opens_at"]).where("s.location_id", "=", parkSlope).orderBy("s.priority").orderBy("h.weekday").execute();
    assert.deepEqual(staff, [
      { priority: 0, e164: "+17185550143", label: "Front counter", weekday: null, opens_at: null },
      { priority: 1, e164: "+17185550144", label: "Manager on duty", weekday: 5, opens_at: "17:00:00" },
      { priority: 1, e164: "+17185550144", label: "Manager on duty", weekday: 6, opens_at: "17:00:00" },
    ]);
    const prices = await t.db.selectFrom("variations as v").innerJoin("products as p", "p.id", "v.product_id").select(["p.slug as item", "v.slug as size", "v.price_cents", "v.is_default"]).orderBy("p.slug").orderBy("v.sort").execute();
    assert.deepEqual(prices, [
      { item: "diavola", size: "small", price_cents: 1600, is_default: true },
      { item: "diavola", size: "large", price_cents: 2100, is_default: false },
      { item: "margherita", size: "small", price_cents: 1400, is_default: true },
      { item: "margherita", size: "large", price_cents: 1899, is_default: false },
      { item: "tiramisu", size: "regular", price_cents: 850, is_default: true },
    ]);
    const overrides = await t.db.selectFrom("location_variation_prices as o").innerJoin("variations as v", "v.id", "o.variation_id").select(["v.slug", "o.price_cents"]).orderBy("o.price_cents").execute();
    assert.deepEqual(overrides, [{ slug: "regular", price_cents: 750 }, { slug: "large", price_cents: 1949 }]);
    const tiramisu = await t.db.selectFrom("products").select(["allergens"]).where("slug", "=", "tiramisu").executeTakeFirstOrThrow();
    assert.deepEqual(tiramisu.allergens, ["egg", "milk", "wheat"], "the ingredients' allergens");
    const removable = await t.db.selectFrom("modifiers").select(["slug", "name", "kind", "extra_price_cents"]).where("kind", "=", "removable").orderBy("sort").execute();
    assert.deepEqual(removable, [{ slug: "basil", name: "Fresh Basil", kind: "removable", extra_price_cents: null }, { slug: "mozzarella", name: "Cheese", kind: "removable", extra_price_cents: 200 }]);
    const specials = await t.db.selectFrom("specials").select(["slug", "days_of_week", "start_time", "special_price_cents", "location_id"]).orderBy("slug").execute();
    assert.deepEqual(specials.map((s) => [s.slug, s.days_of_week, s.start_time, s.special_price_cents, s.location_id !== null]), [
      ["hoboken-lunch", [1, 2, 3, 4, 5], "11:00:00", 1200, true],
      ["margherita-tuesday", [2], null, 1500, false],
    ]);
  });

  it("re-importing the same file changes nothing (no row written, no updated_at moved)", async () => {
    const before = await snapshot(t.db);
    const summary = await importChain(t.db, parseChainFile(EXAMPLE));
    assert.deepEqual(summary.changed, {});
    assert.deepEqual(summary.deleted, {});
    assert.deepEqual(summary.hidden, { locations: 0, products: 0, specials: 0 });
    assert.deepEqual(await snapshot(t.db), before);
  });

  it("an item, special or location left out is hidden, not deleted: its orders keep pointing at it; listing it again restores it", async () => {
    const hoboken = await t.db.selectFrom("locations").select("id").where("slug", "=", "bella-napoli-hoboken").executeTakeFirstOrThrow();
    const item = await t.db.selectFrom("products as p").innerJoin("variations as v", "v.product_id", "p.id").select(["p.id as productId", "v.id as variationId"]).where("p.slug", "=", "tiramisu").executeTakeFirstOrThrow();
    const order = await t.db.insertInto("orders").values({ location_id: hoboken.id, channel: "voice", call_sid: "CAimport1", order_session_id: "s-import-1", order_type: "pickup" }).returning("id").executeTakeFirstOrThrow();
    await t.db.insertInto("order_items").values({ order_id: order.id, product_id: item.productId, variation_id: item.variationId, product_name: "Tiramisu", size_name: null, unit_price_cents: 750, quantity: 1, line_total_cents: 750, position: 0 }).execute();

    const smaller = example();
    smaller.menu.categories[1].items = [{ slug: "cannoli", name: "Cannoli", price: "4.00" }];
    smaller.menu.specials = smaller.menu.specials.filter((s: { slug: string }) => s.slug !== "hoboken-lunch");
    smaller.locations = smaller.locations.filter((l: { slug: string }) => l.slug !== "bella-napoli-hoboken");
    const summary = await importChain(t.db, fileOf(smaller));
    assert.deepEqual(summary.hidden, { locations: 1, products: 1, specials: 1 });
    const rows = await t.db.selectFrom("products").select(["slug", "active"]).orderBy("slug").execute();
    assert.deepEqual(rows, [
      { slug: "cannoli", active: true },
      { slug: "diavola", active: true },
      { slug: "margherita", active: true },
      { slug: "tiramisu", active: false },
    ]);
    const line = await t.db.selectFrom("order_items").select(["product_id", "variation_id"]).where("order_id", "=", order.id).executeTakeFirstOrThrow();
    assert.deepEqual(line, { product_id: item.productId, variation_id: item.variationId }, "the order line still names the hidden item");
    assert.equal((await t.db.selectFrom("locations").select("active").where("id", "=", hoboken.id).executeTakeFirstOrThrow()).active, false);

    const again = await importChain(t.db, parseChainFile(EXAMPLE));
    assert.equal(again.locations.find((l) => l.slug === "bella-napoli-hoboken")!.id, hoboken.id, "same id as before");
    const restored = await t.db.selectFrom("products").select(["id", "active"]).where("slug", "=", "tiramisu").executeTakeFirstOrThrow();
    assert.deepEqual(restored, { id: item.productId, active: true });
    assert.equal(again.hidden.products, 1, "cannoli, no longer listed, is hidden in turn");
  });

  it("a number already routed to another brand's location is refused before anything is written", async () => {
    await using other = await createTestDatabase({ seed: true });
    const clash = example();
    clash.locations[1].phone = DEMO_LOCATIONS.newYork.phone;
    await assert.rejects(importChain(other.db, fileOf(clash)), (err: unknown) => {
      assert.ok(err instanceof ChainFileError);
      assert.deepEqual(err.problems, [`locations[1]: ${DEMO_LOCATIONS.newYork.phone} is already routed to location "tonys-midtown" of another brand`]);
      return true;
    });
    assert.equal((await other.db.selectFrom("brands").select("slug").where("slug", "=", "bella-napoli").execute()).length, 0);
  });
});

describe("chain file validation", () => {
  it("names every bad field with its path and what is wrong with it", () => {
    const bad = example();
    bad.locations[1].hours.mon = "11:00-25:00";
    delete bad.locations[1].hours.sun;
    bad.locations[0].phone = "+1212555010";
    bad.locations[0].timezone = "America/NewYork";
    bad.locations[0].taxRate = 8.875;
    bad.menu.categories[0].items[0].sizes[1].price = 18.99;
    bad.menu.categories[0].items[1].prise = "1.00";
    bad.menu.categories[1].items[0].price = "8.5.0";
    assert.deepEqual(problemsOf(stringify(bad)).sort(), [
      'locations[0].phone: "+1212555010" is not a valid phone number in E.164 (e.g. "+12125550100", country code first)',
      'locations[0].taxRate: 8.875 is not a tax rate (write it as a percentage string like "8.875%")',
      'locations[0].timezone: "America/NewYork" is not an IANA timezone (e.g. "America/New_York")',
      'locations[1].hours.mon: "25:00" is not a time (HH:MM from 00:00 to 23:59; "00:00" closes at midnight)',
      'locations[1].hours.sun: is not set (write "closed" for a closed day)',
      'menu.categories[0].items[0].sizes[1].price: 18.99 is not whole cents (a number means cents: write 1299 or the string "12.99")',
      'menu.categories[0].items[1]: Unrecognized key: "prise"',
      'menu.categories[1].items[0].price: "8.5.0" is not a price (write "12.99" or whole cents like 1299)',
    ]);
  });

  it("names references to things the file does not define, and keys used twice", () => {
    const bad = example();
    bad.menu.specials[0].item = "calzone";
    bad.menu.specials[1].size = "medium";
    bad.menu.categories[1].items.push({ slug: "diavola", name: "Diavola cake", price: "5.00" });
    bad.menu.categories[1].slug = "pizza";
    bad.menu.categories[0].items[0].groups = ["extra-toppings", "sauces"];
    bad.menu.categories[0].items[0].removable = ["oregano"];
    bad.locations[1].prices = { "margherita": "19.00", "pizza/large": "1.00" };
    bad.locations[1].staffLines = [{ phone: "+17185550142" }];
    bad.locations[1].numbers = ["+17185550142"];
    assert.deepEqual(problemsOf(stringify(bad)).sort(), [
      'locations[1].numbers[0]: +17185550142 is already routed by locations[0].phone',
      'locations[1].prices.margherita: margherita has sizes (small, large): write "margherita/<size>"',
      'locations[1].prices.pizza/large: "pizza/large" is not an item slug or "item/size"',
      'menu.categories[0].items[0].groups[1]: "sauces" is not a modifier group in menu.modifierGroups',
      'menu.categories[0].items[0].removable[0]: "oregano" is not one of this item\'s ingredients',
      'menu.categories[1].items[1].slug: item slug "diavola" is already used by menu.categories[0].items[1]',
      'menu.categories[1].slug: category slug "pizza" is already used by menu.categories[0]',
      'menu.specials[0].item: "calzone" is not an item slug',
      'menu.specials[1].size: "medium" is not a size of diavola (small, large)',
    ]);
  });

  it("says where a YAML syntax error is", () => {
    const problems = problemsOf("brand:\n  name: X\n  name: Y\nlocations: [\n");
    assert.ok(problems.length >= 1 && problems.every((p) => /^line \d+: /.test(p)), problems.join("\n"));
  });

  it("converts every dollar string from 0.00 to 999.99 to the exact cents (no float rounding)", () => {
    for (let cents = 0; cents < 100_000; cents++) {
      const text = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
      assert.equal(Price.parse(text), cents, text);
    }
    // "4.35" * 100 is 434.99999999999994 as a float; "0.1" is ten cents; "$12" is twelve dollars; numbers are cents.
    assert.deepEqual(["4.35", "0.1", "$12", "19.99"].map((p) => Price.parse(p)), [435, 10, 1200, 1999]);
    assert.equal(Price.parse(1299), 1299);
    assert.equal(Price.safeParse("12.999").success, false);
    assert.equal(Price.safeParse(-1).success, false);
  });
});
