import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DateTime } from "luxon";
import { dayName, price, whenSpoken } from "./speech.ts";

describe("speech helpers", () => {
  it("says prices without needless cents", () => {
    assert.equal(price(1449), "$14.49");
    assert.equal(price(1500), "$15");
    assert.equal(price(0), "$0");
  });

  it("says days and times relative to the location's today", () => {
    const now = DateTime.fromISO("2026-11-25T21:00", { zone: "America/Denver" });
    assert.equal(dayName("2026-11-25", now), "today");
    assert.equal(dayName("2026-11-26", now), "tomorrow");
    assert.equal(dayName("2026-11-27", now), "Friday, November 27");
    assert.equal(whenSpoken(DateTime.fromISO("2026-11-25T23:30", { zone: "America/Denver" }), now), "at 11:30 PM");
    assert.equal(whenSpoken(DateTime.fromISO("2026-11-26T11:00", { zone: "America/Denver" }), now), "at 11 AM tomorrow");
    assert.equal(whenSpoken(DateTime.fromISO("2026-11-28T12:00", { zone: "America/Denver" }), now), "at noon on Saturday, November 28");
  });
});
