import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { Writable } from "node:stream";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { createLogger } from "../src/logger.ts";
import { isShuttingDown, onShutdown, runShutdown } from "../src/shutdown.ts";

const index = fileURLToPath(new URL("../src/index.ts", import.meta.url));

function capture() {
  const lines: { msg: string; [k: string]: unknown }[] = [];
  const logger = createLogger({
    service: "test",
    destination: new Writable({
      write(chunk, _e, cb) {
        lines.push(JSON.parse(String(chunk)) as { msg: string });
        cb();
      },
    }),
  });
  return { lines, logger };
}

/** Starts a child "service" that installs the signal handlers, sends it SIGTERM once it is up, collects its log. */
async function runChild(body: string): Promise<{ code: number | null; lines: { msg: string; [k: string]: unknown }[] }> {
  const script = `
import { createLogger, createMetrics, installSignalHandlers, startOpsServer } from ${JSON.stringify(index)};
const logger = createLogger({ service: "child" });
${body}
logger.info("up");
`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  let signalled = false;
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (d: string) => {
    out += d;
    if (!signalled && out.includes('"msg":"up"')) {
      signalled = true;
      child.kill("SIGTERM");
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
  return { code, lines: out.trim().split("\n").map((l) => JSON.parse(l) as { msg: string }) };
}

describe("runShutdown", () => {
  it("marks not-ready first, runs steps then onShutdown registrations in order, and survives a failing step", async () => {
    const { lines, logger } = capture();
    const order: string[] = [];
    const unregister = onShutdown(() => {
      order.push("never");
    }, "removed");
    unregister();
    onShutdown(async () => {
      order.push("registered");
    }, "close-db");
    assert.equal(isShuttingDown(), false);
    const result = await runShutdown({
      logger,
      steps: [
        {
          name: "http",
          run: () => {
            order.push(`http (shutting down: ${isShuttingDown()})`);
          },
        },
        {
          name: "nats",
          run: async () => {
            order.push("nats");
            throw new Error("drain failed");
          },
        },
      ],
    });
    assert.deepEqual(order, ["http (shutting down: true)", "nats", "registered"]);
    assert.deepEqual(result, { ok: false, failed: ["nats"], timedOut: false });
    assert.deepEqual(lines[0]?.["steps"], ["http", "nats", "close-db"]);
    assert.ok(lines.some((l) => l.msg === "shutdown step failed" && l["step"] === "nats"));
  });
});

describe("installSignalHandlers", () => {
  it("on SIGTERM fails readiness first, closes in order and exits 0", async () => {
    const { code, lines } = await runChild(`
const ops = await startOpsServer({ port: 0, host: "127.0.0.1", metrics: createMetrics({ service: "child", defaultMetrics: false }), ready: () => true });
const before = await fetch("http://127.0.0.1:" + ops.port + "/readyz");
logger.info({ status: before.status }, "readyz before");
installSignalHandlers({ logger, timeoutMs: 5000, steps: [
  { name: "probe", run: async () => {
    const r = await fetch("http://127.0.0.1:" + ops.port + "/readyz");
    logger.info({ status: r.status }, "readyz during shutdown");
  } },
  { name: "ops", run: () => ops.close() },
] });
`);
    assert.equal(code, 0);
    const msgs = lines.map((l) => l.msg);
    assert.deepEqual(msgs, ["readyz before", "up", "shutting down", "readyz during shutdown", "shutdown complete"]);
    assert.equal(lines[0]?.["status"], 200);
    assert.equal(lines[3]?.["status"], 503);
    assert.equal(lines[2]?.["reason"], "SIGTERM");
  });

  it("exits 1 when a step outlives the shutdown budget, skipping the rest", async () => {
    const { code, lines } = await runChild(`
installSignalHandlers({ logger, timeoutMs: 100, steps: [
  { name: "stuck", run: () => new Promise(() => {}) },
  { name: "after", run: () => logger.info("after ran") },
] });
setInterval(() => {}, 1000);
`);
    assert.equal(code, 1);
    const timedOut = lines.find((l) => l.msg === "shutdown timed out");
    assert.equal(timedOut?.["step"], "stuck");
    assert.deepEqual(timedOut?.["skipped"], ["after"]);
    assert.ok(!lines.some((l) => l.msg === "after ran"));
  });
});
