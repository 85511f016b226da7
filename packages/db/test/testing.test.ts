import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sql } from "kysely";
import { databaseExists, dropDatabase, withAdminClient } from "../src/admin.ts";
import { migrationNames } from "../src/migrate.ts";
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

describe("createTestDatabase across processes", () => {
  it("parallel processes needing a template that does not exist yet build it once and all get a copy", async () => {
    const { execFile } = await import("node:child_process");
    const { promisify } = await import("node:util");
    const { randomUUID } = await import("node:crypto");
    const salt = randomUUID();
    const child = `
      import { createTestDatabase } from ${JSON.stringify(new URL("../src/testing.ts", import.meta.url).href)};
      const { sql } = await import("kysely");
      const t = await createTestDatabase();
      const n = await sql\`SELECT count(*)::int AS n FROM kysely_migration\`.execute(t.db);
      console.log(JSON.stringify({ template: t.template, migrations: n.rows[0].n }));
      await t.close();`;
    const run = () =>
      promisify(execFile)(process.execPath, ["--input-type=module", "-e", child], {
        env: { ...process.env, ORDERLINE_TEST_TEMPLATE_SALT: salt },
      });
    const outputs = await Promise.all([run(), run(), run()]);
    const results = outputs.map((o) => JSON.parse(o.stdout.trim()) as { template: string; migrations: number });
    const templates = new Set(results.map((r) => r.template));
    try {
      assert.equal(templates.size, 1, "one template for all");
      assert.ok(results.every((r) => r.migrations === migrationNames().length));
      const leftovers = await withAdminClient(serverUrl, (c) =>
        c.query("SELECT datname FROM pg_database WHERE datname LIKE '%\\_build\\_%' AND datname LIKE $1", [`${[...templates][0]!.replace(/_empty$/, "")}%`]),
      );
      assert.deepEqual(leftovers.rows, [], "no half-built template left behind");
    } finally {
      await withAdminClient(serverUrl, async (c) => {
        for (const name of templates) await dropDatabase(c, name);
      });
    }
  });
});
