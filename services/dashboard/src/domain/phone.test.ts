import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { maskPhone, maskPhonesInJson, maskPhonesInText, searchTerms } from "./phone.ts";

describe("caller numbers", () => {
  it("are masked down to the country code and the last two digits; non-E.164 caller IDs show as hidden", () => {
    assert.equal(maskPhone("+12125550142"), "+1 ••••••••42");
    assert.equal(maskPhone("+442079460958"), "+••••••••••58");
    assert.equal(maskPhone("anonymous"), "hidden");
    assert.equal(maskPhone(null), null);
  });

  it("in free text every number is masked the same way, a spoken but unassigned one included; order numbers and prices stay", () => {
    assert.equal(maskPhonesInText("Yes please, it's Mike, 555-123-4567.", "US"), "Yes please, it's Mike, +1 ••••••••67.");
    assert.equal(maskPhonesInText("Call me at (212) 555-0142 or +44 20 7946 0958", "US"), "Call me at +1 ••••••••42 or +••••••••••58");
    assert.equal(maskPhonesInText("Order #1042: 2 pizzas, $25.03, ready at 6:45", null), "Order #1042: 2 pizzas, $25.03, ready at 6:45");
    assert.deepEqual(maskPhonesInJson({ to: ["+12125550142"], n: 3, note: "caller 917 555 1234" }, "US"), { to: ["+1 ••••••••42"], n: 3, note: "caller +1 ••••••••34" });
  });

  it("a search is phone digits, an order number, or plain text (SQL-looking text stays text)", () => {
    assert.deepEqual(searchTerms("(212) 555-0142"), { phoneDigits: "2125550142", orderNumber: null, text: "(212) 555-0142" });
    assert.deepEqual(searchTerms("#42"), { phoneDigits: null, orderNumber: 42, text: "#42" });
    assert.deepEqual(searchTerms("1042"), { phoneDigits: "1042", orderNumber: 1042, text: "1042" });
    assert.deepEqual(searchTerms("'; DROP TABLE voice_calls; --"), { phoneDigits: null, orderNumber: null, text: "'; DROP TABLE voice_calls; --" });
  });
});
