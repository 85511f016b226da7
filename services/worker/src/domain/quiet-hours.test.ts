import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { quietUntil } from "./quiet-hours.ts";

const NIGHT = { startMinute: 21 * 60, endMinute: 9 * 60 };

describe("quietUntil", () => {
  it("inside 21:00–09:00 local (before midnight and after): the next local 09:00, in UTC", () => {
    // 2026-12-05 22:30 in New York (UTC-5) = 03:30 UTC the next day.
    assert.equal(quietUntil(new Date("2026-12-06T03:30:00Z"), "America/New_York", NIGHT)?.toISOString(), "2026-12-06T14:00:00.000Z");
    // 07:15 local.
    assert.equal(quietUntil(new Date("2026-12-06T12:15:00Z"), "America/New_York", NIGHT)?.toISOString(), "2026-12-06T14:00:00.000Z");
  });

  it("outside quiet hours, or with an empty range: null", () => {
    assert.equal(quietUntil(new Date("2026-12-06T17:00:00Z"), "America/New_York", NIGHT), null);
    assert.equal(quietUntil(new Date("2026-12-06T03:30:00Z"), "America/New_York", { startMinute: 0, endMinute: 0 }), null);
  });

  it("a range inside one day and another timezone", () => {
    // 13:30 in Denver (UTC-7) inside 13:00–14:00.
    assert.equal(quietUntil(new Date("2026-12-06T20:30:00Z"), "America/Denver", { startMinute: 780, endMinute: 840 })?.toISOString(), "2026-12-06T21:00:00.000Z");
  });
});
