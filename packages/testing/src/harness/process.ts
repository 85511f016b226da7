import { type ChildOptions, type ExitStatus, spawnChild, waitUntilReady } from "@orderline/supervisor";

/** A TCP port that was free a moment ago on 127.0.0.1 (the OS picks it). */
export { freePort } from "@orderline/supervisor";

/** The supervisor's child options (name, cmd, args, cwd, env, stopTimeoutMs) plus readiness and log printing. */
export type StartProcessOptions = Omit<ChildOptions, "onOutput" | "ownProcessGroup"> & {
  /** GET this until it answers 200 before resolving (e.g. http://127.0.0.1:OPS_PORT/readyz). */
  readyUrl?: string;
  /** Default 20,000 ms. */
  readyTimeoutMs?: number;
  /** Print the captured output when the process fails to start or exits on its own with an error (default true). */
  printLogsOnFailure?: boolean;
};

export type ManagedProcess = {
  readonly name: string;
  readonly pid: number;
  /** Everything written to stdout and stderr so far. */
  logs(): string;
  /** Resolves when the process has exited. */
  readonly exited: Promise<ExitStatus>;
  /** SIGTERM, then SIGKILL after stopTimeoutMs; resolves with how it exited. Safe to call twice. */
  stop(): Promise<ExitStatus>;
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

/**
 * Starts a process (e.g. a service: `{ name: "menu", args: ["src/index.ts"], cwd, env, readyUrl }`), captures its
 * output and waits until `readyUrl` answers 200. Children are killed if the test process exits first.
 */
export async function startProcess(opts: StartProcessOptions): Promise<ManagedProcess> {
  let output = "";
  const child = spawnChild({
    name: opts.name,
    cmd: opts.cmd,
    args: opts.args,
    cwd: opts.cwd,
    env: opts.env,
    stopTimeoutMs: opts.stopTimeoutMs,
    onOutput: (d) => {
      output += d.toString("utf8");
      if (output.length > 2_000_000) output = output.slice(-1_000_000);
    },
  });
  const printOnFailure = opts.printLogsOnFailure ?? true;
  void child.exited.then(({ code, signal }) => {
    if (!child.isStopping() && printOnFailure && (code !== 0 || signal)) {
      process.stderr.write(`[${opts.name}] exited unexpectedly (code ${code}, signal ${signal}):\n${output.slice(-8000)}\n`);
    }
  });
  const handle: ManagedProcess = { name: opts.name, pid: child.pid, logs: () => output, exited: child.exited, stop: () => child.stop(), kill: () => child.kill() };
  if (opts.readyUrl) {
    const ready = await waitUntilReady(opts.readyUrl, child, opts.readyTimeoutMs ?? 20_000);
    if (!ready.ok) {
      const message =
        "exited" in ready
          ? `${opts.name} exited (code ${ready.exited.code}, signal ${ready.exited.signal}) before ${opts.readyUrl} was ready`
          : `${opts.name} not ready at ${opts.readyUrl} within ${opts.readyTimeoutMs ?? 20_000} ms (last: ${ready.last})`;
      if (!("exited" in ready)) await handle.stop();
      const err = new ProcessStartError(message, output);
      if (printOnFailure) process.stderr.write(`${err.message}\n`);
      throw err;
    }
  }
  return handle;
}
