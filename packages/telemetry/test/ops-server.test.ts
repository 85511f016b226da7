import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { createMetrics } from "../src/metrics.ts";
import { type OpsServer, startOpsServer } from "../src/ops-server.ts";

const servers: OpsServer[] = [];
after(() => Promise.all(servers.map((s) => s.close())));

async function start(ready: () => boolean | Promise<boolean>, readyTimeoutMs?: number) {
  const metrics = createMetrics({ service: "menu-service" });
  metrics.counter({ name: "tool_calls_total", help: "Tool calls." }).inc(3);
  const s = await startOpsServer({ port: 0, host: "127.0.0.1", metrics, ready, readyTimeoutMs });
  servers.push(s);
  const get = async (path: string, method = "GET") => {
    const res = await fetch(`http://127.0.0.1:${s.port}${path}`, { method });
    return { status: res.status, type: res.headers.get("content-type"), body: await res.text() };
  };
  return { s, get };
}

describe("startOpsServer", () => {
  it("listens on an ephemeral port and serves liveness, readiness and metrics", async () => {
    const { s, get } = await start(() => true);
    assert.ok(s.port > 0);
    assert.deepEqual(await get("/healthz"), { status: 200, type: "text/plain", body: "ok\n" });
    assert.deepEqual(await get("/readyz"), { status: 200, type: "text/plain", body: "ready\n" });
    const m = await get("/metrics");
    assert.equal(m.status, 200);
    assert.match(m.type ?? "", /^text\/plain; version=0\.0\.4/);
    assert.match(m.body, /^tool_calls_total\{service="menu-service"\} 3$/m);
    assert.match(m.body, /^process_resident_memory_bytes\{service="menu-service"\} \d+/m);
  });

  it("answers 503 on /readyz when not ready or when the check throws, while /healthz stays 200", async () => {
    let ready: boolean | Error = false;
    const { get } = await start(async () => {
      if (ready instanceof Error) throw ready;
      return ready;
    });
    assert.equal((await get("/readyz")).status, 503);
    assert.equal((await get("/healthz")).status, 200);
    ready = true;
    assert.equal((await get("/readyz")).status, 200);
    ready = new Error("db down");
    assert.deepEqual(await get("/readyz"), { status: 503, type: "text/plain", body: "not ready\n" });
    assert.equal((await get("/healthz")).status, 200);
  });

  it("answers 503 when the readiness check hangs", async () => {
    const { get } = await start(() => new Promise<boolean>(() => {}), 50);
    assert.deepEqual(await get("/readyz"), { status: 503, type: "text/plain", body: "not ready\n" });
  });

  it("rejects unknown paths and methods", async () => {
    const { get } = await start(() => true);
    assert.equal((await get("/nope")).status, 404);
    assert.equal((await get("/healthz", "POST")).status, 405);
    const head = await get("/healthz", "HEAD");
    assert.equal(head.status, 200);
    assert.equal(head.body, "");
  });

  it("close() frees the port", async () => {
    const { s } = await start(() => true);
    await s.close();
    await assert.rejects(fetch(`http://127.0.0.1:${s.port}/healthz`));
  });
});
