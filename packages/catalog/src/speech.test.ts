import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { article, listNames, speakablePhone } from "./speech.ts";

describe("speech helpers", () => {
  it("picks a or an", () => {
    assert.deepEqual(["Large", "8 Piece", "Entrée", "12 Piece", "11 inch", "italian sub", "hour"].map(article), ["a", "an", "an", "a", "an", "an", "an"]);
  });

  it("lists names with or without articles and the serial comma", () => {
    assert.equal(listNames([]), "");
    assert.equal(listNames(["Coke"]), "the Coke");
    assert.equal(listNames(["Coke", "Sprite"]), "the Coke or the Sprite");
    assert.equal(listNames(["Mild", "Hot", "BBQ"], "or", ""), "Mild, Hot or BBQ");
    assert.equal(listNames(["mushrooms", "no onions", "extra cheese"], "and", "", { serialComma: true }), "mushrooms, no onions, and extra cheese");
    assert.equal(listNames(["a coke", "a sprite"], "and", "", { serialComma: true }), "a coke and a sprite");
  });

  it("says phone numbers the local way", () => {
    assert.equal(speakablePhone("+12125550100"), "(212) 555-0100");
    assert.equal(speakablePhone("+14165550100"), "(416) 555-0100");
    assert.equal(speakablePhone("+442079460958"), "+44 20 7946 0958");
    assert.equal(speakablePhone("not a number"), "not a number");
  });
});
