import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { databaseNameOf, withDatabase } from "../src/admin.ts";
import { createDb, openConnections, parseInt8, redactUrl } from "../src/db.ts";
import { databaseUrlFromEnv, DEFAULT_DATABASE_URL } from "../src/env.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing.ts";

describe("createDb", () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase();
  });
  after(() => t?.close());

  it("parses int8 as number, date as 'YYYY-MM-DD', keeps numeric a string and timestamptz a Date", async () => {
    const h = createDb(t.url, { max: 1 });
    try {
      const r = await sql<{ big: number; day: string; num: string; at: Date; bigs: number[]; days: string[]; cnt: number }>`
        SELECT 9007199254740991::int8 AS big, '2026-12-25'::date AS day, 12.50::numeric AS num,
               '2026-11-22T15:00:00Z'::timestamptz AS at, ARRAY[1, 2]::int8[] AS bigs,
               ARRAY['2026-12-24'::date] AS days, (SELECT count(*) FROM pg_class) AS cnt`.execute(h.db);
      const row = r.rows[0]!;
      assert.equal(row.big, Number.MAX_SAFE_INTEGER);
      assert.equal(row.day, "2026-12-25");
      assert.equal(row.num, "12.50");
      assert.ok(row.at instanceof Date);
      assert.equal(row.at.toISOString(), "2026-11-22T15:00:00.000Z");
      assert.deepEqual(row.bigs, [1, 2]);
      assert.deepEqual(row.days, ["2026-12-24"]);
      assert.equal(typeof row.cnt, "number");
    } finally {
      await h.close();
    }
  });

  it("openConnections opens that many connections (at most the pool's size) and leaves them idle in the pool", async () => {
    const h = createDb(t.url, { max: 4, idleTimeoutMs: 60_000 });
    try {
      await openConnections(h.pool, 3);
      assert.deepEqual([h.pool.totalCount, h.pool.idleCount], [3, 3]);
      await openConnections(h.pool, 10);
      assert.deepEqual([h.pool.totalCount, h.pool.idleCount], [4, 4], "capped at the pool's max");
      const backends = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'orderline'`.execute(h.db);
      assert.equal(backends.rows[0]!.n, 4);
    } finally {
      await h.close();
    }
  });

  it("refuses an int8 a JS number cannot hold exactly", async () => {
    assert.throws(() => parseInt8("9007199254740993"), RangeError);
    const h = createDb(t.url, { max: 1 });
    try {
      await assert.rejects(sql`SELECT 9007199254740993::int8 AS big`.execute(h.db), /MAX_SAFE_INTEGER/);
    } finally {
      await h.close();
    }
  });

  it("does not touch node-postgres' global type parsers", async () => {
    const pg = (await import("pg")).default;
    const client = new pg.Client({ connectionString: t.url });
    await client.connect();
    try {
      const r = await client.query("SELECT 5::int8 AS big");
      assert.equal(r.rows[0].big, "5");
    } finally {
      await client.end();
    }
  });

  it("rejects a malformed or non-postgres URL with a clear message", () => {
    assert.throws(() => createDb("not a url"), /not a valid URL/);
    assert.throws(() => createDb("mysql://root@localhost/db"), /postgres:\/\//);
  });

  it("close() is idempotent", async () => {
    const h = createDb(t.url, { max: 1 });
    await sql`SELECT 1`.execute(h.db);
    await Promise.all([h.close(), h.close()]);
    await h.close();
  });

  it("redacts passwords and swaps database names in URLs", () => {
    assert.equal(redactUrl("postgres://user:secret@host:5432/db"), "postgres://user:***@host:5432/db");
    assert.equal(databaseNameOf("postgres://u@h:5432/orderline?sslmode=disable"), "orderline");
    assert.equal(withDatabase("postgres://u:p@h:5432/orderline?sslmode=disable", "other"), "postgres://u:p@h:5432/other?sslmode=disable");
    assert.throws(() => databaseNameOf("postgres://u@h:5432/"), /names no database/);
  });

  it("reads DATABASE_URL with the documented default", () => {
    assert.equal(databaseUrlFromEnv({}), DEFAULT_DATABASE_URL);
    assert.equal(databaseUrlFromEnv({ DATABASE_URL: " postgres://x@y/z " }), "postgres://x@y/z");
  });
});
