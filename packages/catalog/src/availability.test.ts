import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fixtureMenu, productBySlug } from "../test/fixture-menu.ts";
import { alternativesFor, availabilityOf, specialsOn, variationPriceAt } from "./availability.ts";
import { waitMinutesFor } from "./wait-time.ts";

const wednesdayNoon = new Date("2026-11-25T17:00:00Z"); // 12:00 EST
const names = (ps: { name: string }[]) => ps.map((p) => p.name);

describe("availabilityOf / alternativesFor", () => {
  it("is available by default", () => {
    const menu = fixtureMenu();
    assert.deepEqual(availabilityOf(menu, productBySlug(menu, "caesar-salad"), wednesdayNoon), {
      available: true,
      reason: null,
      missingIngredients: [],
      servingWindow: null,
    });
  });

  it("makes products with an out-of-stock ingredient unavailable and offers same-category alternatives closest in price", () => {
    const menu = fixtureMenu({ outOfStock: ["romaine"] });
    const caesar = productBySlug(menu, "caesar-salad");
    const a = availabilityOf(menu, caesar, wednesdayNoon);
    assert.equal(a.available, false);
    assert.equal(a.reason, "ingredient_out_of_stock");
    assert.deepEqual(a.missingIngredients, ["romaine"]);
    assert.deepEqual(names(alternativesFor(menu, caesar, wednesdayNoon)), ["Greek Salad", "Garden Salad"]);
  });

  it("honours the location's sold-out override before anything else", () => {
    const menu = fixtureMenu({ soldOut: ["buffalo-wings"], outOfStock: ["chicken wings"] });
    const wings = productBySlug(menu, "buffalo-wings");
    assert.equal(availabilityOf(menu, wings, wednesdayNoon).reason, "sold_out");
    assert.deepEqual(names(alternativesFor(menu, wings, wednesdayNoon)), ["Boneless Wings"]);
  });

  it("excludes unavailable products from alternatives", () => {
    const menu = fixtureMenu({ outOfStock: ["romaine", "olive"] });
    assert.deepEqual(names(alternativesFor(menu, productBySlug(menu, "caesar-salad"), wednesdayNoon)), ["Garden Salad"]);
  });

  it("respects serving windows in local time, including windows past midnight", () => {
    const menu = fixtureMenu();
    const calzone = productBySlug(menu, "lunch-calzone"); // 11:00–15:00
    const fries = productBySlug(menu, "late-night-fries"); // 22:00–02:00
    assert.equal(availabilityOf(menu, calzone, wednesdayNoon).available, true);
    const evening = new Date("2026-11-25T23:00:00Z"); // 18:00 EST
    assert.deepEqual(availabilityOf(menu, calzone, evening).reason, "outside_serving_hours");
    assert.deepEqual(availabilityOf(menu, calzone, evening).servingWindow, { start: "11:00", end: "15:00" });
    assert.equal(availabilityOf(menu, fries, evening).available, false);
    assert.equal(availabilityOf(menu, fries, new Date("2026-11-28T06:00:00Z")).available, true); // 01:00 EST
    assert.equal(availabilityOf(menu, fries, new Date("2026-11-28T07:00:00Z")).available, false); // 02:00 EST
  });
});

describe("specials", () => {
  const menu = fixtureMenu();
  const pep = productBySlug(menu, "pepperoni-pizza");
  const large = pep.variations.find((v) => v.name === "Large")!;
  const small = pep.variations.find((v) => v.name === "Small")!;

  it("lists the specials of the local day with whether they run now", () => {
    const tuesday2pm = new Date("2026-11-24T19:00:00Z"); // Tue 14:00 EST
    const today = specialsOn(menu, tuesday2pm);
    assert.deepEqual(
      today.map((s) => [s.special.name, s.availableNow]),
      [
        ["Large Pepperoni Tuesday", true],
        ["Happy Hour Wings", false],
      ],
    );
    assert.deepEqual(
      specialsOn(menu, new Date("2026-11-24T21:00:00Z")).map((s) => s.availableNow),
      [true, true],
    );
    // Tuesday 23:30 in New York is already Wednesday in UTC: still Tuesday's specials.
    assert.deepEqual(
      specialsOn(menu, new Date("2026-11-25T04:30:00Z")).map((s) => s.special.name),
      ["Large Pepperoni Tuesday", "Happy Hour Wings"],
    );
    assert.deepEqual(specialsOn(menu, new Date("2026-11-29T17:00:00Z")), [], "nothing on Sunday");
    assert.deepEqual(specialsOn(menu, new Date("2027-01-05T20:00:00Z")).map((s) => s.special.name), ["Large Pepperoni Tuesday"], "happy hour ended with 2026");
  });

  it("prices a variation with a running special, only the variation it names", () => {
    const tuesday = new Date("2026-11-24T19:00:00Z");
    assert.deepEqual(variationPriceAt(menu, pep, large, tuesday).priceCents, 1499);
    assert.equal(variationPriceAt(menu, pep, small, tuesday).priceCents, 1299);
    assert.equal(variationPriceAt(menu, pep, large, wednesdayNoon).priceCents, 1899);
  });
});

describe("waitMinutesFor", () => {
  const menu = fixtureMenu(); // prep 20, delivery +25
  it("adds delivery time and 2 minutes per open order beyond 3, capped", () => {
    assert.equal(waitMinutesFor(menu, "pickup", 0), 20);
    assert.equal(waitMinutesFor(menu, "pickup", 3), 20);
    assert.equal(waitMinutesFor(menu, "pickup", 8), 30);
    assert.equal(waitMinutesFor(menu, "delivery", 8), 55);
    assert.equal(waitMinutesFor(menu, "pickup", 500), 65);
  });
});
