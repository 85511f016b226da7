import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { basicNormalize, nameKey, parseSpoken, singular, speakable } from "./normalize.ts";

describe("normalisation", () => {
  it("folds case, accents, punctuation and unit spellings", () => {
    assert.equal(basicNormalize("Jalapeño  Poppers!"), "jalapeno poppers");
    assert.equal(basicNormalize("I'd like a 12\" pie"), "id like a 12 inch pie");
    assert.equal(nameKey("Coca-Cola 2L"), "coca cola 2 liter");
    assert.equal(nameKey("12 pc"), nameKey("twelve pieces"));
    assert.equal(nameKey("X-Large"), "xlarge");
    assert.equal(nameKey("extra large"), "xlarge");
  });

  it("folds plurals without breaking words that end in s", () => {
    assert.deepEqual(["cokes", "berries", "glasses", "boxes", "potatoes", "fries", "swiss", "wings", "hummus"].map(singular), [
      "coke",
      "berry",
      "glass",
      "box",
      "potato",
      "fries",
      "swiss",
      "wing",
      "hummus",
    ]);
  });

  it("drops openers and filler and reads a leading quantity phrase", () => {
    assert.deepEqual(parseSpoken("Um, can I get a couple of cokes please"), { tokens: ["coke"], quantity: 2 });
    assert.deepEqual(parseSpoken("I'd like the uh pepperoni"), { tokens: ["pepperoni"], quantity: undefined });
  });

  it("bounds what may be echoed", () => {
    assert.equal(speakable("<b>Sushi</b>; DROP"), "b sushi b drop");
    assert.ok(speakable("word ".repeat(100)).length <= 40);
  });
});
