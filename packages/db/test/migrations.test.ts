import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { migrateDown, migrateDownOne, migrateToLatest, migrateUp, migrationNames } from "../src/migrate.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing.ts";
import { ALL_TABLES, publicTables } from "./helpers.ts";

const KYSELY_TABLES = ["kysely_migration", "kysely_migration_lock"];

describe("migrations", () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase();
  });
  after(() => t?.close());

  it("a test database starts fully migrated with exactly the schema's tables", async () => {
    const applied = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(t.db);
    assert.deepEqual(
      applied.rows.map((r) => r.name),
      migrationNames(),
    );
    const tables = (await publicTables(t.db)).filter((n) => !KYSELY_TABLES.includes(n));
    assert.deepEqual(tables, [...ALL_TABLES, "order_state_transitions"].sort());
    assert.deepEqual(await migrateToLatest(t.db), [], "nothing left to apply");
  });

  it("migrating all the way down leaves no tables, functions or extensions of ours", async () => {
    const results = await migrateDown(t.db);
    assert.equal(results.length, migrationNames().length);
    assert.ok(results.every((r) => r.status === "Success" && r.direction === "Down"));
    assert.deepEqual((await publicTables(t.db)).filter((n) => !KYSELY_TABLES.includes(n)), []);
    const functions = await sql<{ proname: string }>`
      SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')`.execute(t.db);
    assert.deepEqual(functions.rows, []);
    const ext = await sql`SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'`.execute(t.db);
    assert.equal(ext.rows.length, 0);
  });

  it("migrates up again from empty", async () => {
    const results = await migrateToLatest(t.db);
    assert.deepEqual(
      results.map((r) => `${r.migrationName}:${r.status}`),
      migrationNames().map((n) => `${n}:Success`),
    );
    assert.equal((await publicTables(t.db)).filter((n) => !KYSELY_TABLES.includes(n)).length, ALL_TABLES.length + 1);
  });

  it("every migration steps down and up one at a time", async () => {
    const names = migrationNames();
    for (const expected of [...names].reverse()) {
      const [r] = await migrateDownOne(t.db);
      assert.equal(r?.migrationName, expected);
      assert.equal(r?.status, "Success");
    }
    assert.deepEqual(await migrateDownOne(t.db), []);
    for (const expected of names) {
      const [r] = await migrateUp(t.db);
      assert.equal(r?.migrationName, expected);
      assert.equal(r?.status, "Success");
    }
  });

  it("migration names carry a sortable timestamp prefix", () => {
    for (const n of migrationNames()) assert.match(n, /^\d{4}_\d{2}_\d{2}_\d{4}_[a-z0-9_]+$/);
  });
});
