import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { createSupervisor, freePort, isAlive, type ServiceSpec, spawnChild, waitUntilReady } from "../src/index.ts";

const dir = mkdtempSync(join(tmpdir(), "supervisor-test-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const FIXTURE = join(import.meta.dirname, "fixtures", "service.ts");

let runs = 0;
async function specs(names: string[], extra: Record<string, Record<string, string>> = {}) {
  const events = join(dir, `events-${runs++}.log`);
  const list: ServiceSpec[] = [];
  for (const name of names) {
    const port = await freePort();
    list.push({ name, args: [FIXTURE], cwd: dir, env: { SERVICE_NAME: name, EVENTS_FILE: events, PORT: String(port), ...extra[name] }, readyUrl: `http://127.0.0.1:${port}/readyz`, stopTimeoutMs: 5000 });
  }
  return { list, events: () => readFileSync(events, "utf8").trim().split("\n") };
}

/** Collects the supervisor's log lines; `until` resolves once they satisfy `ok` (rejects after `ms`, naming what it waited for). */
function logLines() {
  const lines: string[] = [];
  let check = () => {};
  return {
    lines,
    log: (l: string) => {
      lines.push(l);
      check();
    },
    until(what: string, ok: (lines: string[]) => boolean, ms = 20_000): Promise<void> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; log:\n${lines.join("\n")}`)), ms);
        check = () => {
          if (ok(lines)) {
            clearTimeout(timer);
            resolve();
          }
        };
        check();
      });
    },
  };
}


describe("supervisor", () => {
  test("starts services in order, each after the previous one answered its readiness URL, and stops them in the stop order", async () => {
    const { list, events } = await specs(["menu", "order", "gateway"]);
    const lines: string[] = [];
    const output: string[] = [];
    const sup = createSupervisor({ services: list, stopOrder: ["gateway", "menu", "order"], log: (l) => lines.push(l), output: (s, l) => output.push(`${s}: ${l}`) });
    await sup.start();
    assert.deepEqual(events(), ["start menu", "start order", "start gateway"]);
    assert.ok(output.includes("order: order listening"), output.join("\n"));
    const pids = sup.state().map((s) => s.pid);
    await sup.stop();
    assert.deepEqual(events().slice(3), ["stop gateway", "stop menu", "stop order"]);
    assert.deepEqual(sup.state().map((s) => s.running), [false, false, false]);
    for (const pid of pids) assert.equal(isAlive(pid), false, `pid ${pid} is gone`);
    assert.ok(lines.includes("stopping gateway (pid " + pids[2] + ")"), lines.join("\n"));
  });

  test("a service that crashes is restarted after the backoff, and the restart is logged", async () => {
    const { list, events } = await specs(["menu", "order"], { order: { CRASH_CODE: "1", CRASH_TIMES: "2" } });
    const { lines, log, until } = logLines();
    const sup = createSupervisor({ services: list, log, output: () => {}, backoff: { initialMs: 100, maxMs: 400 } });
    try {
      await sup.start();
      await until("the second restart to be ready", (ls) => ls.filter((l) => l.startsWith("order restarted")).length === 2);
      assert.equal(sup.state()[1]!.restarts, 2);
      assert.ok(lines.some((l) => /^order \(pid \d+\) exited with code 1; restart #1 in 100 ms$/.test(l)), lines.join("\n"));
      assert.ok(lines.some((l) => /^order \(pid \d+\) exited with code 1; restart #2 in 200 ms$/.test(l)), "the second wait is doubled");
      assert.equal(events().filter((e) => e === "start order").length, 3);
      assert.equal(sup.state()[1]!.running, true);
    } finally {
      await sup.stop();
    }
  });

  test("a service exiting with 78 (bad configuration) is not restarted and reports fatal", async () => {
    const { list, events } = await specs(["menu"], { menu: { CRASH_CODE: "78" } });
    const lines: string[] = [];
    const sup = createSupervisor({ services: list, log: (l) => lines.push(l), output: () => {}, backoff: { initialMs: 50 } });
    try {
      await sup.start();
      const err = await sup.fatal;
      assert.match(err.message, /menu exited with code 78 \(bad configuration/);
      assert.ok(lines.includes("menu exited with code 78 (bad configuration): not restarting"), lines.join("\n"));
      assert.deepEqual(events(), ["start menu"]);
    } finally {
      await sup.stop();
    }
  });

  test("start fails with the service's name when it exits before it is ready, and stops the ones already started", async () => {
    const { list, events } = await specs(["menu", "broken"]);
    list[1]!.args = ["-e", "process.exit(3)"];
    const sup = createSupervisor({ services: list, log: () => {}, output: () => {} });
    await assert.rejects(sup.start(), /broken exited \(code 3\) before http:\/\/127\.0\.0\.1:\d+\/readyz answered 200/);
    assert.deepEqual(events(), ["start menu", "stop menu"]);
  });

  test("waitUntilReady reports a timeout with the last answer, and spawnChild's stop escalates to SIGKILL", async () => {
    // It says "armed" once its SIGTERM handler is installed: a SIGTERM before that (a slow start) would end it.
    let armed!: () => void;
    const isArmed = new Promise<void>((resolve, reject) => {
      armed = resolve;
      setTimeout(() => reject(new Error("the child did not install its SIGTERM handler within 30 s")), 30_000).unref();
    });
    const child = spawnChild({
      name: "stubborn",
      args: ["-e", "process.on('SIGTERM', () => {}); console.log('armed'); setInterval(() => {}, 1000)"],
      stopTimeoutMs: 300,
      onOutput: (d) => {
        if (d.toString().includes("armed")) armed();
      },
    });
    await isArmed;
    const port = await freePort();
    const ready = await waitUntilReady(`http://127.0.0.1:${port}/readyz`, child, 300);
    assert.equal(ready.ok, false);
    assert.ok(!ready.ok && "timedOut" in ready && /ECONNREFUSED|fetch failed/.test(ready.last), JSON.stringify(ready));
    assert.deepEqual(await child.stop(), { code: null, signal: "SIGKILL" });
  });
});
