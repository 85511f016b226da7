import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DEMO_LOCATIONS } from "@orderline/db";
import { type Client, type DashboardHarness, signedIn, startHarness, USERS , type Json } from "./support/stack.ts";

// Expected values are worked out by hand from the history described in support/history.ts.
const NY = DEMO_LOCATIONS.newYork.id;
const DENVER = DEMO_LOCATIONS.denver.id;

describe("KPIs over the generated history (each location's own timezone)", () => {
  let h: DashboardHarness;
  let manager: Client;
  let kpis: Json;
  before(async () => {
    h = await startHarness();
    manager = await signedIn(h.url, USERS.manager.email);
    const r = await manager.get("/api/kpis");
    assert.equal(r.status, 200, JSON.stringify(r.body));
    kpis = r.body.periods;
  });
  after(() => h?.close());

  it("today per location: 5 calls (23:10 local the day before is not today, though it is today in UTC)", () => {
    const k = kpis.today.locations[NY];
    assert.deepEqual(kpis.today.ranges[NY], { from: "2026-06-17", to: "2026-06-17" });
    assert.equal(k.calls, 5);
    assert.equal(k.completedCalls, 3);
    assert.equal(k.transferredCalls, 1);
    assert.equal(k.abandonedCalls, 1);
    assert.deepEqual(k.completionRate, { value: 0.6, target: { above: 0.85 }, met: false }); // 3 / 5
    assert.deepEqual(k.conversionRate, { value: 0.6, target: { above: 0.7 }, met: false }); // 3 calls with an order / 5
    assert.deepEqual(k.transferRate, { value: 0.2, target: { below: 0.15 }, met: false }); // 1 / 5
    assert.deepEqual(k.averageCallSeconds, { value: 180, target: { below: 240 }, met: true }); // 900 s / 5
    assert.equal(k.voiceOrders, 3);
    assert.equal(k.voiceRevenueCents, 7_300); // 2 500 + 3 000 + 1 800
    assert.deepEqual(k.averageOrderValueCents, { voice: 2_433, other: 2_000 }); // 7 300 / 3 = 2 433.33; one web order of 2 000
    assert.equal(k.costPerCallMicros, 125_000); // 625 000 / 5
    assert.equal(k.costPerOrderMicros, 208_333); // 625 000 / 3 = 208 333.33
    assert.equal(k.afterHoursShare, 0.2); // 09:30 only, 1 / 5
    assert.deepEqual(k.satisfaction, { value: 4.5, target: { above: 4 }, met: true, enabled: true, responses: 2 }); // (5 + 4) / 2
  });

  it("this week (Monday 15 – Wednesday 17 June) per location", () => {
    const k = kpis.week.locations[NY];
    assert.deepEqual(kpis.week.ranges[NY], { from: "2026-06-15", to: "2026-06-17" });
    assert.equal(k.calls, 25); // 2 × 10 + 5
    assert.equal(k.completionRate.value, 0.68); // (2 × 7 + 3) / 25 = 17 / 25
    assert.equal(k.conversionRate.value, 0.68); // 17 / 25
    assert.equal(k.transferRate.value, 0.2); // (2 × 2 + 1) / 25
    assert.equal(k.averageCallSeconds.value, 176.8); // (2 × 1 760 + 900) / 25 = 4 420 / 25
    assert.equal(k.voiceRevenueCents, 97_300); // 2 × 45 000 + 7 300
    assert.deepEqual(k.averageOrderValueCents, { voice: 5_724, other: 2_000 }); // 97 300 / 17 = 5 723.53
    assert.equal(k.costPerCallMicros, 115_240); // (2 × 1 128 000 + 625 000) / 25 = 2 881 000 / 25
    assert.equal(k.costPerOrderMicros, 169_471); // 2 881 000 / 17 = 169 470.59
    assert.equal(k.afterHoursShare, 0.2); // (2 × 2 + 1) / 25
    assert.equal(k.satisfaction.value, 4.13); // (2 × (5 + 4 + 3) + 5 + 4) / (2 × 3 + 2) = 33 / 8 = 4.125
    assert.equal(k.satisfaction.responses, 8);
  });

  it("this month (1–17 June; May's calls, and 31 May 23:10 local that is 1 June in UTC, left out)", () => {
    const k = kpis.month.locations[DENVER];
    assert.deepEqual(kpis.month.ranges[DENVER], { from: "2026-06-01", to: "2026-06-17" });
    assert.equal(k.calls, 165); // 16 × 10 + 5
    assert.equal(k.completedCalls, 115); // 16 × 7 + 3
    assert.equal(k.completionRate.value, 0.697); // 115 / 165 = 0.69697
    assert.equal(k.transferRate.value, 0.2); // (16 × 2 + 1) / 165 = 33 / 165
    assert.equal(k.averageCallSeconds.value, 176.1); // (16 × 1 760 + 900) / 165 = 29 060 / 165 = 176.12
    assert.equal(k.voiceOrders, 115);
    assert.equal(k.voiceRevenueCents, 727_300); // 16 × 45 000 + 7 300
    assert.deepEqual(k.averageOrderValueCents, { voice: 6_324, other: 2_000 }); // 727 300 / 115 = 6 324.35
    assert.equal(k.costPerCallMicros, 113_170); // (16 × 1 128 000 + 625 000) / 165 = 18 673 000 / 165 = 113 169.70
    assert.equal(k.costPerOrderMicros, 162_374); // 18 673 000 / 115 = 162 373.91
    assert.equal(k.afterHoursShare, 0.2); // 33 / 165
    assert.deepEqual(k.satisfaction, { value: null, target: { above: 4 }, met: null, enabled: false, responses: 0 }); // Denver sends no survey
  });

  it("chain-wide month: the three locations' sums, then the rates (satisfaction from New York's replies only)", () => {
    const k = kpis.month.chain;
    assert.equal(k.calls, 495); // 3 × 165
    assert.equal(k.completedCalls, 345); // 3 × 115
    assert.equal(k.transferredCalls, 99); // 3 × 33
    assert.equal(k.abandonedCalls, 51); // 3 × (16 + 1)
    assert.equal(k.voiceRevenueCents, 2_181_900); // 3 × 727 300
    assert.equal(k.costPerCallMicros, 113_170); // 3 × 18 673 000 / 495
    assert.deepEqual(k.satisfaction, { value: 4.02, target: { above: 4 }, met: true, enabled: true, responses: 50 }); // (16 × 12 + 9) / (16 × 3 + 2) = 201 / 50
  });

  it("charts: calls per local day, outcomes, transfer reasons, the weekday × hour heatmap and cost per day by engine", async () => {
    const r = await manager.get("/api/charts?from=2026-06-15&to=2026-06-17");
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const c = r.body;
    assert.deepEqual(
      c.callsPerDay.map((d: Json) => [d.date, d.calls, d.completed, d.transferred, d.abandoned, d.withOrder]),
      [
        ["2026-06-15", 30, 21, 6, 3, 21], // 3 locations × slots 0–9
        ["2026-06-16", 30, 21, 6, 3, 21],
        ["2026-06-17", 15, 9, 3, 3, 9], // 3 × slots 0–4
      ],
    );
    assert.deepEqual(c.outcomes, { completed: 51, transferred: 15, abandoned: 9, other: 0 });
    assert.deepEqual(c.transferReasons, [
      { reason: "complaint", calls: 9 }, // slot 4, 3 days × 3 locations
      { reason: "large_order", calls: 6 }, // slot 8, 2 full days × 3
    ]);
    const cell = (weekday: number, hour: number) => c.heatmap.find((x: Json) => x.weekday === weekday && x.hour === hour)?.calls ?? 0;
    assert.equal(cell(3, 12), 6); // Wednesday 17th, 12:05 and 12:40, × 3 locations
    assert.equal(cell(1, 23), 3); // Monday 15th 23:10 local (Tuesday in UTC)
    assert.equal(cell(3, 23), 0); // today's evening has not happened
    const cost = c.costPerDay.filter((x: Json) => x.date === "2026-06-16").map((x: Json) => [x.engine, x.costMicros, x.calls]);
    assert.deepEqual(cost, [
      ["local", 69_000, 9], // 3 × (5 000 + 10 000 + 8 000)
      ["openai_text", 105_000, 6], // 3 × (20 000 + 15 000)
      ["realtime", 3_210_000, 15], // 3 × (150 000 + 200 000 + 250 000 + 170 000 + 300 000)
    ]);
  });

  it("a ten-year range is refused with a 400 that says why; a half range too", async () => {
    const r = await manager.get("/api/charts?from=2016-01-01&to=2026-01-01");
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, "invalid_range");
    assert.match(r.body.error.message, /spans 3654 days; at most 366/);
    const calls = await manager.get("/api/calls?from=2016-01-01&to=2026-01-01");
    assert.equal(calls.status, 400);
    const half = await manager.get("/api/calls?from=2026-06-01");
    assert.equal(half.status, 400);
    assert.match(half.body.error.message, /to must be a date/);
    const bad = await manager.get("/api/calls?from=2026-02-30&to=2026-03-01");
    assert.equal(bad.status, 400);
  });
});
