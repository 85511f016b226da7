import { type Child, describeExit, type ExitStatus, spawnChild, waitUntilReady } from "./child.ts";

export type ServiceSpec = {
  name: string;
  /** Default: this Node binary. */
  cmd?: string;
  args: string[];
  cwd: string;
  env: Record<string, string | undefined>;
  /** GET until 200 before the next service starts (e.g. http://127.0.0.1:OPS_PORT/readyz). */
  readyUrl: string;
  /** Default 30,000 ms. */
  readyTimeoutMs?: number;
  /** SIGTERM, then SIGKILL after this long (default 35,000 ms: the gateway's call drain takes up to 30 s). */
  stopTimeoutMs?: number;
};

export type Backoff = {
  /** Wait before the first restart (default 1,000 ms); doubled after each crash in a row. */
  initialMs: number;
  /** Longest wait between restarts (default 30,000 ms). */
  maxMs: number;
  /** A process that stayed up this long starts the doubling again (default 60,000 ms). */
  resetAfterMs: number;
};

export type SupervisorOptions = {
  /** Started in this order, each once the previous one is ready. */
  services: ServiceSpec[];
  /** Names in the order they are stopped (default: the reverse of the start order). */
  stopOrder?: string[];
  /** Lines the supervisor itself says (starts, crashes, restarts, stops). */
  log: (line: string) => void;
  /** Each line a service writes, with its name. */
  output: (service: string, line: string) => void;
  backoff?: Partial<Backoff>;
  /** Exit codes that mean "will never work" (bad configuration): no restart, `fatal` resolves. Default [78]. */
  fatalExitCodes?: number[];
};

export type ServiceState = { name: string; pid: number; restarts: number; running: boolean };

export type Supervisor = {
  /** Starts every service in order; rejects (after stopping what started) if one exits or stays unready. */
  start(): Promise<void>;
  /** Stops every service in the stop order, each after the previous one has exited. Safe to call twice. */
  stop(): Promise<void>;
  /** Resolves with a reason when a service exits with a fatal code; the caller decides to stop. */
  readonly fatal: Promise<Error>;
  state(): ServiceState[];
};

/** Thrown by `start` when a service does not come up. */
export class ServiceStartError extends Error {
  override readonly name = "ServiceStartError";
  readonly service: string;
  constructor(service: string, message: string) {
    super(message);
    this.service = service;
  }
}

/** Splits a byte stream into lines (the last partial line waits for its newline, or `flush`). */
function lineSplitter(onLine: (line: string) => void): { push(chunk: Buffer): void; flush(): void } {
  let pending = "";
  return {
    push(chunk) {
      pending += chunk.toString("utf8");
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const l of lines) onLine(l.replace(/\r$/, ""));
    },
    flush() {
      if (pending) onLine(pending);
      pending = "";
    },
  };
}

type Slot = { spec: ServiceSpec; child: Child | undefined; restarts: number; crashesInRow: number; startedAt: number };

/**
 * Runs services as child processes (each in its own process group, so Ctrl-C reaches only the supervisor):
 * ordered start gated on each one's readiness URL, restart of a crashed service after a bounded, doubling
 * wait (logged), no restart on a fatal exit code, ordered stop.
 */
