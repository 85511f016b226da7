import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, before, describe, it } from "node:test";
import { DEMO_LOCATIONS } from "@orderline/db";
import { createTestDatabase, type TestDatabase } from "@orderline/db/testing";
import { connectNats, drainNats, type NatsConnection, NatsRequestError } from "@orderline/nats";
import { caller, envelopeFor, NATS_URL, ok } from "./helpers.ts";

const ENTRY = join(import.meta.dirname, "..", "src", "index.ts");

let tdb: TestDatabase;
let nc: NatsConnection;
before(async () => {
  tdb = await createTestDatabase({ seed: true });
  nc = await connectNats({ url: NATS_URL, name: "menu-service-process-test" });
});
after(async () => {
  if (nc) await drainNats(nc);
  await tdb?.close();
});

/** Starts `node src/index.ts` and resolves with its ops port once it logged that it started. */
async function startProcess(env: Record<string, string>): Promise<{ child: ChildProcess; opsPort: number; logs: Record<string, unknown>[] }> {
  const child = spawn(process.execPath, [ENTRY], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const logs: Record<string, unknown>[] = [];
  let stderr = "";
  child.stderr!.on("data", (d) => {
    stderr += String(d);
  });
  const lines = createInterface({ input: child.stdout! });
  const opsPort = await new Promise<number>((resolve, reject) => {
    lines.on("line", (line) => {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        if (entry["msg"] === "menu-service started") resolve(Number(entry["opsPort"]));
      } catch {
        // not JSON
      }
    });
    child.once("exit", (code) => reject(new Error(`menu-service exited with ${code} before starting: ${stderr}`)));
  });
  return { child, opsPort, logs };
}

describe("menu-service process", () => {
  it("refuses bad configuration with exit code 78 and names the variable", async () => {
    const child = spawn(process.execPath, [ENTRY], { env: { ...process.env, DATABASE_URL: "mysql://nope", OPS_PORT: "0" }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => {
      output += String(d);
    });
    child.stderr.on("data", (d) => {
      output += String(d);
    });
    const [code] = await once(child, "exit");
    assert.equal(code, 78);
    assert.match(output, /DATABASE_URL/);
    assert.doesNotMatch(output, /mysql:\/\/nope/, "values are not printed");
  });

  it("serves tools, reports health and readiness, exits 0 on SIGTERM and then no longer answers (no_responders)", async () => {
    const prefix = `test-${randomUUID().slice(0, 8)}.`;
    const { child, opsPort } = await startProcess({ DATABASE_URL: tdb.url, NATS_URL, NATS_SUBJECT_PREFIX: prefix, OPS_PORT: "0", LOG_LEVEL: "info" });
    try {
      const base = `http://127.0.0.1:${opsPort}`;
      assert.equal((await fetch(`${base}/healthz`)).status, 200);
      assert.equal((await fetch(`${base}/readyz`)).status, 200);
      const call = caller(nc, prefix);
      const r = ok(await call("get_location", {}, envelopeFor(DEMO_LOCATIONS.newYork.id)));
      assert.equal(r.name, DEMO_LOCATIONS.newYork.name);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      assert.match(metrics, /orderline_tool_duration_seconds_bucket\{[^}]*tool="get_location"/);
      assert.match(metrics, /orderline_menu_cache_lookups_total\{[^}]*result="miss"/);

      child.kill("SIGTERM");
      const [code] = await once(child, "exit");
      assert.equal(code, 0);
      await assert.rejects(call("get_location", {}, envelopeFor(DEMO_LOCATIONS.newYork.id)), (e: unknown) => e instanceof NatsRequestError && e.kind === "no_responders");
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
