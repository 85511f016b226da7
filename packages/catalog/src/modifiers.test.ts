import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fixtureMenu, productBySlug, failure } from "../test/fixture-menu.ts";
import { resolveModifiers } from "./modifiers.ts";
import { lineTotalCents, priceLine, unitPriceCents } from "./pricing.ts";
import { resolveSize } from "./resolve.ts";

const menu = fixtureMenu({ outOfStock: ["jalapeno"] });
const pep = productBySlug(menu, "pepperoni-pizza");
const wings = productBySlug(menu, "buffalo-wings");
const salad = productBySlug(menu, "caesar-salad");
const knots = productBySlug(menu, "garlic-knots");

const summary = (mods: ReturnType<typeof resolveModifiers>) => mods.map((m) => `${m.action}:${m.name}:${m.priceCents}${m.defaulted ? ":default" : ""}`);

describe("resolveModifiers", () => {
  it("fills a required group from its default and prices add-ons", () => {
    assert.deepEqual(summary(resolveModifiers(menu, pep, [{ name: "onions", action: "add" }])), ["add:Hand Tossed:0:default", "add:Onions:150"]);
  });

  it("replaces the default when the caller picks in that group", () => {
    assert.deepEqual(summary(resolveModifiers(menu, pep, [{ name: "stuffed crust" }])), ["add:Stuffed Crust:300"]);
    assert.deepEqual(summary(resolveModifiers(menu, pep, [{ name: "thin" }])), ["add:Thin Crust:0"]);
  });

  it("prices extra with the extra price and allows 'no' only for removable ingredients", () => {
    const mods = resolveModifiers(menu, pep, [
      { name: "cheese", action: "extra" },
      { name: "mushrooms", action: "extra" },
      { name: "tomato sauce", action: "no" },
    ]);
    assert.deepEqual(summary(mods), ["add:Hand Tossed:0:default", "extra:Mushrooms:225", "extra:Cheese:200", "no:Tomato Sauce:0"]);
    const no = failure(() => resolveModifiers(menu, pep, [{ name: "onions", action: "no" }]));
    assert.equal(no.code, "invalid_modifier");
    assert.match(no.message, /doesn't come with Onions/);
  });

  it("reads the action from the words ('extra cheese', 'no sauce', 'without cheese')", () => {
    assert.deepEqual(summary(resolveModifiers(menu, pep, [{ name: "extra cheese" }, { name: "no sauce" }])), [
      "add:Hand Tossed:0:default",
      "extra:Cheese:200",
      "no:Tomato Sauce:0",
    ]);
    assert.deepEqual(summary(resolveModifiers(menu, pep, [{ name: "without cheese" }])).at(-1), "no:Cheese:0");
  });

  it("refuses extra where no extra price exists", () => {
    const err = failure(() => resolveModifiers(menu, pep, [{ name: "pineapple", action: "extra" }]));
    assert.equal(err.code, "invalid_modifier");
    assert.match(err.message, /can't do extra Pineapple/);
  });

  it("demands a required choice without default, telling the choices (wing sauce)", () => {
    const err = failure(() => resolveModifiers(menu, wings, []));
    assert.equal(err.code, "invalid_modifier");
    assert.match(err.message, /needs a wing sauce choice: Mild, Hot, BBQ or Garlic Parmesan/);
    assert.deepEqual((err.details!.choices as { name: string }[]).map((c) => c.name), ["Mild", "Hot", "BBQ", "Garlic Parmesan"]);
    assert.deepEqual(summary(resolveModifiers(menu, wings, [{ name: "barbecue" }, { name: "ranch" }])), ["add:BBQ:0", "add:Ranch:75"]);
  });

  it("enforces the group maximum", () => {
    const one = failure(() => resolveModifiers(menu, wings, [{ name: "hot" }, { name: "mild" }]));
    assert.equal(one.code, "invalid_modifier");
    assert.match(one.message, /takes one Wing Sauce/);
    // the same topping twice counts once: five distinct toppings are within the maximum
    const five = resolveModifiers(menu, pep, ["onions", "mushrooms", "pineapple", "green peppers", "olives", "olives"].map((name) => ({ name })));
    assert.equal(five.filter((m) => m.groupName === "Toppings").length, 5);
  });

  it("enforces the group maximum of five toppings", () => {
    const err = failure(() =>
      resolveModifiers(
        menu,
        pep,
        ["onions", "mushrooms", "pineapple", "green peppers", "olives"].map((name) => ({ name })).concat({ name: "jalapenos" }),
      ),
    );
    // jalapeños are out of stock in this menu: that is reported first
    assert.equal(err.code, "out_of_stock");
    const menu2 = fixtureMenu();
    const err2 = failure(() =>
      resolveModifiers(menu2, productBySlug(menu2, "pepperoni-pizza"), ["onions", "mushrooms", "pineapple", "green peppers", "olives", "jalapenos"].map((name) => ({ name }))),
    );
    assert.equal(err2.code, "invalid_modifier");
    assert.match(err2.message, /up to 5 Toppings choices; you asked for 6/);
  });

  it("reports a choice whose ingredient is out of stock", () => {
    const err = failure(() => resolveModifiers(menu, pep, [{ name: "jalapeños" }]));
    assert.equal(err.code, "out_of_stock");
    assert.match(err.message, /out of Jalapeños/);
  });

  it("rejects unknown choices with the real options, and products without options", () => {
    const err = failure(() => resolveModifiers(menu, pep, [{ name: "anchovies" }]));
    assert.equal(err.code, "invalid_modifier");
    assert.match(err.message, /doesn't have anchovies as an option\. You can add Onions, Mushrooms, /);
    assert.equal(failure(() => resolveModifiers(menu, knots, [{ name: "ranch" }])).code, "invalid_modifier");
    assert.equal(failure(() => resolveModifiers(menu, pep, [{ name: "x".repeat(500) }])).code, "invalid_modifier");
  });

  it("keeps an optional group's default (salad dressing)", () => {
    assert.deepEqual(summary(resolveModifiers(menu, salad, [])), ["add:Caesar Dressing:0:default"]);
    assert.deepEqual(summary(resolveModifiers(menu, salad, [{ name: "balsamic" }])), ["add:Balsamic:0"]);
  });
});

describe("priceLine", () => {
  it("adds modifier prices to the variation price and multiplies by quantity", () => {
    const large = resolveSize(pep, "large");
    const mods = resolveModifiers(menu, pep, [{ name: "stuffed crust" }, { name: "extra mushrooms" }, { name: "onions" }]);
    // $18.99 large + $3.00 stuffed crust + $2.25 extra mushrooms + $1.50 onions = $25.74, three of them $77.22.
    assert.deepEqual(priceLine(large, mods, 3), { unitPriceCents: 2574, lineTotalCents: 7722 });
  });

  it("prices a special via basePriceCents", () => {
    assert.deepEqual(priceLine({ priceCents: 1899 }, [{ priceCents: 150 }], 2, { basePriceCents: 1499 }), { unitPriceCents: 1649, lineTotalCents: 3298 });
  });

  it("refuses negative or fractional prices (unitPriceCents, lineTotalCents)", () => {
    assert.equal(unitPriceCents(1299, [150, 0, 200]), 1649);
    assert.throws(() => unitPriceCents(1299, [-500]), /non-negative integer cents/);
    assert.throws(() => lineTotalCents(12.5, 2), /non-negative integer cents/);
    assert.equal(lineTotalCents(1649, 50), 82_450);
  });

  it("rejects a bad quantity with invalid_quantity", () => {
    for (const q of [0, -1, 1.5, 51, Number.NaN]) assert.equal(failure(() => priceLine({ priceCents: 100 }, [], q)).code, "invalid_quantity");
  });
});
