import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ToolFailure } from "@orderline/contracts";
import { normalizeSpokenDigits, parsePhone } from "./phone.ts";

describe("parsePhone", () => {
  it("reads spoken and formatted US numbers as E.164", () => {
    assert.equal(parsePhone("555 123 4567"), "+15551234567");
    assert.equal(parsePhone("(415) 555-0123"), "+14155550123");
    assert.equal(parsePhone("1 800 555 0199"), "+18005550199");
    assert.equal(parsePhone("+44 20 7946 0958"), "+442079460958");
    assert.equal(parsePhone("four one five, five five five, oh one two three"), "+14155550123");
    assert.equal(parsePhone("four one five triple five oh one two three"), "+14155550123");
  });
  it("refuses what is not a phone number with a speakable invalid_phone", () => {
    for (const bad of ["12", "555-1234", "pizza", "", "1".repeat(41)]) {
      assert.throws(
        () => parsePhone(bad),
        (err: unknown) => err instanceof ToolFailure && err.code === "invalid_phone" && /phone number/.test(err.message),
        bad,
      );
    }
  });
  it("leaves text without digit words alone", () => {
    assert.equal(normalizeSpokenDigits("555 123"), "555 123");
  });
});
