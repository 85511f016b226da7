import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { connect } from "node:net";
import { test } from "node:test";
import { Redis } from "ioredis";
import pg from "pg";
import { freePort, ProcessStartError, startLocalStack, startPrivateNats, startPrivatePostgres, startPrivateRedis, startProcess } from "../src/index.ts";

const fixture = new URL("./fixtures/env-service.ts", import.meta.url).pathname;

const natsInfo = (port: number) =>
  new Promise<string>((resolve, reject) => {
    const s = connect(port, "127.0.0.1");
    s.once("data", (d) => {
      s.destroy();
      resolve(d.toString());
    });
    s.once("error", reject);
  });

test("private Redis: works, dies on kill(), comes back on restart() at the same URL", async () => {
  const server = await startPrivateRedis();
  const redis = new Redis(server.url, { maxRetriesPerRequest: 0, retryStrategy: () => 50, lazyConnect: true });
  redis.on("error", () => {});
  try {
    await redis.connect();
    await redis.set("k", "v");
    assert.equal(await redis.get("k"), "v");
    await server.kill();
    await assert.rejects(redis.get("k"));
    await server.restart();
    await new Promise<void>((r) => (redis.status === "ready" ? r() : redis.once("ready", () => r())));
    assert.equal(await redis.get("k"), null, "no persistence: a restarted private Redis is empty");
  } finally {
    redis.disconnect();
    await server.stop();
  }
});

test("private NATS with JetStream: kill() and restart()", async () => {
  const server = await startPrivateNats();
  try {
    assert.match(await natsInfo(server.port), /"jetstream":true/);
    await server.kill();
    await assert.rejects(natsInfo(server.port), /ECONNREFUSED/);
    await server.restart();
    assert.match(await natsInfo(server.port), /^INFO /);
  } finally {
    await server.stop();
  }
});

test("private Postgres: initdb + pg_ctl on a free port, survives kill()+restart() with its data", async () => {
  const server = await startPrivatePostgres();
  try {
    const client = new pg.Client({ connectionString: server.url });
    const clientErrors: Error[] = [];
    client.on("error", (e) => clientErrors.push(e));
    await client.connect();
    await client.query("CREATE TABLE t (x int); INSERT INTO t VALUES (42)");
    await server.kill();
    await assert.rejects(client.query("SELECT 1"));
    await client.end().catch(() => {});
    await server.restart();
    const again = new pg.Client({ connectionString: server.url });
    await again.connect();
    assert.deepEqual((await again.query("SELECT x FROM t")).rows, [{ x: 42 }]);
    await again.end();
  } finally {
    await server.stop();
  }
});

test("startProcess waits for readyUrl, stops with SIGTERM; a process that dies at start fails with its logs", async () => {
  const port = await freePort();
  const proc = await startProcess({ name: "fixture", args: [fixture], env: { OPS_PORT: String(port) }, readyUrl: `http://127.0.0.1:${port}/readyz` });
  assert.match(proc.logs(), /listening on/);
  assert.deepEqual(await proc.stop(), { code: 0, signal: null });
  await assert.rejects(
    startProcess({ name: "broken", args: [fixture], env: { FAIL_AT_START: "1", OPS_PORT: String(port) }, readyUrl: `http://127.0.0.1:${port}/readyz`, printLogsOnFailure: false }),
    (err: unknown) => err instanceof ProcessStartError && /exited \(code 3/.test(err.message) && /FAIL_AT_START/.test(err.logs),
  );
});

test("startLocalStack: per-stack database, Redis prefix and NATS prefix reach the services; stop() cleans up", async () => {
  const stack = await startLocalStack({ services: [{ name: "one", dir: "packages/testing", args: [fixture], http: true }], redis: "private" });
  const env = (await (await fetch(`${stack.services["one"]!.opsUrl}/env`)).json()) as Record<string, string>;
  assert.equal(env["DATABASE_URL"], stack.databaseUrl);
  assert.match(env["REDIS_KEY_PREFIX"]!, /^test-[0-9a-f]{8}:$/);
  assert.match(env["NATS_SUBJECT_PREFIX"]!, /^t[0-9a-f]{8}\.$/);
  assert.equal(env["REDIS_URL"], stack.privateRedis!.url);
  assert.equal(env["PORT"], String(stack.services["one"]!.port));
  const client = new pg.Client({ connectionString: stack.databaseUrl });
  await client.connect();
  assert.equal((await client.query("SELECT current_database() AS d")).rows[0].d, stack.database!.name);
  await client.end();
  const restarted = await stack.restartService("one");
  assert.equal(restarted.opsUrl, stack.services["one"]!.opsUrl);
  await stack.stop();
  assert.equal(existsSync(`/proc/${restarted.pid}`), false, "service process is gone");
  const admin = new pg.Client({ connectionString: "postgres://postgres:postgres@127.0.0.1:5432/postgres" });
  await admin.connect();
  assert.equal((await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [stack.database!.name])).rowCount, 0, "database dropped");
  await admin.end();
});

test("startLocalStack on the shared Redis deletes only its own keys", async () => {
  const stack = await startLocalStack({ services: [], database: false });
  const redis = new Redis(stack.redisUrl);
  try {
    await redis.set(`${stack.redisKeyPrefix}session:CA1`, "x");
    await redis.set("someone-else:key", "y");
    await stack.stop();
    assert.equal(await redis.exists(`${stack.redisKeyPrefix}session:CA1`), 0);
    assert.equal(await redis.get("someone-else:key"), "y");
  } finally {
    await redis.del("someone-else:key");
    redis.disconnect();
  }
});
