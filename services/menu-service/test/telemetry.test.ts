import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { context, trace } from "@opentelemetry/api";
import { DEMO_LOCATIONS } from "@orderline/db";
import { createTestDatabase, type TestDatabase } from "@orderline/db/testing";
import { connectNats, drainNats, type NatsConnection } from "@orderline/nats";
import { createLogger, createMetrics, initTracing } from "@orderline/telemetry";
import { type MenuService, startMenuService } from "../src/service.ts";
import { caller, envelopeFor, NATS_URL, ok } from "./helpers.ts";

const tracing = initTracing({ service: "menu-service-telemetry-test", inMemory: true });
const metrics = createMetrics({ service: "menu-service", defaultMetrics: false });
const prefix = `test-${randomUUID().slice(0, 8)}.`;
let tdb: TestDatabase;
let nc: NatsConnection;
let service: MenuService;

before(async () => {
  tdb = await createTestDatabase({ seed: true });
  nc = await connectNats({ url: NATS_URL, name: "menu-service-telemetry-test" });
  service = startMenuService({ db: tdb.db, nc, subjectPrefix: prefix, logger: createLogger({ service: "t", level: "silent" }), metrics });
});
after(async () => {
  await service?.stop();
  if (nc) await drainNats(nc);
  await tdb?.close();
  await tracing.shutdown();
});

describe("telemetry", () => {
  it("traces each request under the caller's trace and measures it per tool", async () => {
    const call = caller(nc, prefix);
    const root = trace.getTracer("test").startSpan("caller turn");
    await context.with(trace.setSpan(context.active(), root), async () => {
      ok(await call("get_hours", {}, envelopeFor(DEMO_LOCATIONS.denver.id)));
      ok(await call("get_menu", {}, envelopeFor(DEMO_LOCATIONS.denver.id)));
    });
    root.end();
    await tracing.flush();
    const spans = tracing.exporter.getFinishedSpans();
    const served = spans.filter((s) => s.name === "serve get_hours" || s.name === "serve get_menu");
    assert.equal(served.length, 2);
    for (const s of served) {
      assert.equal(s.spanContext().traceId, root.spanContext().traceId, "server span joins the caller's trace");
      assert.equal(s.attributes["orderline.location_id"], DEMO_LOCATIONS.denver.id);
    }
    const text = await metrics.registry.metrics();
    assert.match(text, /orderline_tool_duration_seconds_count\{[^}]*tool="get_hours"[^}]*outcome="ok"[^}]*\} 1/);
    assert.match(text, /orderline_tool_duration_seconds_count\{[^}]*tool="get_menu"[^}]*\} 1/);
    assert.match(text, /orderline_menu_cache_lookups_total\{[^}]*result="hit"[^}]*\} 1/);
  });
});
