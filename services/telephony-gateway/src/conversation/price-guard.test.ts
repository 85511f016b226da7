import assert from "node:assert/strict";
import { test } from "node:test";
import { centsIn, inventedPrices, pricesIn, SentenceBuffer } from "./price-guard.ts";

test("amounts named in a reply, in dollars and words", () => {
  assert.deepEqual(pricesIn("A large is $18.99, a small $12."), [1899, 1200]);
  assert.deepEqual(pricesIn("That comes to 25 dollars and the wings are 9.50 dollars"), [2500, 950]);
  assert.deepEqual(pricesIn("Son 12 dólares."), [1200]);
  assert.deepEqual(pricesIn("Your order number is 47, ready in 20 minutes."), []);
  assert.deepEqual(pricesIn("$1,250.00 catering"), [125000]);
});

test("only amounts some tool returned may be spoken", () => {
  const known = new Set(centsIn({ cart: { totalCents: 2389, lines: [{ unitPriceCents: 1899, modifiers: [{ priceCents: 0 }] }] }, speech: "x" }));
  assert.deepEqual([...known].sort(), [0, 1899, 2389]);
  assert.deepEqual(inventedPrices("Your total is $23.89.", known), []);
  assert.deepEqual(inventedPrices("Sure, that's $4.50 extra.", known), [450]);
});

test("streamed text comes out a sentence at a time, never split inside a price", () => {
  const b = new SentenceBuffer();
  assert.deepEqual(b.push("Great choice! A large pepperoni is $18."), ["Great choice!"]);
  assert.deepEqual(b.push("99 with tax. Anything"), ["A large pepperoni is $18.99 with tax."]);
  assert.deepEqual(b.push(" else?"), []);
  assert.deepEqual(b.flush(), ["Anything else?"]);
  assert.deepEqual(b.flush(), []);
});
