import { type ChildProcess, spawn } from "node:child_process";

/** How a child process ended. */
export type ExitStatus = { code: number | null; signal: NodeJS.Signals | null };

export type ChildOptions = {
  /** Label for logs and errors. */
  name: string;
  /** Executable; "node" or unset means this Node binary (Node 24), not whatever `node` is on PATH. */
  cmd?: string;
  args?: string[];
  cwd?: string;
  /** Added to (and overriding) the parent's environment; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /** Every chunk the child writes to stdout or stderr. */
  onOutput?: (chunk: Buffer, stream: "stdout" | "stderr") => void;
  /**
   * Its own process group, so a terminal's Ctrl-C (sent to the whole foreground group) reaches only the
   * parent, which then stops the children in its own order. Default false.
   */
  ownProcessGroup?: boolean;
  /** SIGTERM, then SIGKILL after this long (default 10,000 ms). */
  stopTimeoutMs?: number;
};

export type Child = {
  readonly name: string;
  readonly pid: number;
  /** Resolves when the process has exited (a spawn error resolves with code -1). */
  readonly exited: Promise<ExitStatus>;
  /** True until the process has exited. */
  isRunning(): boolean;
  /** True once `stop` or `kill` was called (an exit after that is not a crash). */
  isStopping(): boolean;
  /** SIGTERM, then SIGKILL after stopTimeoutMs; resolves with how it exited. Safe to call twice. */
  stop(): Promise<ExitStatus>;
  /** SIGKILL now (a crash / pod kill). */
  kill(): Promise<void>;
};

const live = new Set<ChildProcess>();
let exitHook = false;

/** Starts a process; it is SIGKILLed if this process exits first (a parent killed with SIGKILL cannot do that). */
export function spawnChild(opts: ChildOptions): Child {
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
    detached: opts.ownProcessGroup ?? false,
  });
  live.add(child);
  const onOutput = opts.onOutput ?? (() => {});
  child.stdout!.on("data", (d: Buffer) => onOutput(d, "stdout"));
  child.stderr!.on("data", (d: Buffer) => onOutput(d, "stderr"));
  let running = true;
  const exited = new Promise<ExitStatus>((resolve) => {
    child.once("exit", (code, signal) => {
      running = false;
      live.delete(child);
      resolve({ code, signal });
    });
    child.once("error", (err) => {
      onOutput(Buffer.from(`\n[spawn error] ${err.message}\n`), "stderr");
      running = false;
      live.delete(child);
      resolve({ code: -1, signal: null });
    });
  });
  let stopping = false;
  let stopped: Promise<ExitStatus> | undefined;
  return {
    name: opts.name,
    pid: child.pid ?? -1,
    exited,
    isRunning: () => running,
    isStopping: () => stopping,
    stop() {
      stopping = true;
      stopped ??= (async () => {
        if (!running) return exited;
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), opts.stopTimeoutMs ?? 10_000);
        const result = await exited;
        clearTimeout(timer);
        return result;
      })();
      return stopped;
    },
    async kill() {
      stopping = true;
      if (running) child.kill("SIGKILL");
      await exited;
    },
  };
}

export type ReadyResult = { ok: true } | { ok: false; exited: ExitStatus } | { ok: false; timedOut: true; last: string };

/**
 * GETs `url` until it answers 200, the child exits, or `timeoutMs` passes (default 20,000 ms). Never throws:
 * the caller decides what a child that never became ready means.
 */
export async function waitUntilReady(url: string, child: Pick<Child, "exited">, timeoutMs = 20_000): Promise<ReadyResult> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer yet";
  let exitedEarly: ExitStatus | undefined;
  void child.exited.then((e) => {
    exitedEarly = e;
  });
  for (;;) {
    if (exitedEarly) return { ok: false, exited: exitedEarly };
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status === 200) return { ok: true };
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    if (exitedEarly) return { ok: false, exited: exitedEarly };
    if (Date.now() > deadline) return { ok: false, timedOut: true, last };
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** "code 1", "signal SIGKILL". */
export function describeExit(e: ExitStatus): string {
  return e.signal ? `signal ${e.signal}` : `code ${e.code}`;
}

/** True while a process with this pid exists (signal 0 probes without sending anything). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
