import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sql } from "kysely";
import { databaseExists, withAdminClient } from "../src/admin.ts";
import { DEMO_BRAND } from "../src/seed/constants.ts";
import { createTestDatabase } from "../src/testing.ts";

const serverUrl = process.env["DATABASE_URL"] ?? "postgres://postgres:postgres@127.0.0.1:5432/postgres";

describe("createTestDatabase", () => {
  it("gives each caller its own database, isolated from the others", async () => {
    const [a, b] = await Promise.all([createTestDatabase({ seed: true }), createTestDatabase({ seed: true })]);
    try {
      assert.notEqual(a.name, b.name);
      await a.db.updateTable("brands").set({ name: "Changed in A" }).execute();
      const inB = await b.db.selectFrom("brands").select("name").executeTakeFirstOrThrow();
      assert.equal(inB.name, DEMO_BRAND.name);
      const current = await sql<{ db: string }>`SELECT current_database() AS db`.execute(a.db);
      assert.equal(current.rows[0]?.db, a.name);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("without seed the database is migrated but empty", async () => {
    const t = await createTestDatabase();
    try {
      const brands = await t.db.selectFrom("brands").select("id").execute();
      assert.deepEqual(brands, []);
    } finally {
      await t.close();
    }
  });

  it("drops the database on close (and close twice is fine)", async () => {
    const t = await createTestDatabase();
    assert.equal(await withAdminClient(serverUrl, (c) => databaseExists(c, t.name)), true);
    await t.close();
    await t.close();
    assert.equal(await withAdminClient(serverUrl, (c) => databaseExists(c, t.name)), false);
  });

  it("works with `await using`", async () => {
    let name = "";
    {
      await using t = await createTestDatabase();
      name = t.name;
      await sql`SELECT 1`.execute(t.db);
    }
    assert.equal(await withAdminClient(serverUrl, (c) => databaseExists(c, name)), false);
  });

  it("keeps the template read-only: nobody can connect to it by accident", async () => {
    const templates = await withAdminClient(serverUrl, (c) =>
      c.query<{ datname: string; datallowconn: boolean; datistemplate: boolean }>(
        "SELECT datname, datallowconn, datistemplate FROM pg_database WHERE datname LIKE 'orderline_tpl_%' AND datname NOT LIKE '%_build_%'",
      ),
    );
    assert.ok(templates.rows.length >= 1);
    for (const t of templates.rows) {
      assert.equal(t.datallowconn, false, t.datname);
      assert.equal(t.datistemplate, true, t.datname);
    }
  });
});
