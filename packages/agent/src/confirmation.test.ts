import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { changeIn, initialConfirmationState, parseConfirmationState } from "./confirmation.ts";
import { clean } from "./text.ts";

describe("confirmation mode: what the customer asks to change", () => {
  const cases: [string, ReturnType<typeof changeIn>][] = [
    ["Make it 3 pepperoni pizzas instead.", { tool: "update_item", args: { item: "pepperoni pizzas", quantity: 3 } }],
    ["make it three burgers instead", { tool: "update_item", args: { item: "burgers", quantity: 3 } }],
    ["change the cokes to two", { tool: "update_item", args: { item: "cokes", quantity: 2 } }],
    ["make the pizza a medium", { tool: "update_item", args: { item: "pizza", size: "medium" } }],
    ["Add a Coke.", { tool: "add_item", args: { item: "coke", quantity: 1 } }],
    ["also two garlic knots please", { tool: "add_item", args: { item: "garlic knots", quantity: 2 } }],
    ["Remove the fries.", { tool: "remove_item", args: { item: "fries" } }],
    ["take off the coke", { tool: "remove_item", args: { item: "coke" } }],
    ["yes, confirm", null],
    ["no that's all", null],
    ["sounds good and thanks", null],
  ];
  for (const [said, expected] of cases) {
    it(`"${said}" → ${expected ? `${expected.tool} ${JSON.stringify(expected.args)}` : "no change"}`, () => {
      assert.deepEqual(changeIn(clean(said)), expected);
    });
  }

  it("the state round-trips and a malformed one is refused with the field named", () => {
    const s = initialConfirmationState("es-US");
    assert.deepEqual(parseConfirmationState(JSON.parse(JSON.stringify(s))), s);
    assert.equal(s.lang, "es");
    assert.throws(() => parseConfirmationState({ ...s, failures: -1 }), /failures/);
  });
});
