import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SpanKind, trace } from "@opentelemetry/api";
import { initTracing } from "@orderline/telemetry";
import { sql } from "kysely";
import { createDb, type DbHandle } from "../src/db.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing.ts";

const tracing = initTracing({ service: "db-test", inMemory: true });

describe("SQL spans", () => {
  let t: TestDatabase;
  let h: DbHandle;
  before(async () => {
    t = await createTestDatabase();
    h = createDb(t.url, { max: 2 });
  });
  after(async () => {
    await h?.close();
    await t?.close();
    await tracing.shutdown();
  });

  it("gives each statement run inside a trace a CLIENT child span: postgresql, the database, the operation, the statement with placeholders and never the values", async () => {
    const secret = "Mike 555-123-4567";
    const { traceId, spanId } = await trace.getTracer("test").startActiveSpan("serve submit_order", async (span) => {
      await sql`SELECT ${secret}::text AS name, ${42}::int AS n`.execute(h.db);
      await h.db.selectFrom("brands").select("id").where("slug", "=", secret).execute();
      span.end();
      return span.spanContext();
    });
    await tracing.flush();
    const spans = tracing.exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId && s.kind === SpanKind.CLIENT);
    assert.equal(spans.length, 2);
    const database = new URL(t.url).pathname.slice(1);
    for (const s of spans) {
      assert.equal(s.name, `SELECT ${database}`);
      assert.equal(s.parentSpanContext?.spanId, spanId);
      assert.equal(s.attributes["db.system.name"], "postgresql");
      assert.equal(s.attributes["db.system"], "postgresql");
      assert.equal(s.attributes["db.namespace"], database);
      assert.equal(s.attributes["db.operation.name"], "SELECT");
      assert.equal(s.attributes["server.address"], "127.0.0.1");
      assert.ok(!JSON.stringify(s.attributes).includes("555-123-4567"), "no parameter value on the span");
      assert.ok(!JSON.stringify(s.attributes).includes("42"), "no parameter value on the span");
    }
    assert.equal(spans[0]!.attributes["db.query.text"], "SELECT $1::text AS name, $2::int AS n");
    assert.equal(spans[0]!.attributes["db.response.returned_rows"], 1);
    assert.equal(spans[1]!.attributes["db.query.text"], 'select "id" from "brands" where "slug" = $1');
  });

  it("marks a failing statement as an error with its SQLSTATE, and traces nothing outside a trace", async () => {
    const before = tracing.exporter.getFinishedSpans().length;
    await h.db.selectFrom("brands").select("id").execute();
    await h.pool.query("SELECT 1");
    await tracing.flush();
    assert.equal(tracing.exporter.getFinishedSpans().length, before, "no span without an active trace");
    const traceId = await trace.getTracer("test").startActiveSpan("job", async (span) => {
      await assert.rejects(sql`SELECT * FROM no_such_table`.execute(h.db), /no_such_table/);
      span.end();
      return span.spanContext().traceId;
    });
    await tracing.flush();
    const failed = tracing.exporter.getFinishedSpans().find((s) => s.spanContext().traceId === traceId && s.kind === SpanKind.CLIENT)!;
    assert.equal(failed.status.code, 2);
    assert.equal(failed.attributes["db.response.status_code"], "42P01");
  });
});
