import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DateTime } from "luxon";
import { buildDemoChain } from "./build.ts";
import { DEMO_LOCATIONS, DEMO_MENU } from "./constants.ts";
import { seedUuid } from "./ids.ts";

describe("buildDemoChain", () => {
  const today = DateTime.fromISO("2026-11-22T16:00:00Z", { zone: "utc" });

  it("is deterministic", () => {
    assert.deepEqual(buildDemoChain(today), buildDemoChain(today));
  });

  it("makes stable v5-style uuids", () => {
    const id = seedUuid("location:tonys-midtown");
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(id, DEMO_LOCATIONS.newYork.id);
    assert.notEqual(seedUuid("a"), seedUuid("b"));
  });

  it("closes New York on Thanksgiving (fourth Thursday) and Christmas of this year and next", () => {
    const dates = (buildDemoChain(today).rows.location_hour_exceptions ?? [])
      .filter((e) => e.location_id === DEMO_LOCATIONS.newYork.id && e.is_closed)
      .map((e) => e.on_date)
      .sort();
    assert.deepEqual(dates, ["2026-11-26", "2026-12-25", "2027-11-25", "2027-12-25"]);
  });

  it("picks the holiday years from New York's calendar, not UTC's", () => {
    const newYearsEveNight = DateTime.fromISO("2027-01-01T02:00:00Z", { zone: "utc" }); // still 2026 in New York
    const dates = (buildDemoChain(newYearsEveNight).rows.location_hour_exceptions ?? []).map((e) => e.on_date);
    assert.ok(dates.includes("2026-12-25"));
    assert.ok(!dates.includes("2028-12-25"));
  });

  it("gives every product exactly one default variation and keeps unique ids per table", () => {
    const { rows } = buildDemoChain(today);
    for (const p of rows.products ?? []) {
      const defaults = (rows.variations ?? []).filter((v) => v.product_id === p.id && v.is_default);
      assert.equal(defaults.length, 1, String(p.slug));
    }
    for (const [table, list] of Object.entries(rows)) {
      const ids = (list as { id?: unknown }[]).map((r) => r.id).filter((id) => id !== undefined);
      assert.equal(new Set(ids).size, ids.length, `duplicate id in ${table}`);
    }
  });

  it("prices the large pepperoni at $20.99 chain-wide and $22.99 in New York", () => {
    const { rows } = buildDemoChain(today);
    const v = (rows.variations ?? []).find((x) => x.id === DEMO_MENU.largePepperoni.variationId);
    assert.equal(v?.price_cents, 2099);
    const ny = (rows.location_variation_prices ?? []).find((o) => o.variation_id === DEMO_MENU.largePepperoni.variationId && o.location_id === DEMO_LOCATIONS.newYork.id);
    assert.equal(ny?.price_cents, 2299);
  });
});
