import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createDb, dropDatabase, withAdminClient } from "@orderline/db";
import { type Child, isAlive, spawnChild } from "@orderline/supervisor";
import { deleteRedisPrefix, freePort, startTwilioCloud, type TwilioCloud, waitFor } from "@orderline/testing";

const MAIN = join(import.meta.dirname, "../src/main.ts");
const PUBLIC_BASE_URL = "https://voice.onebox.test";
const NUMBER = "+16175550120";

/** A one-location chain open around the clock (the call must not depend on the time the test runs at). */
const CHAIN = `
brand: { slug: onebox-test-pizza, name: Harbor Pizza }
locations:
  - slug: harbor-pizza-seaport
    name: Harbor Pizza Seaport
    timezone: America/New_York
    address: { line1: "1 Seaport Blvd", city: Boston, region: MA, postalCode: "02210" }
    phone: "${NUMBER}"
    taxRate: "6.25%"
    hours: { mon: "00:00-23:59", tue: "00:00-23:59", wed: "00:00-23:59", thu: "00:00-23:59", fri: "00:00-23:59", sat: "00:00-23:59", sun: "00:00-23:59" }
    staffLines: [{ phone: "+16175550121", label: Counter }]
menu:
  categories:
    - name: Pizza
      items:
        - name: Pepperoni Pizza
          sizes:
            - { slug: medium, name: Medium, price: "15.50", default: true }
            - { slug: large, name: Large, price: "19.25" }
`;

/** A base port with the five after it free too (the services' ops ports). */
async function freePortRun(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 40_000);
    const servers = [];
    try {
      for (let i = 0; i < count; i++) {
        const s = createServer().listen(base + i, "127.0.0.1");
        servers.push(s);
        await new Promise((resolve, reject) => s.once("listening", resolve).once("error", reject));
      }
      return base;
    } catch {
      // taken: try another base
    } finally {
      for (const s of servers) s.close();
    }
  }
  throw new Error("no run of free ports found");
}


