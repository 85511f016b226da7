import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { createMigrator, migrateToLatest } from "../src/migrate.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing.ts";

describe("migration 2026_12_05_0201_escalation", () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase();
  });
  after(() => t?.close());

  it("turns each location's staff_transfer_numbers into staff lines in the same order", async () => {
    const down = await createMigrator(t.db).migrateTo("2026_12_05_0001_call_event_types");
    assert.equal(down.error, undefined);
    await sql`INSERT INTO brands (id, slug, name) VALUES ('00000000-0000-4000-8000-000000000001', 'b', 'B')`.execute(t.db);
    await sql`INSERT INTO locations (id, brand_id, slug, name, address_line1, city, region, postal_code, timezone, tax_rate_ppm, public_phone, staff_transfer_numbers)
      VALUES ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', 'l', 'L', '1 Main St', 'Town', 'NY', '10001',
              'America/New_York', 0, '+12125550100', ARRAY['+12125550111', '+12125550122'])`.execute(t.db);
    await migrateToLatest(t.db);
    const lines = await t.db.selectFrom("location_staff_lines").select(["priority", "e164", "label", "receives_sms", "active"]).orderBy("priority").execute();
    assert.deepEqual(lines, [
      { priority: 0, e164: "+12125550111", label: "Staff line", receives_sms: true, active: true },
      { priority: 1, e164: "+12125550122", label: "Staff line 2", receives_sms: true, active: true },
    ]);
  });

  it("refuses a staff line that is not E.164 and a callback marked done without a time", async () => {
    const loc = "00000000-0000-4000-8000-000000000002";
    await assert.rejects(
      t.db.insertInto("location_staff_lines").values({ location_id: loc, priority: 9, e164: "212-555-0199", label: "Bad" }).execute(),
      /location_staff_lines_e164/,
    );
    await assert.rejects(
      t.db
        .insertInto("callback_requests")
        .values({ location_id: loc, call_sid: "CA1", reason: "other", summary: "x", cause: "no_answer", state: "done" })
        .execute(),
      /callback_requests_done_check/,
    );
  });
});
