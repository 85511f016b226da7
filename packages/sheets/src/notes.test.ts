import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { adapterNote, customerNotes, withNote } from "./notes.ts";

describe("the shared notes cell", () => {
  it("replaces only the adapter's line and keeps what people wrote", () => {
    assert.equal(withNote("", "no answer"), "OrderLine: no answer");
    assert.equal(withNote("ring twice", "no answer"), "ring twice\nOrderLine: no answer");
    assert.equal(withNote("ring twice\nOrderLine: no answer", "confirmed"), "ring twice\nOrderLine: confirmed");
    assert.equal(withNote("ring twice\nOrderLine: no answer", null), "ring twice");
    assert.equal(withNote("", "two\nlines"), "OrderLine: two lines");
  });

  it("gives the order only the people's notes", () => {
    assert.equal(customerNotes(""), null);
    assert.equal(customerNotes("OrderLine: not called — order_text is empty."), null);
    assert.equal(customerNotes("gate code 42\nOrderLine: not called"), "gate code 42");
  });

  it("does not repeat the row's own notes as OrderLine's line; keeps what the call added", () => {
    assert.equal(adapterNote("ring the bell", "ring the bell"), null);
    assert.equal(adapterNote("ring the bell\nOrderLine: x", "ring the bell — no answer"), "no answer");
    assert.equal(adapterNote("ring the bell", "leave it at the door"), "leave it at the door");
    assert.equal(adapterNote("", "no answer"), "no answer");
  });
});
