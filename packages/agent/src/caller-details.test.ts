import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { meansCallerId, parseAddress, parseName, parsePhone } from "./caller-details.ts";
import { clean } from "./text.ts";

describe("caller details", () => {
  it("reads phone numbers in digits, spoken digit words and Spanish, as E.164", () => {
    assert.equal(parsePhone(clean("555-123-4567")), "+15551234567");
    assert.equal(parsePhone(clean("Mike, (212) 555 0187")), "+12125550187");
    assert.equal(parsePhone(clean("five five five, one two three, four five six seven")), "+15551234567");
    assert.equal(parsePhone(clean("double five five one two three four five six seven")), "+15551234567");
    assert.equal(parsePhone(clean("cinco cinco cinco uno dos tres cuatro cinco seis siete")), "+15551234567");
    assert.equal(parsePhone(clean("1 555 123 4567")), "+15551234567");
  });

  it("refuses what is not a US phone number (too short, a card number)", () => {
    assert.equal(parsePhone(clean("555 1234")), null);
    assert.equal(parsePhone(clean("4111 1111 1111 1111")), null);
    assert.equal(parsePhone(clean("no idea")), null);
  });

  it("understands 'use this number' in its forms", () => {
    for (const s of ["use this number", "that number is fine", "the one I'm calling from", "same number"]) assert.ok(meansCallerId(clean(s)), s);
    assert.equal(meansCallerId(clean("555 123 4567")), false);
  });

  it("takes a name from 'my name is', 'it's', a bare name, or a name before the number", () => {
    assert.equal(parseName(clean("Mike, 555-123-4567"), "Mike, 555-123-4567"), "Mike");
    assert.equal(parseName(clean("my name is sarah lee"), "my name is sarah lee"), "Sarah Lee");
    assert.equal(parseName(clean("it's McDonald"), "it's McDonald"), "McDonald");
    assert.equal(parseName(clean("that's it"), "that's it"), null);
    assert.equal(parseName(clean("yes"), "yes"), null);
  });

  it("splits an address into street, unit and ZIP", () => {
    assert.deepEqual(parseAddress(clean("250 West 57th Street, apartment 4B, 10019")), { street: "250 West 57th Street", unit: "4B", postal_code: "10019" });
    assert.deepEqual(parseAddress(clean("1550 Blake Street suite 200, 80202")), { street: "1550 Blake Street", unit: "200", postal_code: "80202" });
    assert.deepEqual(parseAddress(clean("it's 415 North Clark Street")), { street: "415 North Clark Street" });
    assert.deepEqual(parseAddress(clean("zip code is 10019")), { postal_code: "10019" });
  });
});