export function createSupervisor(opts: SupervisorOptions): Supervisor {
  const backoff: Backoff = { initialMs: 1000, maxMs: 30_000, resetAfterMs: 60_000, ...opts.backoff };
  const fatalCodes = new Set(opts.fatalExitCodes ?? [78]);
  const slots = new Map<string, Slot>(opts.services.map((spec) => [spec.name, { spec, child: undefined, restarts: 0, crashesInRow: 0, startedAt: 0 }]));
  if (slots.size !== opts.services.length) throw new Error("createSupervisor: a service name is listed twice");
  const stopOrder = opts.stopOrder ?? opts.services.map((s) => s.name).reverse();
  const missing = [...slots.keys()].filter((n) => !stopOrder.includes(n));
  if (missing.length > 0 || stopOrder.length !== slots.size) throw new Error(`createSupervisor: stopOrder must name every service once (missing: ${missing.join(", ") || "none"})`);
  let stopping = false;
  let stopped: Promise<void> | undefined;
  const timers = new Set<NodeJS.Timeout>();
  let reportFatal: (err: Error) => void = () => {};
  const fatal = new Promise<Error>((resolve) => {
    reportFatal = resolve;
  });

  const spawnSlot = (slot: Slot): Child => {
    const out = lineSplitter((l) => opts.output(slot.spec.name, l));
    const err = lineSplitter((l) => opts.output(slot.spec.name, l));
    const child = spawnChild({
      name: slot.spec.name,
      cmd: slot.spec.cmd,
      args: slot.spec.args,
      cwd: slot.spec.cwd,
      env: slot.spec.env,
      ownProcessGroup: true,
      stopTimeoutMs: slot.spec.stopTimeoutMs ?? 35_000,
      onOutput: (chunk, stream) => (stream === "stdout" ? out : err).push(chunk),
    });
    slot.child = child;
    slot.startedAt = Date.now();
    void child.exited.then((status) => {
      out.flush();
      err.flush();
      if (!child.isStopping() && !stopping) onCrash(slot, child, status);
    });
    return child;
  };

  /** Spawns and waits for readiness; the reason it failed (and the child, if it had to be killed), or undefined. */
  const launch = async (slot: Slot): Promise<{ problem: string; killed?: Child } | undefined> => {
    const child = spawnSlot(slot);
    const ready = await waitUntilReady(slot.spec.readyUrl, child, slot.spec.readyTimeoutMs ?? 30_000);
    if (ready.ok) return undefined;
    if ("exited" in ready) return { problem: `exited (${describeExit(ready.exited)}) before ${slot.spec.readyUrl} answered 200` };
    await child.kill();
    return { problem: `not ready at ${slot.spec.readyUrl} within ${slot.spec.readyTimeoutMs ?? 30_000} ms (last: ${ready.last}); killed`, killed: child };
  };

  const onCrash = (slot: Slot, child: Child, status: ExitStatus) => {
    if (slot.child !== child) return;
    if (status.code !== null && fatalCodes.has(status.code)) {
      opts.log(`${slot.spec.name} exited with ${describeExit(status)} (bad configuration): not restarting`);
      reportFatal(new Error(`${slot.spec.name} exited with ${describeExit(status)} (bad configuration; its message is above)`));
      return;
    }
    if (Date.now() - slot.startedAt >= backoff.resetAfterMs) slot.crashesInRow = 0;
    slot.crashesInRow += 1;
    const delay = Math.min(backoff.maxMs, backoff.initialMs * 2 ** (slot.crashesInRow - 1));
    opts.log(`${slot.spec.name} (pid ${child.pid}) exited with ${describeExit(status)}; restart #${slot.restarts + 1} in ${delay} ms`);
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (stopping) return;
      slot.restarts += 1;
      void launch(slot).then(async (failed) => {
        if (stopping) return;
        if (!failed) return opts.log(`${slot.spec.name} restarted (pid ${slot.child?.pid}) and ready`);
        opts.log(`${slot.spec.name} restart #${slot.restarts} failed: ${failed.problem}`);
        // An exit is handled by the exit watcher; a child killed for staying unready is a crash too.
        if (failed.killed) onCrash(slot, failed.killed, await failed.killed.exited);
      });
    }, delay);
    timers.add(timer);
  };

  const stop = (): Promise<void> => {
    stopping = true;
    stopped ??= (async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const name of stopOrder) {
        const child = slots.get(name)?.child;
        if (!child?.isRunning()) continue;
        opts.log(`stopping ${name} (pid ${child.pid})`);
        const status = await child.stop();
        opts.log(`${name} stopped (${describeExit(status)})`);
      }
    })();
    return stopped;
  };

  return {
    async start() {
      for (const spec of opts.services) {
        if (stopping) throw new ServiceStartError(spec.name, "stopped while starting");
        const slot = slots.get(spec.name)!;
        opts.log(`starting ${spec.name}`);
        const failed = await launch(slot);
        if (failed) {
          await stop();
          throw new ServiceStartError(spec.name, `${spec.name} ${failed.problem}`);
        }
        opts.log(`${spec.name} ready (pid ${slot.child?.pid})`);
      }
    },
    stop,
    fatal,
    state: () => [...slots.values()].map((s) => ({ name: s.spec.name, pid: s.child?.pid ?? -1, restarts: s.restarts, running: s.child?.isRunning() ?? false })),
  };
}
