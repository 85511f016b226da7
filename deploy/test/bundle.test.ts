/**
 * Each image's production tree, built natively the way the Dockerfile builds it — the build context
 * (.dockerignore applied), then the target's own `RUN sh deploy/docker/install-app.sh <project>` offline from
 * the machine's pnpm store — and started with the target's CMD against local Postgres/Redis/NATS (a private
 * database, key and subject prefixes) until /readyz answers 200; then SIGTERM and a clean exit.
 * What Docker adds on top (base image, tini, user) cannot run here; deploy/test/dockerfile.test.ts reads it.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { createTestDatabase, type TestDatabase } from "@orderline/db/testing";
import { freePort, startProcess, waitFor } from "@orderline/testing";
import { buildContextFiles, type DockerTarget, deployables, dockerTargets, repo } from "./repo.ts";

const tag = randomBytes(4).toString("hex");
let work: string;
let context: string;
let db: TestDatabase;
const pnpmBin = dirname(execFileSync("sh", ["-c", "command -v pnpm"], { env: pathEnv() }).toString().trim());
const store = dirname(execFileSync("pnpm", ["store", "path"], { cwd: repo, env: pathEnv() }).toString().trim());

/** PATH with this Node (24) and the repository's pnpm first. */
function pathEnv(): NodeJS.ProcessEnv {
  return { ...process.env, PATH: [dirname(process.execPath), join(repo, ".tools", "node_modules", ".bin"), process.env["PATH"]].join(":") };
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), "orderline-bundles-"));
  context = join(work, "context");
  for (const f of buildContextFiles()) {
    mkdirSync(join(context, dirname(f)), { recursive: true });
    copyFileSync(join(repo, f), join(context, f));
  }
  db = await createTestDatabase({ seed: true });
});

