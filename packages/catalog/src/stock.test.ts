import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fixtureMenu, productBySlug } from "../test/fixture-menu.ts";
import { ingredientIsOut, ingredientNeeds, unitIngredients } from "./stock.ts";
import type { Product } from "./types.ts";

const modifierId = (product: Product, name: string): string => {
  const m = product.modifierGroups.flatMap((g) => g.modifiers).find((x) => x.name === name);
  if (!m) throw new Error(`no modifier ${name} on ${product.name}`);
  return m.id;
};
const ingredientOf = (product: Product, name: string): string => {
  const m = product.modifierGroups.flatMap((g) => g.modifiers).find((x) => x.name === name);
  if (!m?.ingredientId) throw new Error(`modifier ${name} has no ingredient`);
  return m.ingredientId;
};

describe("ingredientIsOut", () => {
  it("is out when marked out or counted down to zero; a missing row or no count is in stock", () => {
    assert.deepEqual(
      [ingredientIsOut(false, null), ingredientIsOut(false, 12), ingredientIsOut(true, 0), ingredientIsOut(null, 0)],
      [true, true, true, true],
    );
    assert.deepEqual([ingredientIsOut(true, null), ingredientIsOut(true, 1), ingredientIsOut(null, null)], [false, false, false]);
  });
});

describe("unitIngredients / ingredientNeeds", () => {
  const menu = fixtureMenu();
  const pepperoni = productBySlug(menu, "pepperoni-pizza");
  const mozzarella = ingredientOf(pepperoni, "Cheese");
  const mushroom = ingredientOf(pepperoni, "Mushrooms");

  it("uses one unit of each base ingredient per item", () => {
    const units = unitIngredients(pepperoni, []);
    assert.equal(units.size, 3); // mozzarella, tomato sauce, pepperoni
    assert.deepEqual([...units.values()], [1, 1, 1]);
  });

  it("'no' leaves an ingredient out, 'extra' doubles it, 'add' adds one of an add-on", () => {
    const units = unitIngredients(pepperoni, [
      { modifierId: modifierId(pepperoni, "Cheese"), action: "no" },
      { modifierId: modifierId(pepperoni, "Mushrooms"), action: "extra" },
    ]);
    assert.equal(units.has(mozzarella), false);
    assert.equal(units.get(mushroom), 2);
    assert.equal(unitIngredients(pepperoni, [{ modifierId: modifierId(pepperoni, "Mushrooms"), action: "add" }]).get(mushroom), 1);
    assert.equal(unitIngredients(pepperoni, [{ modifierId: modifierId(pepperoni, "Cheese"), action: "extra" }]).get(mozzarella), 2);
  });

  it("ignores modifiers without an ingredient or unknown to the product", () => {
    const units = unitIngredients(pepperoni, [
      { modifierId: null, action: "add" },
      { modifierId: "00000000-0000-4000-8000-000000000000", action: "extra" },
    ]);
    assert.deepEqual([...units.values()], [1, 1, 1]);
  });

  it("sums item units × line quantity over the lines; lines off the menu use nothing", () => {
    const veggie = productBySlug(menu, "veggie-pizza");
    const needs = ingredientNeeds(menu, [
      { productId: pepperoni.id, quantity: 3, modifiers: [{ modifierId: modifierId(pepperoni, "Mushrooms"), action: "extra" }] }, // 3 × 2 mushrooms
      { productId: veggie.id, quantity: 2, modifiers: [] }, // 2 × 1 mushroom
      { productId: null, quantity: 5, modifiers: [] },
      { productId: "00000000-0000-4000-8000-000000000001", quantity: 5, modifiers: [] },
    ]);
    assert.equal(needs.get(mushroom), 8);
    assert.equal(needs.get(mozzarella), 3); // veggie pizza has no mozzarella in this fixture
  });
});
