import { execFile as execFileCb } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { chown, mkdtemp, readFile, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort, type ManagedProcess, startProcess } from "./process.ts";

const execFile = promisify(execFileCb);

/** Synchronous last-chance cleanups, run if the test process exits without stop() (a crash, a failed before()). */
const exitCleanups = new Set<() => void>();
let exitHookInstalled = false;
function onExit(fn: () => void): () => void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once("exit", () => {
      for (const f of exitCleanups) {
        try {
          f();
        } catch {
          // best effort
        }
      }
    });
  }
  exitCleanups.add(fn);
  return () => exitCleanups.delete(fn);
}

/** A server started for one test (never the shared one): stop() cleans up, kill() crashes it, restart() brings it back on the same port. */
export type PrivateServer = {
  readonly url: string;
  readonly port: number;
  /** Graceful stop and removal of its data directory. Safe to call twice. */
  stop(): Promise<void>;
  /** SIGKILL (a crash); data stays until stop(). */
  kill(): Promise<void>;
  /** Starts it again on the same port with the same data (after kill() or a stop of the process). */
  restart(): Promise<void>;
};

async function waitForTcp(port: number, name: string, timeoutMs: number, probe?: (data: string) => boolean, send?: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      let buf = "";
      const done = (v: boolean) => {
        socket.destroy();
        resolve(v);
      };
      socket.setTimeout(500, () => done(false));
      socket.once("error", (e) => {
        last = e.message;
        done(false);
      });
      socket.once("connect", () => {
        if (!probe) return done(true);
        if (send) socket.write(send);
      });
      socket.on("data", (d) => {
        buf += d.toString();
        if (probe?.(buf)) done(true);
      });
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${name} did not come up on 127.0.0.1:${port} within ${timeoutMs} ms (${last || "no answer"})`);
}

function findBinary(name: string, extraDirs: string[]): string {
  for (const dir of [...extraDirs, ...(process.env["PATH"] ?? "").split(":")]) {
    const p = join(dir, name);
    if (dir && existsSync(p)) return p;
  }
  throw new Error(`${name} not found (looked in ${extraDirs.join(", ")} and PATH); install it (scripts/infra.sh does)`);
}

/** Runs a simple foreground server binary as a ManagedProcess that can be killed and restarted. */
async function foregroundServer(
  name: string,
  bin: string,
  args: (port: number, dir: string) => string[],
  ready: (port: number) => Promise<void>,
  urlFor: (port: number) => string,
): Promise<PrivateServer> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), `orderline-${name}-`));
  let proc: ManagedProcess | undefined;
  const up = async () => {
    proc = await startProcess({ name, cmd: bin, args: args(port, dir), printLogsOnFailure: false, stopTimeoutMs: 5000 });
    try {
      await ready(port);
    } catch (err) {
      await proc.kill();
      throw new Error(`${(err as Error).message}\n--- ${name} logs ---\n${proc.logs().slice(-4000)}`);
    }
  };
  await up();
  let stopped = false;
  const forget = onExit(() => rmSync(dir, { recursive: true, force: true }));
  return {
    url: urlFor(port),
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      forget();
      await proc?.stop();
      await rm(dir, { recursive: true, force: true });
    },
    async kill() {
      await proc?.kill();
    },
    async restart() {
      if (stopped) throw new Error(`${name} on port ${port} was stopped for good; start a new one`);
      await proc?.stop();
      await up();
    },
  };
}

/** `redis-server --port N --save "" --appendonly no` in a temp dir. */
export function startPrivateRedis(): Promise<PrivateServer> {
  const bin = findBinary("redis-server", ["/usr/bin", "/usr/local/bin"]);
  return foregroundServer(
    "redis",
    bin,
    (port, dir) => ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, "--maxmemory-policy", "noeviction"],
    (port) => waitForTcp(port, "redis", 10_000, (d) => d.includes("+PONG"), "PING\r\n"),
    (port) => `redis://127.0.0.1:${port}`,
  );
}