after(async () => {
  await db?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Runs one of deploy/docker's scripts in a fresh copy of the context (`dir` under the work directory), as a Dockerfile stage does. */
function runStage(dir: string, script: string, args: string[]): string {
  const at = join(work, dir);
  cpSync(context, at, { recursive: true });
  const r = spawnSync("sh", [script, ...args, store], { cwd: at, env: { ...pathEnv(), PATH: `${pnpmBin}:${pathEnv()["PATH"]}` }, encoding: "utf8" });
  assert.equal(r.status, 0, `${script} ${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
  return at;
}

/**
 * The target's tree: its install step, then what it copies from other builder stages (the dashboard's web
 * page), each built by that stage's script in its own copy of the context.
 */
function build(target: DockerTarget): string {
  const dir = runStage(target.name, "deploy/docker/install-app.sh", [target.project]);
  for (const c of target.copies) {
    const stage = existsSync(join(work, c.stage)) ? join(work, c.stage) : runStage(c.stage, c.script, []);
    assert.ok(existsSync(join(stage, c.from)), `stage ${c.stage} made no ${c.from}`);
    cpSync(join(stage, c.from), join(dir, c.to), { recursive: true });
  }
  return dir;
}

/** What each deployable needs besides the connection variables (fake Twilio credentials: nothing dials out). */
function envFor(name: string, ports: { ops: number; http: number }): Record<string, string | undefined> {
  const base = {
    DATABASE_URL: db.url,
    NATS_URL: "nats://127.0.0.1:4222",
    NATS_SUBJECT_PREFIX: `bundle-${tag}-${name}.`,
    REDIS_URL: "redis://127.0.0.1:6379",
    REDIS_KEY_PREFIX: `bundle-${tag}-${name}:`,
    OPS_PORT: String(ports.ops),
    PORT: String(ports.http),
    LOG_LEVEL: "warn",
    NODE_ENV: "production",
    OTEL_EXPORTER_OTLP_ENDPOINT: undefined,
    OPENAI_API_KEY: undefined,
  };
  const twilio = { TWILIO_ACCOUNT_SID: "AC00000000000000000000000000000000", TWILIO_AUTH_TOKEN: "bundle-test-token", TWILIO_API_BASE_URL: "http://127.0.0.1:9" };
  switch (name) {
    case "telephony-gateway":
      return { ...base, ...twilio, PUBLIC_BASE_URL: "https://voice.example.test", SWEEP_INTERVAL_MS: "0", SHUTDOWN_GRACE_MS: "2000" };
    case "worker":
      return {
        ...base,
        ...twilio,
        PUBLIC_BASE_URL: "https://voice.example.test",
        WORKER_API_TOKEN: "bundle-test-api-token",
        MODEL_PRICES: '{"gpt-realtime":{"audioInput":"32","cachedInput":"0.40","audioOutput":"64","textInput":"4","textOutput":"16"}}',
        TWILIO_INBOUND_PRICE_PER_MIN: "0.0085",
        TWILIO_OUTBOUND_PRICE_PER_MIN: "0.013",
        READY_SWEEP_INTERVAL_MS: "0",
      };
    default:
      return base;
  }
}

const status = async (url: string) => {
  try {
    return (await fetch(url)).status;
  } catch {
    return 0;
  }
};

test("the Dockerfile has a target for every deployable (what the next tests build); the dashboard's copies its web page", () => {
  const names = dockerTargets().map((t) => t.name);
  for (const d of deployables()) assert.ok(names.includes(d), `no target ${d}`);
  const dashboard = dockerTargets().find((t) => t.name === "dashboard");
  assert.deepEqual(dashboard?.copies, [{ stage: "dashboard-web", script: "deploy/docker/build-web.sh", from: "services/dashboard/web/dist", to: "services/dashboard/web/dist" }]);
});

for (const target of dockerTargets().filter((t) => t.name !== "migrate")) {
  test(`${target.name}: the production tree starts with the image's CMD, answers /readyz 200, and exits 0 on SIGTERM`, async () => {
    assert.ok(target.cmd, `${target.name} has no CMD`);
    const dir = build(target);
    assert.equal(existsSync(join(dir, "packages", "testing")), false, "test-only packages are not in the image");
    const ports = { ops: await freePort(), http: await freePort() };
    const [cmd, ...args] = target.cmd;
    const proc = await startProcess({
      name: target.name,
      cmd,
      args,
      cwd: dir,
      env: envFor(target.name, ports),
      readyUrl: `http://127.0.0.1:${ports.ops}/readyz`,
      readyTimeoutMs: 60_000,
    });
    try {
      if (target.name === "dashboard") {
        // The built web page is what the dashboard serves (not its fallback), and /metrics stays on the ops port.
        const page = await (await fetch(`http://127.0.0.1:${ports.http}/`)).text();
        assert.match(page, /<script type="module"[^>]* src="\/assets\/[^"]+\.js"/, page.slice(0, 500));
        assert.equal(await status(`http://127.0.0.1:${ports.http}/metrics`), 404);
        assert.equal(await status(`http://127.0.0.1:${ports.ops}/metrics`), 200);
      }
      if (target.name === "telephony-gateway") {
        // The chart's preStop: SIGUSR2 makes readiness fail (draining) while the process stays alive.
        process.kill(proc.pid, "SIGUSR2");
        await waitFor(async () => (await status(`http://127.0.0.1:${ports.ops}/readyz`)) === 503, { timeoutMs: 10_000, message: "gateway /readyz 503 after SIGUSR2" });
        assert.equal(await status(`http://127.0.0.1:${ports.ops}/healthz`), 200);
      }
    } finally {
      const exit = await proc.stop();
      assert.deepEqual(exit, { code: 0, signal: null }, `${target.name} did not exit cleanly:\n${proc.logs().slice(-4000)}`);
    }
  });
}

test("migrate: the migration image's tree migrates and seeds a database", () => {
  const target = dockerTargets().find((t) => t.name === "migrate");
  assert.ok(target?.cmd);
  const dir = build(target);
  assert.equal(existsSync(join(dir, "services")), false, "no service code in the migration image");
  const env = { ...pathEnv(), DATABASE_URL: db.url };
  const [cmd, ...args] = target.cmd;
  const migrate = spawnSync(cmd === "node" ? process.execPath : cmd!, args, { cwd: dir, env, encoding: "utf8" });
  assert.equal(migrate.status, 0, migrate.stderr);
  assert.match(migrate.stdout, /database: /);
  const seed = spawnSync(process.execPath, ["packages/db/src/cli/seed.ts"], { cwd: dir, env, encoding: "utf8" });
  assert.equal(seed.status, 0, seed.stderr);
  assert.match(seed.stdout, /seeded /);
});
