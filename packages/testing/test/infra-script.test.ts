// scripts/infra.sh (the repository's "make Postgres, Redis and NATS reachable" step) exercised against
// private servers on their own ports, so the machine's shared servers are never touched.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFile, rm } from "node:fs/promises";
import { connect } from "node:net";
import { join } from "node:path";
import { Redis } from "ioredis";
import { freePort, REPO_ROOT, startPrivateNats, startPrivateRedis } from "../src/index.ts";

const script = join(REPO_ROOT, "scripts", "infra.sh");

/** Bounded wait until something accepts TCP connections on the port. */
async function waitForPort(port: number): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (open) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

async function runInfra(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn("bash", [script], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d));
  child.stderr.on("data", (d: Buffer) => (output += d));
  const [code] = (await once(child, "exit")) as [number | null];
  return { code, output };
}

describe("scripts/infra.sh", () => {
  test("uses servers that already run, and sets Redis to noeviction", async () => {
    const redis = await startPrivateRedis();
    const nats = await startPrivateNats();
    const client = new Redis(redis.url);
    try {
      await client.config("SET", "maxmemory-policy", "allkeys-lru");
      const { code, output } = await runInfra({ INFRA_REDIS_PORT: String(redis.port), INFRA_NATS_PORT: String(nats.port) });
      assert.equal(code, 0, output);
      assert.match(output, /postgres: already running/);
      assert.match(output, new RegExp(`redis: already running on :${redis.port}`));
      assert.match(output, new RegExp(`nats: already running with JetStream on :${nats.port}`));
      assert.deepEqual(await client.config("GET", "maxmemory-policy"), ["maxmemory-policy", "noeviction"]);
    } finally {
      client.disconnect();
      await redis.stop();
      await nats.stop();
    }
  });

  test("refuses a NATS server without JetStream, saying how to fix it", async () => {
    const port = await freePort();
    const plain = spawn("nats-server", ["-a", "127.0.0.1", "-p", String(port)], { stdio: "ignore" });
    try {
      assert.ok(await waitForPort(port), "plain nats-server did not start");
      const redis = await startPrivateRedis();
      try {
        const { code, output } = await runInfra({ INFRA_REDIS_PORT: String(redis.port), INFRA_NATS_PORT: String(port) });
        assert.equal(code, 1, output);
        assert.match(output, /without JetStream; restart it with -js/);
      } finally {
        await redis.stop();
      }
    } finally {
      plain.kill("SIGKILL");
      await once(plain, "exit");
    }
  });

  test("starts Redis and NATS natively when nothing listens on their ports", async () => {
    const redisPort = await freePort();
    const natsPort = await freePort();
    const { code, output } = await runInfra({ INFRA_REDIS_PORT: String(redisPort), INFRA_NATS_PORT: String(natsPort) });
    const client = new Redis({ port: redisPort, host: "127.0.0.1", lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
    try {
      assert.equal(code, 0, output);
      assert.match(output, /redis: starting/);
      assert.match(output, /nats: starting/);
      await client.connect();
      assert.equal(await client.ping(), "PONG");
      assert.deepEqual(await client.config("GET", "maxmemory-policy"), ["maxmemory-policy", "noeviction"]);
    } finally {
      await client.shutdown("NOSAVE").catch(() => {});
      client.disconnect();
      const pid = Number((await readFile(`/tmp/orderline-nats-${natsPort}.pid`, "utf8").catch(() => "0")).trim());
      if (pid > 0) process.kill(pid, "SIGTERM");
      await rm(`/tmp/orderline-nats-${natsPort}`, { recursive: true, force: true });
    }
  });
});

