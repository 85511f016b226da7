import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fixtureMenu, failure } from "../test/fixture-menu.ts";
import { hoursOn, openStatus, parseDay, spokenTime } from "./hours.ts";

const ny = fixtureMenu(); // America/New_York: Mon–Thu 11–22, Fri–Sat 11–02, Sun 12–21; Dec 24 11–16; Dec 25 closed
const at = (iso: string) => new Date(iso);
const local = (dt: { toISO(): string | null } | null) => dt?.toISO() ?? null;

describe("openStatus", () => {
  it("is open at noon on a Wednesday, closing at 22:00 local", () => {
    const s = openStatus(ny, at("2026-11-25T17:00:00Z")); // 12:00 EST
    assert.equal(s.openNow, true);
    assert.equal(s.closesSoon, false);
    assert.equal(local(s.closesAt), "2026-11-25T22:00:00.000-05:00");
    assert.equal(s.nextOpening, null);
  });

  it("closes soon within 30 minutes of closing", () => {
    const s = openStatus(ny, at("2026-11-26T02:45:00Z")); // Wed 21:45 EST
    assert.equal(s.openNow, true);
    assert.equal(s.closesSoon, true);
    assert.equal(s.minutesUntilClose, 15);
    assert.equal(openStatus(ny, at("2026-11-26T02:29:00Z")).closesSoon, false); // 21:29
  });

  it("is closed at closing time and names the next opening", () => {
    const s = openStatus(ny, at("2026-11-26T03:00:00Z")); // Wed 22:00 EST
    assert.equal(s.openNow, false);
    assert.equal(local(s.nextOpening), "2026-11-26T11:00:00.000-05:00");
  });

  it("stays open after midnight on a Friday night (closes 02:00 Saturday)", () => {
    const s = openStatus(ny, at("2026-11-28T06:00:00Z")); // Sat 01:00 EST
    assert.equal(s.openNow, true);
    assert.equal(local(s.closesAt), "2026-11-28T02:00:00.000-05:00");
    assert.equal(s.closesSoon, false);
    assert.equal(openStatus(ny, at("2026-11-28T06:45:00Z")).closesSoon, true); // 01:45
    assert.equal(openStatus(ny, at("2026-11-28T07:00:00Z")).openNow, false); // 02:00
  });

  it("handles the DST jump inside an after-midnight interval (closes at 03:00 EDT = 02:00 EST)", () => {
    // Saturday 2026-03-07 11:00 → Sunday 02:00 local; 02:00 does not exist on 2026-03-08.
    const s = openStatus(ny, at("2026-03-08T06:30:00Z")); // 01:30 EST
    assert.equal(s.openNow, true);
    assert.equal(s.minutesUntilClose, 30);
    assert.equal(s.closesSoon, true);
  });

  it("applies holiday exceptions: short Christmas Eve, closed Christmas Day", () => {
    const eve = openStatus(ny, at("2026-12-24T20:00:00Z")); // Thu 15:00 EST
    assert.equal(eve.openNow, true);
    assert.equal(eve.closesSoon, false);
    assert.equal(local(eve.closesAt), "2026-12-24T16:00:00.000-05:00");
    const evening = openStatus(ny, at("2026-12-24T22:00:00Z")); // 17:00: normally open
    assert.equal(evening.openNow, false);
    assert.equal(local(evening.nextOpening), "2026-12-26T11:00:00.000-05:00", "Christmas Day skipped");
  });

  it("uses the location's own timezone, not UTC or the server's", () => {
    const la = fixtureMenu({ timezone: "America/Los_Angeles" });
    const instant = at("2026-11-26T05:30:00Z"); // 21:30 Wed in LA, 00:30 Thu in New York
    assert.equal(openStatus(la, instant).openNow, true);
    assert.equal(openStatus(la, instant).closesSoon, true);
    assert.equal(openStatus(ny, instant).openNow, false);
    const tokyo = fixtureMenu({ timezone: "Asia/Tokyo" });
    const s = openStatus(tokyo, at("2026-11-24T23:30:00Z")); // Tue 23:30 UTC = Wed 08:30 JST
    assert.equal(s.openNow, false);
    assert.equal(local(s.nextOpening), "2026-11-25T11:00:00.000+09:00");
  });
});

describe("hoursOn", () => {
  it("gives the weekday's hours, or the exception's with its reason", () => {
    const wed = hoursOn(ny, "2026-11-25");
    assert.equal(wed.weekdayName, "wednesday");
    assert.deepEqual(
      wed.intervals.map((i) => [i.opensAt, i.closesAt]),
      [["11:00", "22:00"]],
    );
    assert.equal(wed.exception, null);
    const xmas = hoursOn(ny, "2026-12-25");
    assert.equal(xmas.closed, true);
    assert.equal(xmas.exception, "Christmas Day");
    const fri = hoursOn(ny, "2026-11-27");
    assert.equal(local(fri.intervals[0]!.end), "2026-11-28T02:00:00.000-05:00");
  });

  it("speaks times the way people say them", () => {
    const fri = hoursOn(ny, "2026-11-27").intervals[0]!;
    assert.equal(spokenTime(fri.start), "11 AM");
    assert.equal(spokenTime(fri.end), "2 AM");
  });
});

describe("parseDay", () => {
  const wednesday = at("2026-11-25T17:00:00Z");
  it("understands today, tomorrow, weekdays and dates, relative to the local date", () => {
    assert.equal(parseDay(ny, undefined, wednesday), "2026-11-25");
    assert.equal(parseDay(ny, "today", wednesday), "2026-11-25");
    assert.equal(parseDay(ny, "tonight", wednesday), "2026-11-25");
    assert.equal(parseDay(ny, "Tomorrow", wednesday), "2026-11-26");
    assert.equal(parseDay(ny, "friday", wednesday), "2026-11-27");
    assert.equal(parseDay(ny, "this Saturday", wednesday), "2026-11-28");
    assert.equal(parseDay(ny, "wednesday", wednesday), "2026-11-25");
    assert.equal(parseDay(ny, "next wednesday", wednesday), "2026-12-02");
    assert.equal(parseDay(ny, "mon", wednesday), "2026-11-30");
    assert.equal(parseDay(ny, "2026-12-24", wednesday), "2026-12-24");
    assert.equal(parseDay(ny, "December 24th", wednesday), "2026-12-24");
    assert.equal(parseDay(ny, "dec 31", wednesday), "2026-12-31");
    assert.equal(parseDay(ny, "12/24", wednesday), "2026-12-24");
    assert.equal(parseDay(ny, "christmas eve", wednesday), "2026-12-24");
    assert.equal(parseDay(ny, "jan 2", wednesday), "2027-01-02", "a date already past this year is next year's");
  });

  it("takes 'today' in the location's zone around midnight", () => {
    const tokyo = fixtureMenu({ timezone: "Asia/Tokyo" });
    const instant = at("2026-11-24T23:30:00Z"); // Tuesday in UTC and New York, Wednesday in Tokyo
    assert.equal(parseDay(tokyo, "today", instant), "2026-11-25");
    assert.equal(parseDay(ny, "today", instant), "2026-11-24");
  });

  it("rejects what it cannot read, past dates and dates over a year ahead", () => {
    for (const day of ["banana", "the 45th of Smarch", "2026-02-30", "2025-01-01", "2028-01-01", "x".repeat(40), "'; DROP TABLE x"]) {
      const err = failure(() => parseDay(ny, day, wednesday));
      assert.equal(err.code, "invalid_day", day);
      assert.doesNotMatch(err.message, /DROP|;/);
    }
  });
});