describe("one-box start (scripts/start.sh's launcher) on the shared Postgres, Redis and NATS", () => {
  const dir = mkdtempSync(join(tmpdir(), "onebox-"));
  const tag = randomBytes(4).toString("hex");
  const database = `onebox_test_${tag}`;
  const databaseUrl = `${process.env["DATABASE_URL"]?.replace(/\/[^/]*$/, "") ?? "postgres://postgres:postgres@127.0.0.1:5432"}/${database}`;
  const redisPrefix = `onebox-${tag}:`;
  const redisUrl = process.env["REDIS_URL"] ?? "redis://127.0.0.1:6379";
  let cloud: TwilioCloud;
  let launcher: Child;
  let output = "";
  let dashboardPort = 0;
  let opsPortBase = 0;
  const lines = () => output.split("\n");

  before(async () => {
    const gatewayPort = await freePort();
    dashboardPort = await freePort();
    opsPortBase = await freePortRun(6);
    const accountSid = `AC${randomBytes(16).toString("hex")}`;
    const authToken = randomBytes(16).toString("hex");
    cloud = await startTwilioCloud({ accountSid, authToken, publicBaseUrl: PUBLIC_BASE_URL, target: `http://127.0.0.1:${gatewayPort}`, timeScale: 0 });
    writeFileSync(join(dir, "chain.yaml"), CHAIN);
    writeFileSync(
      join(dir, ".env"),
      [
        `TWILIO_ACCOUNT_SID=${accountSid}`,
        `TWILIO_AUTH_TOKEN=${authToken}`,
        `TWILIO_PHONE_NUMBERS=${NUMBER}`,
        `PUBLIC_BASE_URL=${PUBLIC_BASE_URL}`,
        `WORKER_API_TOKEN=${randomBytes(16).toString("hex")}`,
        `DATABASE_URL=${databaseUrl}`,
        `REDIS_URL=${redisUrl}`,
        `REDIS_KEY_PREFIX=${redisPrefix}`,
        `NATS_SUBJECT_PREFIX=onebox${tag}.`,
        `GATEWAY_PORT=${gatewayPort}`,
        `WORKER_PORT=${await freePort()}`,
        `DASHBOARD_PORT=${dashboardPort}`,
        `OPS_PORT_BASE=${opsPortBase}`,
        "LOG_LEVEL=warn",
        "SHUTDOWN_GRACE_MS=2s",
        // Passed through to the services: Twilio's REST API is the emulator's.
        `TWILIO_API_BASE_URL=${cloud.restUrl}`,
      ].join("\n"),
    );
    launcher = spawnChild({
      name: "onebox",
      args: [MAIN, "--env-file", join(dir, ".env"), "--chain", join(dir, "chain.yaml")],
      env: { OPENAI_API_KEY: undefined },
      onOutput: (d) => {
        output += d.toString("utf8");
      },
      stopTimeoutMs: 60_000,
    });
    await waitFor(() => output.includes("Ctrl-C or SIGTERM stops everything in order.") || launcher.isRunning() === false, { timeoutMs: 180_000, message: "the one box to print its banner" });
    assert.equal(launcher.isRunning(), true, output);
  });

  after(async () => {
    await launcher?.kill();
    await cloud?.close();
    await withAdminClient(databaseUrl, (c) => dropDatabase(c, database));
    await deleteRedisPrefix(redisUrl, redisPrefix);
    rmSync(dir, { recursive: true, force: true });
  });

  test("a fresh database is created, migrated and the chain file imported before the services start in order", () => {
    const order = ["created database", "migrations: applied", "imported", "starting menu-service", "menu-service ready", "order-service ready", "escalation-service ready", "worker ready", "dashboard ready", "telephony-gateway ready"];
    const at = order.map((what) => lines().findIndex((l) => l.includes(what)));
    assert.ok(at.every((i, k) => i >= 0 && (k === 0 || i > at[k - 1]!)), `in order: ${JSON.stringify(at)}\n${output}`);
    assert.match(output, /Harbor Pizza, 1 location\(s\)/);
  });

  test("the banner gives the Twilio console URLs for the number and says calls use the local agent", () => {
    assert.match(output, new RegExp(`\\${NUMBER} {2}\\(Harbor Pizza Seaport\\)`));
    assert.ok(output.includes(`Webhook  ${PUBLIC_BASE_URL}/voice/incoming  (HTTP POST)`));
    assert.ok(output.includes(`Call status changes:  ${PUBLIC_BASE_URL}/voice/status  (HTTP POST)`));
    assert.ok(output.includes(`Webhook  ${PUBLIC_BASE_URL}/twilio/sms/inbound  (HTTP POST)`));
    assert.match(output, /no OpenAI key: every call is <Gather> turns with the local agent/);
  });

  test("the dashboard is started and ready: its page and API on DASHBOARD_PORT, /metrics only on its ops port; no demo logins for a chain file", async () => {
    assert.ok(output.includes(`Dashboard (staff and managers): http://127.0.0.1:${dashboardPort}/`), output);
    assert.doesNotMatch(output, /demo logins|demo-manager-pass/, "the chain file has no demo users");
    const base = `http://127.0.0.1:${dashboardPort}`;
    assert.match(await (await fetch(`${base}/`)).text(), /OrderLine dashboard/);
    const session = await fetch(`${base}/api/auth/session`);
    assert.equal(session.status, 401);
    assert.equal(((await session.json()) as { error: { code: string } }).error.code, "unauthenticated");
    assert.equal((await fetch(`${base}/metrics`)).status, 404);
    // Start order: menu, order, escalation, worker, dashboard, gateway → the dashboard's ops port is the fifth.
    const ops = `http://127.0.0.1:${opsPortBase + 4}`;
    assert.equal((await fetch(`${ops}/readyz`)).status, 200);
    // The request counter is bumped when the response finishes: read until it shows the session request.
    await waitFor(async () => /^dashboard_http_requests_total\{[^}]*group="auth"/m.test(await (await fetch(`${ops}/metrics`)).text()), {
      timeoutMs: 10_000,
      message: "the dashboard's ops port to count the /api/auth request",
    });
  });

  test("a simulated call orders a large pepperoni pizza through the stack; the worker stores the call", async () => {
    const call = cloud.placeCall({
      url: `${PUBLIC_BASE_URL}/voice/incoming`,
      statusCallback: `${PUBLIC_BASE_URL}/voice/status`,
      from: "+16175550199",
      to: NUMBER,
      gatherAnswers: [{ speech: "Hi, I'd like a large pepperoni pizza for pickup." }, { speech: "No thanks, that's all." }, { speech: "Mike" }, { speech: "555 123 4567" }, { speech: "yes" }, "hangup"],
    } as never);
    await call.done;
    call.assertNoErrors();
    const { db, close } = createDb(databaseUrl, { max: 1 });
    try {
      const orders = await db.selectFrom("orders").select(["state", "customer_name", "customer_phone", "subtotal_cents", "tax_cents", "total_cents"]).where("call_sid", "=", call.sid).execute();
      // Large $19.25; Massachusetts 6.25 % = $1.203125 → $1.20; total $20.45.
      assert.deepEqual(orders, [{ state: "submitted", customer_name: "Mike", customer_phone: "+15551234567", subtotal_cents: 1925, tax_cents: 120, total_cents: 2045 }], call.formatTimeline());
      // The gateway opens the call's row; the worker completes it from the finalize job once the call has ended.
      const record = await waitFor(
        () => db.selectFrom("voice_calls").select(["disposition", "order_id"]).where("call_sid", "=", call.sid).where("disposition", "<>", "in_progress").executeTakeFirst(),
        { timeoutMs: 30_000, message: "the worker to store the ended call" },
      );
      assert.equal(record.disposition, "completed");
    } finally {
      await close();
    }
  });

  test("a service killed with SIGKILL is restarted after the backoff and becomes ready again (logged)", async () => {
    const before = /order-service ready \(pid (\d+)\)/.exec(output);
    assert.ok(before, output);
    process.kill(Number(before[1]), "SIGKILL");
    await waitFor(() => /order-service restarted \(pid \d+\) and ready/.test(output), { timeoutMs: 60_000, message: "order-service to be restarted" });
    assert.match(output, /order-service \(pid \d+\) exited with signal SIGKILL; restart #1 in 1000 ms/);
  });

  test("SIGTERM stops the gateway first, then the worker and the dashboard, then the tool services; every child exits and the launcher exits 0", async () => {
    // The latest process of each service (a restarted one replaces the first).
    const latest = new Map([...output.matchAll(/(\S+) (?:ready|restarted) \(pid (\d+)\)/g)].map((m) => [m[1]!, Number(m[2])]));
    const pids = [...latest].map(([name, pid]) => ({ name, pid }));
    assert.deepEqual(pids.map((p) => p.name).sort(), ["dashboard", "escalation-service", "menu-service", "order-service", "telephony-gateway", "worker"], output);
    assert.ok(pids.every((p) => isAlive(p.pid)));
    const status = await launcher.stop();
    assert.deepEqual(status, { code: 0, signal: null }, output.slice(-4000));
    const stops = lines().filter((l) => /\| stopping \S+ \(pid/.test(l)).map((l) => /stopping (\S+)/.exec(l)![1]);
    assert.deepEqual(stops, ["telephony-gateway", "worker", "dashboard", "escalation-service", "order-service", "menu-service"]);
    for (const name of stops) assert.ok(output.includes(`${name} stopped (code 0)`), `${name} exited cleanly:\n${output.slice(-3000)}`);
    for (const p of pids) assert.equal(isAlive(p.pid), false, `${p.name} (pid ${p.pid}) is gone`);
  });
});