/** `nats-server -a 127.0.0.1 -p N -js -sd <tmp>` (JetStream on, data in a temp dir). */
export function startPrivateNats(): Promise<PrivateServer> {
  const bin = findBinary("nats-server", ["/usr/sbin", "/usr/bin", "/usr/local/bin"]);
  return foregroundServer(
    "nats",
    bin,
    (port, dir) => ["-a", "127.0.0.1", "-p", String(port), "-js", "-sd", dir],
    (port) => waitForTcp(port, "nats", 10_000, (d) => d.startsWith("INFO ") && d.includes("\r\n")),
    (port) => `nats://127.0.0.1:${port}`,
  );
}

/**
 * A private Postgres: initdb into a temp dir (trust auth, user postgres) and pg_ctl on a free port. As root
 * it runs the server as the `postgres` OS user, since Postgres refuses to run as root.
 */
export async function startPrivatePostgres(): Promise<PrivateServer> {
  const binDir = ["/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin"].find((d) => existsSync(join(d, "initdb")));
  const initdb = findBinary("initdb", binDir ? [binDir] : []);
  const pgCtl = findBinary("pg_ctl", binDir ? [binDir] : []);
  const port = await freePort();
  const root = await mkdtemp(join(tmpdir(), "orderline-pg-"));
  const data = join(root, "data");
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { stdout } = await execFile("id", ["-u", "postgres"]);
    const { stdout: gid } = await execFile("id", ["-g", "postgres"]);
    await chown(root, Number(stdout.trim()), Number(gid.trim()));
  }
  const run = (bin: string, args: string[]) => (asRoot ? execFile("runuser", ["-u", "postgres", "--", bin, ...args]) : execFile(bin, args));
  try {
    await run(initdb, ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"]);
  } catch (err) {
    await rm(root, { recursive: true, force: true });
    throw new Error(`initdb failed: ${(err as { stderr?: string }).stderr ?? String(err)}`);
  }
  const start = async () => {
    try {
      await run(pgCtl, ["-D", data, "-l", join(root, "log"), "-w", "-t", "30", "-o", `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -F -c fsync=off`, "start"]);
    } catch (err) {
      const log = await readFile(join(root, "log"), "utf8").catch(() => "");
      throw new Error(`pg_ctl start failed: ${(err as { stderr?: string }).stderr ?? String(err)}\n${log.slice(-4000)}`);
    }
  };
  await start();
  let stopped = false;
  const postmasterPid = async () => Number((await readFile(join(data, "postmaster.pid"), "utf8").catch(() => "")).split("\n")[0]);
  // pg_ctl daemonizes the server: if this process dies without stop(), shut it down (SIGQUIT = immediate).
  const forget = onExit(() => {
    const pid = Number(readFileSync(join(data, "postmaster.pid"), "utf8").split("\n")[0]);
    if (pid) {
      process.kill(pid, "SIGQUIT");
      const tick = new Int32Array(new SharedArrayBuffer(4));
      for (let i = 0; i < 200; i++) {
        try {
          process.kill(pid, 0);
        } catch {
          break;
        }
        Atomics.wait(tick, 0, 0, 10); // a synchronous 10 ms sleep: exit handlers cannot await
      }
    }
    rmSync(root, { recursive: true, force: true });
  });
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      forget();
      await run(pgCtl, ["-D", data, "-m", "immediate", "-w", "stop"]).catch(() => {});
      await rm(root, { recursive: true, force: true });
    },
    async kill() {
      const pid = await postmasterPid();
      if (!pid) return;
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        return;
      }
      // the postmaster's children notice and exit; wait until the port is free again
      for (let i = 0; i < 200; i++) {
        try {
          process.kill(pid, 0);
        } catch {
          break;
        }
        await new Promise((r) => setTimeout(r, 25));
      }
      await waitForPortFree(port);
    },
    async restart() {
      if (stopped) throw new Error(`postgres on port ${port} was stopped for good; start a new one`);
      await run(pgCtl, ["-D", data, "-m", "fast", "-w", "stop"]).catch(() => {});
      await waitForPortFree(port);
      await start();
    },
  };
}

async function waitForPortFree(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const busy = await new Promise<boolean>((resolve) => {
      const s = connect(port, "127.0.0.1");
      s.once("connect", () => {
        s.destroy();
        resolve(true);
      });
      s.once("error", () => resolve(false));
    });
    if (!busy) return;
    await new Promise((r) => setTimeout(r, 25));
  }
}

