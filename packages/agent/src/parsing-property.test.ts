import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { testItem, testMenu } from "../test/menu-fixture.ts";
import { parseAddress, parseName, parsePhone } from "./caller-details.ts";
import { parseOrder } from "./items.ts";
import { clean, spanishToEnglish } from "./text.ts";

const menu = testMenu([
  {
    name: "Pizzas",
    items: [
      testItem("Pepperoni Pizza", "Pizzas", [
        ["Small", 1299],
        ["Large", 1899],
      ]),
    ],
  },
]);

const words = fc.constantFrom("a", "two", "large", "pepperoni", "pizza", "with", "no", "extra", "and", ",", "half", "dozen", "another", "one", "12", "piece", "ñ", "é", "?", "tarjeta", "5");
const speech = fc.oneof(fc.string({ maxLength: 300 }), fc.array(words, { maxLength: 40 }).map((w) => w.join(" ")));

describe("parsing never throws and keeps its bounds, whatever was heard", () => {
  it("items: arguments add_item accepts (1–50, names ≤ 120 characters)", () => {
    fc.assert(
      fc.property(speech, (text) => {
        const parsed = parseOrder(menu, spanishToEnglish(clean(text)));
        for (const { request } of parsed.items) {
          assert.ok(request.quantity >= 1 && request.quantity <= 50);
          assert.ok(request.item.length >= 1 && request.item.length <= 120);
          for (const m of request.modifiers) assert.ok(m.name.length >= 1 && m.name.length <= 120);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("phone, name and address: E.164 or null, short names, 5-digit ZIPs", () => {
    fc.assert(
      fc.property(speech, (text) => {
        const cleaned = clean(text);
        const phone = parsePhone(cleaned);
        assert.ok(phone === null || /^\+1\d{10}$/.test(phone));
        const name = parseName(cleaned, text);
        assert.ok(name === null || (name.length > 0 && name.length <= 60 && !/\d/.test(name)));
        const address = parseAddress(cleaned);
        assert.ok(address.postal_code === undefined || /^\d{5}$/.test(address.postal_code));
      }),
      { numRuns: 500 },
    );
  });
});
