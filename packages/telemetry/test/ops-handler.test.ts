import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, describe, it } from "node:test";
import { createMetrics } from "../src/metrics.ts";
import { createOpsHandler } from "../src/ops-handler.ts";

describe("createOpsHandler on a service's own server", () => {
  let draining = false;
  let readyCalls = 0;
  const metrics = createMetrics({ service: "gateway", defaultMetrics: false });
  metrics.counter({ name: "frames_in_total", help: "Frames." }).inc(2);
  const handle = createOpsHandler({
    metrics,
    ready: () => {
      readyCalls++;
      return true;
    },
    draining: () => draining,
  });
  const server = createServer((req, res) => {
    void handle(req, res).then((handled) => {
      if (!handled) res.writeHead(200, { "content-type": "text/plain" }).end("the service's own route\n");
    });
  });
  const listening = new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const get = async (path: string, method = "GET") => {
    const res = await fetch(`http://127.0.0.1:${await listening}${path}`, { method });
    return { status: res.status, body: await res.text() };
  };

  it("answers the ops paths and leaves every other path to the service", async () => {
    assert.deepEqual(await get("/healthz"), { status: 200, body: "ok\n" });
    assert.deepEqual(await get("/readyz"), { status: 200, body: "ready\n" });
    assert.match((await get("/metrics")).body, /^frames_in_total\{service="gateway"\} 2$/m);
    assert.deepEqual(await get("/voice/incoming"), { status: 200, body: "the service's own route\n" });
    assert.equal((await get("/metrics", "POST")).status, 405);
  });

  it("fails readiness while draining without asking the readiness check", async () => {
    draining = true;
    const before = readyCalls;
    assert.deepEqual(await get("/readyz"), { status: 503, body: "draining\n" });
    assert.equal(readyCalls, before);
    assert.deepEqual(await get("/healthz"), { status: 200, body: "ok\n" });
    draining = false;
  });
});
