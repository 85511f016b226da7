import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type LocationMenu, loadLocationMenu } from "@orderline/catalog";
import { DEMO_LOCATIONS } from "@orderline/db";
import { createTestDatabase, type TestDatabase } from "@orderline/db/testing";
import { e164Of, parseOrderText } from "../src/index.ts";

/** order_text read against the seeded New York menu (the catalog's resolution, through the local agent's splitter). */
describe("parseOrderText on the demo menu", () => {
  let tdb: TestDatabase;
  let menu: LocationMenu;
  before(async () => {
    tdb = await createTestDatabase({ seed: true });
    menu = await loadLocationMenu(tdb.db, DEMO_LOCATIONS.newYork.id);
  });
  after(() => tdb.close());

  const lines = (text: string) => parseOrderText(menu, text).lines.map((l) => [l.name, l.size, l.quantity, l.modifiers]);
  const unmatched = (text: string) => parseOrderText(menu, text).unmatched.map((u) => [u.text, u.quantity, u.reason, u.candidates]);

  it("reads written multipliers: 2x, 2 x, 2×, x2", () => {
    assert.deepEqual(lines("2x beef burgers, 1x fries"), [["French Fries", null, 1, []]]);
    assert.deepEqual(lines("coke x2; garlic knots x 1"), [
      ["Coca-Cola", null, 2, []],
      ["Garlic Knots", null, 1, []],
    ]);
    assert.deepEqual(lines("2 × Margherita pizza (large)"), [["Margherita Pizza", "Large", 2, []]]);
  });

  it("reads sizes, plurals, 'and', articles and modifiers", () => {
    assert.deepEqual(lines("3 large pepperoni pizzas and a coke"), [
      ["Pepperoni Pizza", "Large", 3, []],
      ["Coca-Cola", null, 1, []],
    ]);
    assert.deepEqual(lines("1 large cheese pizza with extra cheese and no onions"), [
      [
        "Cheese Pizza",
        "Large",
        1,
        [
          { name: "cheese", action: "extra" },
          { name: "onions", action: "no" },
        ],
      ],
    ]);
  });

  it("puts what names no single item in `unmatched`, with what it may have meant", () => {
    assert.deepEqual(unmatched("2x beef burgers, 1x fries"), [["beef burgers", 2, "not_on_menu", ["Root Beer", "Chicken Tenders", "Cheese Pizza"]]]);
    assert.deepEqual(unmatched("2 buffalo"), [["buffalo", 2, "ambiguous", ["Buffalo Chicken Pizza", "Buffalo Wings"]]]);
    assert.deepEqual(unmatched("a jumbo coke"), [["jumbo coke", 1, "invalid_size", ["Small", "Medium", "Large"]]]);
    assert.deepEqual(unmatched("a large cheese pizza with half pepperoni"), [["half pepperoni", 1, "unsupported", []]]);
  });

  it("finds nothing in text that is no order", () => {
    assert.deepEqual(parseOrderText(menu, "!!!"), { lines: [], unmatched: [] });
    assert.deepEqual(parseOrderText(menu, "   "), { lines: [], unmatched: [] });
  });

  it("reads phone cells in the location's country as E.164 and refuses numbers that cannot be dialled", () => {
    assert.equal(menu.location.country, "US");
    assert.equal(e164Of("(212) 555-0123", "US"), "+12125550123");
    assert.equal(e164Of("+44 20 7946 0958", "US"), "+442079460958");
    assert.equal(e164Of("555-123-4567", "US"), undefined, "no US area code 555");
    assert.equal(e164Of("555", "US"), undefined);
    assert.equal(e164Of("020 7946 0958", "GB"), "+442079460958");
  });
});
