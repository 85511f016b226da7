import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { luhnValid, REDACTED, redactText, redactValue } from "./redact.ts";

describe("redactText", () => {
  it("replaces a written card number that passes Luhn, with any grouping", () => {
    assert.equal(redactText("my card is 4111 1111 1111 1111 thanks"), `my card is ${REDACTED.card} thanks`);
    assert.equal(redactText("4111-1111-1111-1111"), REDACTED.card);
    assert.equal(redactText("card 5500005555555559."), `card ${REDACTED.card}.`);
  });

  it("replaces a spoken card number, including 'double' and 'oh'", () => {
    const spoken = "it's four one one one, one one one one, one one one one, one one one one okay";
    assert.equal(redactText(spoken), `it's ${REDACTED.card} okay`);
    assert.equal(redactText("five five oh oh double oh five five five five five five five five five nine"), REDACTED.card);
    assert.equal(redactText("cuatro uno uno uno uno uno uno uno uno uno uno uno uno uno uno uno"), REDACTED.card);
  });

  it("leaves digit runs that fail Luhn or are too short (order numbers, prices, phone numbers)", () => {
    for (const text of ["order number 47", "that's $24.15", "call me at 555-123-4567", "4111 1111 1111 1112", "two large pizzas"]) {
      assert.equal(redactText(text), text);
    }
  });

  it("replaces a security code only after its cue, written or spoken", () => {
    assert.equal(redactText("the security code is 123"), `the security code is ${REDACTED.securityCode}`);
    assert.equal(redactText("CVV: seven three one"), `CVV: ${REDACTED.securityCode}`);
    assert.equal(redactText("el código de seguridad es 9876"), `el código de seguridad es ${REDACTED.securityCode}`);
    assert.equal(redactText("I want 123 wings"), "I want 123 wings");
  });

  it("replaces social security numbers: 3-2-4 groups anywhere, nine digits after the cue", () => {
    assert.equal(redactText("it's 123-45-6789"), `it's ${REDACTED.ssn}`);
    assert.equal(redactText("my social security number is one two three four five six seven eight nine"), `my social security number is ${REDACTED.ssn}`);
    assert.equal(redactText("zip 123456789"), "zip 123456789");
  });

  it("redacts several numbers in one turn and keeps the words around them", () => {
    const text = "card 4111111111111111 security code 123 and SSN 078-05-1120";
    assert.equal(redactText(text), `card ${REDACTED.card} security code ${REDACTED.securityCode} and SSN ${REDACTED.ssn}`);
  });
});

describe("redactValue", () => {
  it("walks objects and arrays, redacting strings and card-like integers", () => {
    const v = { tool: "add_item", args: { notes: "card 4111 1111 1111 1111", qty: 2, list: ["cvv 999"] }, n: 4111111111111111 };
    assert.deepEqual(redactValue(v), { tool: "add_item", args: { notes: `card ${REDACTED.card}`, qty: 2, list: [`cvv ${REDACTED.securityCode}`] }, n: REDACTED.card });
  });
});

describe("luhnValid", () => {
  it("accepts the test card numbers and rejects a changed digit", () => {
    assert.equal(luhnValid("4111111111111111"), true);
    assert.equal(luhnValid("4111111111111112"), false);
  });
});
