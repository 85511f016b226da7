import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { orderFlags } from "./flags.ts";
import { describeLine, readback } from "./speech.ts";

const line = (name: string, size: string | null, quantity: number, modifiers: { name: string; action: "add" | "no" | "extra" }[] = []) => ({
  name,
  size,
  quantity,
  modifiers: modifiers.map((m) => ({ ...m, modifierId: "00000000-0000-4000-8000-000000000000", priceCents: 0 })),
});

describe("readback", () => {
  it("reads the cart back the way a person would", () => {
    const text = readback([line("Pepperoni Pizza", "Large", 1), line("Coke", null, 2)], { totalCents: 2415, deliveryFeeCents: 0 });
    assert.equal(text, "a large pepperoni pizza and two cokes, $24.15 with tax");
  });
  it("names modifiers and the delivery fee", () => {
    assert.equal(
      describeLine(line("Cheese Pizza", "Medium", 1, [{ name: "Mushrooms", action: "add" }, { name: "Onions", action: "no" }, { name: "Cheese", action: "extra" }])),
      "a medium cheese pizza with mushrooms, no onions, and extra cheese",
    );
    assert.match(readback([line("Italian Sub", null, 1)], { totalCents: 1500, deliveryFeeCents: 399 }), /^an italian sub, \$15\.00 with tax including the \$3\.99 delivery fee$/);
    assert.equal(readback([], { totalCents: 0, deliveryFeeCents: 0 }), "Your order is empty so far.");
  });
});

describe("orderFlags", () => {
  it("flags orders strictly over the total or item-count threshold", () => {
    const limits = { totalCents: 25_000, itemCount: 20 };
    assert.deepEqual(orderFlags({ totalCents: 25_000, itemCount: 20 }, limits), { largeOrder: false });
    const flagged = orderFlags({ totalCents: 25_001, itemCount: 21 }, limits);
    assert.equal(flagged.largeOrder, true);
    assert.match(flagged.largeOrderReason ?? "", /\$250\.01.*21 items/);
  });
});
