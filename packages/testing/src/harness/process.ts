import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";

/** A TCP port that was free a moment ago on 127.0.0.1 (the OS picks it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  await new Promise<void>((r) => server.close(() => r()));
  if (!port) throw new Error("freePort: the OS gave no port");
  return port;
}

export type StartProcessOptions = {
  /** Label for logs and errors. */
  name: string;
  /** Executable; "node" or unset means this Node binary (Node 24), not whatever `node` is on PATH. */
  cmd?: string;
  args?: string[];
  cwd?: string;
  /** Added to (and overriding) the parent's environment. */
  env?: Record<string, string | undefined>;
  /** GET this until it answers 200 before resolving (e.g. http://127.0.0.1:OPS_PORT/readyz). */
  readyUrl?: string;
  /** Default 20,000 ms. */
  readyTimeoutMs?: number;
  /** SIGTERM, then SIGKILL after this long (default 10,000 ms). */
  stopTimeoutMs?: number;
  /** Print the captured output when the process fails to start or exits on its own with an error (default true). */
  printLogsOnFailure?: boolean;
};

export type ManagedProcess = {
  readonly name: string;
  readonly pid: number;
  /** Everything written to stdout and stderr so far. */
  logs(): string;
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL after stopTimeoutMs; resolves with how it exited. Safe to call twice. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL now (simulates a crash / pod kill). */
  kill(): Promise<void>;
};

/** Thrown when a process exits or stays unready; carries its logs. */
export class ProcessStartError extends Error {
  override readonly name = "ProcessStartError";
  readonly logs: string;
  constructor(message: string, logs: string) {
    super(`${message}\n--- logs ---\n${logs.slice(-8000)}`);
    this.logs = logs;
  }
}

const live = new Set<ChildProcess>();
let exitHook = false;

/**
 * Starts a process (e.g. a service: `{ name: "menu", args: ["src/index.ts"], cwd, env, readyUrl }`), captures its
 * output and waits until `readyUrl` answers 200. Children are killed if the test process exits first.
 */
export async function startProcess(opts: StartProcessOptions): Promise<ManagedProcess> {
  if (!exitHook) {
    exitHook = true;
    process.once("exit", () => {
      for (const c of live) c.kill("SIGKILL");
    });
  }
  // "node" means this Node (24): the machine's own `node` on PATH may be older.
  const cmd = opts.cmd === undefined || opts.cmd === "node" ? process.execPath : opts.cmd;
  const child = spawn(cmd, opts.args ?? [], {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  live.add(child);
  let output = "";
  const capture = (d: Buffer) => {
    output += d.toString("utf8");
    if (output.length > 2_000_000) output = output.slice(-1_000_000);
  };
  child.stdout!.on("data", capture);
  child.stderr!.on("data", capture);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
    child.once("error", (err) => {
      output += `\n[spawn error] ${err.message}\n`;
      live.delete(child);
      resolve({ code: -1, signal: null });
    });
  });
  let stopping = false;
  let stopped: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | undefined;
  const printOnFailure = opts.printLogsOnFailure ?? true;
  void exited.then(({ code, signal }) => {
    if (!stopping && printOnFailure && (code !== 0 || signal)) {
      process.stderr.write(`[${opts.name}] exited unexpectedly (code ${code}, signal ${signal}):\n${output.slice(-8000)}\n`);
    }
  });
  const handle: ManagedProcess = {
    name: opts.name,
    pid: child.pid ?? -1,
    logs: () => output,
    exited,
    stop() {
      stopping = true;
      stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill("SIGTERM");
          const timer = setTimeout(() => child.kill("SIGKILL"), opts.stopTimeoutMs ?? 10_000);
          const result = await exited;
          clearTimeout(timer);
          return result;
        }
        return exited;
      })();
      return stopped;
    },
    async kill() {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
  if (opts.readyUrl) {
    const deadline = Date.now() + (opts.readyTimeoutMs ?? 20_000);
    let last = "no answer yet";
    let exitedEarly: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    void exited.then((e) => {
      exitedEarly = e;
    });
    for (;;) {
      if (exitedEarly) {
        const err = new ProcessStartError(`${opts.name} exited (code ${exitedEarly.code}, signal ${exitedEarly.signal}) before ${opts.readyUrl} was ready`, output);
        if (printOnFailure) process.stderr.write(`${err.message}\n`);
        throw err;
      }
      try {
        const res = await fetch(opts.readyUrl, { signal: AbortSignal.timeout(1000) });
        await res.arrayBuffer();
        if (res.status === 200) break;
        last = `HTTP ${res.status}`;
      } catch (err) {
        last = (err as Error).message;
      }
      if (Date.now() > deadline) {
        await handle.stop();
        const err = new ProcessStartError(`${opts.name} not ready at ${opts.readyUrl} within ${opts.readyTimeoutMs ?? 20_000} ms (last: ${last})`, output);
        if (printOnFailure) process.stderr.write(`${err.message}\n`);
        throw err;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return handle;
}
