import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { join } from "node:path";
import { waitFor } from "@orderline/testing/wait-for";

const fixture = join(import.meta.dirname, "fixture-service.ts");

async function freePort(): Promise<number> {
  const s = createServer().listen(0, "127.0.0.1");
  await once(s, "listening");
  const { port } = s.address() as { port: number };
  s.close();
  return port;
}

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, [fixture], { env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d));
  child.stderr.on("data", (d: Buffer) => (out += d));
  const exited = once(child, "exit").then(([code]) => code as number | null);
  return { child, exited, output: () => out };
}

test("broken config: exit 78 before listening, every bad variable named", async () => {
  const p = run({ DATABASE_URL: "mysql://nope", NATS_URL: "nats://127.0.0.1:4222", OPS_PORT: "99999" });
  assert.equal(await p.exited, 78);
  assert.match(p.output(), /DATABASE_URL/);
  assert.match(p.output(), /OPS_PORT/);
});

test("ready once Postgres and NATS are connected; after SIGTERM /readyz answers 503 while it stops serving, then it exits 0", async () => {
  const port = await freePort();
  const p = run({
    DATABASE_URL: process.env.DATABASE_URL ?? "postgres://postgres:postgres@127.0.0.1:5432/postgres",
    NATS_URL: process.env.NATS_URL ?? "nats://127.0.0.1:4222",
    OPS_PORT: String(port),
  });
  const readyz = () => fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status);
  await waitFor(
    async () => {
      if (p.child.exitCode !== null) throw new Error(`exited with ${p.child.exitCode}:\n${p.output()}`);
      return (await readyz()) === 200;
    },
    { timeoutMs: 10_000, message: "the fixture service to answer /readyz 200" },
  );
  assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
  assert.match(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text(), /process_cpu/);
  p.child.kill("SIGTERM");
  // The fixture's stop() holds until its stdin closes: the process is mid-shutdown here.
  await waitFor(() => /fixture stopping/.test(p.output()), { timeoutMs: 10_000, message: "the fixture's stop() to begin after SIGTERM" });
  assert.equal(await readyz(), 503, "not ready once shutdown began");
  assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200, "still alive while draining");
  p.child.stdin.end();
  assert.equal(await p.exited, 0, p.output());
  assert.match(p.output(), /fixture stopped serving/);
});
