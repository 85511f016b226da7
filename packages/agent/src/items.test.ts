import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { testItem as item, testMenu } from "../test/menu-fixture.ts";
import { parseOrder } from "./items.ts";
import { clean } from "./text.ts";

const pizza = (name: string) =>
  item(
    name,
    "Pizzas",
    [
      ["Small", 1299],
      ["Medium", 1599],
      ["Large", 1899],
    ],
    [{ name: "Add Toppings", choices: ["Mushrooms", "Onions", "Pepperoni"] }],
  );

const menu = testMenu([
    { name: "Pizzas", items: [pizza("Pepperoni Pizza"), pizza("Cheese Pizza")] },
    {
      name: "Wings",
      items: [
        item(
          "Buffalo Wings",
          "Wings",
          [
            ["6 Piece", 899],
            ["12 Piece", 1599],
          ],
          [{ name: "Dipping Sauce", choices: ["Ranch", "Blue Cheese"] }],
        ),
      ],
    },
    {
      name: "Sides",
      items: [
        item("Garlic Knots", "Sides", [
          ["6 Piece", 599],
          ["12 Piece", 999],
        ]),
        item("Onion Rings", "Sides", [["Regular", 549]]),
      ],
    },
    { name: "Pasta", items: [item("Spaghetti and Meatballs", "Pasta", [["Regular", 1499]]), item("Baked Ziti", "Pasta", [["Regular", 1399]])] },
  { name: "Drinks", items: [item("Coca-Cola", "Drinks", [["Medium", 259]]), item("Diet Coke", "Drinks", [["Medium", 259]])] },
]);

const requests = (text: string) => parseOrder(menu, clean(text)).items.map((i) => i.request);

describe("parseOrder", () => {
  it("splits several items in one sentence with quantities and sizes left in the phrase", () => {
    assert.deepEqual(requests("Two large pepperonis and a coke please"), [
      { item: "large pepperonis", quantity: 2, modifiers: [] },
      { item: "coke", quantity: 1, modifiers: [] },
    ]);
  });

  it("keeps modifiers with their item, across 'and'", () => {
    assert.deepEqual(requests("a large cheese pizza with mushrooms and onions, and a diet coke"), [
      {
        item: "large cheese pizza",
        quantity: 1,
        modifiers: [
          { name: "mushrooms", action: "add" },
          { name: "onions", action: "add" },
        ],
      },
      { item: "diet coke", quantity: 1, modifiers: [] },
    ]);
    assert.deepEqual(requests("a medium pepperoni pizza with no onions and extra cheese")[0]!.modifiers, [
      { name: "onions", action: "no" },
      { name: "cheese", action: "extra" },
    ]);
  });

  it("reads a piece count as the size and 'a dozen' as the 12 piece (or twelve of something else)", () => {
    assert.deepEqual(requests("6 buffalo wings with ranch"), [{ item: "6 piece buffalo wings", quantity: 1, modifiers: [{ name: "ranch", action: "add" }] }]);
    assert.deepEqual(requests("a dozen garlic knots"), [{ item: "12 piece garlic knots", quantity: 1, modifiers: [] }]);
    assert.deepEqual(requests("a couple of cokes"), [{ item: "cokes", quantity: 2, modifiers: [] }]);
  });

  it("keeps a product whose name has 'and' in it whole", () => {
    assert.deepEqual(requests("spaghetti and meatballs"), [{ item: "spaghetti and meatballs", quantity: 1, modifiers: [] }]);
  });

  it("does not take words that only sound like an item for one ('I asked' is not Baked Ziti)", () => {
    const parsed = parseOrder(menu, clean("I asked, is the owner named Tony"));
    assert.ok(parsed.items.every((i) => i.farOff));
    assert.equal(parseOrder(menu, clean("a baked ziti")).items[0]!.farOff, false);
  });

  it("finds no item in 'I'd like to place an order' and its kind", () => {
    for (const s of ["I'd like to place an order for pickup", "I'm calling to order some food", "can I make an order", "I want to order"]) {
      assert.deepEqual(requests(s), [], s);
    }
  });

  it("reports half toppings as impossible and 'another one' as a repeat", () => {
    assert.deepEqual(parseOrder(menu, clean("a large cheese pizza with half pepperoni")).unsupported, ["half pepperoni"]);
    assert.equal(parseOrder(menu, clean("another one")).repeatLast, 1);
  });

  it("takes the crust from inside the item phrase", () => {
    assert.deepEqual(requests("a medium thin crust pepperoni pizza"), [{ item: "medium pepperoni pizza", quantity: 1, modifiers: [{ name: "thin crust", action: "add" }] }]);
  });
});
