import type { Logger } from "pino";

/** One close step, run in order on shutdown (stop accepting → finish in-flight → close clients). */
export type ShutdownStep = { name: string; run: () => unknown };

const registered: ShutdownStep[] = [];
let shuttingDown = false;

/** True once shutdown has begun: readiness must fail from this moment (the ops server does so by itself). */
export function isShuttingDown(): boolean {
  return shuttingDown;
}

/**
 * Registers a close step run after the steps given to `installSignalHandlers`, in registration order.
 * Returns a function that unregisters it.
 */
export function onShutdown(run: () => unknown, name: string = run.name || `step-${registered.length + 1}`): () => void {
  const step = { name, run };
  registered.push(step);
  return () => {
    const i = registered.indexOf(step);
    if (i >= 0) registered.splice(i, 1);
  };
}

export type ShutdownResult = { ok: boolean; failed: string[]; timedOut: boolean };

export type RunShutdownOptions = {
  logger: Logger;
  steps?: readonly ShutdownStep[];
  /** Budget for all steps together. Default 10 s. */
  timeoutMs?: number;
  reason?: string;
};

/**
 * Marks the process not-ready, then runs `steps` followed by the `onShutdown` registrations, in order, each
 * awaited. A failing step is logged and the next one still runs; when the budget runs out the remaining steps
 * are skipped. Never exits the process (that is `installSignalHandlers`' job).
 */
export async function runShutdown(opts: RunShutdownOptions): Promise<ShutdownResult> {
  shuttingDown = true;
  const { logger } = opts;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const deadline = Date.now() + timeoutMs;
  const steps = [...(opts.steps ?? []), ...registered];
  const failed: string[] = [];
  logger.info({ reason: opts.reason, steps: steps.map((s) => s.name), timeoutMs }, "shutting down");
  for (const step of steps) {
    const remaining = deadline - Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), Math.max(remaining, 0));
    });
    try {
      const outcome = await Promise.race([Promise.resolve().then(step.run), timeout]);
      if (outcome === "timeout") {
        const skipped = steps.slice(steps.indexOf(step) + 1).map((s) => s.name);
        logger.error({ step: step.name, skipped, timeoutMs }, "shutdown timed out");
        return { ok: false, failed: [...failed, step.name], timedOut: true };
      }
      logger.debug({ step: step.name }, "shutdown step done");
    } catch (err) {
      failed.push(step.name);
      logger.error({ err, step: step.name }, "shutdown step failed");
    } finally {
      clearTimeout(timer);
    }
  }
  logger.info({ failed }, failed.length === 0 ? "shutdown complete" : "shutdown finished with errors");
  return { ok: failed.length === 0, failed, timedOut: false };
}

export type InstallSignalHandlersOptions = RunShutdownOptions & {
  signals?: readonly NodeJS.Signals[];
  /** Called with 0 after a clean shutdown, 1 otherwise. Default `process.exit`. */
  exit?: (code: number) => void;
};

export type SignalHandlers = {
  /** Runs the same shutdown a signal would (once; later calls return the same promise), then exits. */
  shutdown(reason: string): Promise<ShutdownResult>;
  /** Removes the signal listeners. */
  uninstall(): void;
};

/**
 * SIGTERM/SIGINT → not-ready, close steps in order within `timeoutMs`, then exit 0 (1 if a step failed or the
 * budget ran out). A second signal while shutting down exits 1 at once.
 */
export function installSignalHandlers(opts: InstallSignalHandlersOptions): SignalHandlers {
  const signals = opts.signals ?? ["SIGTERM", "SIGINT"];
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  let running: Promise<ShutdownResult> | undefined;

  // pino writes asynchronously: flush before exiting so the last lines are neither lost nor reordered.
  const flushThenExit = (code: number) =>
    new Promise<void>((resolve) => {
      try {
        opts.logger.flush(() => resolve());
      } catch {
        resolve();
      }
    }).then(() => exit(code));

  const shutdown = (reason: string): Promise<ShutdownResult> => {
    running ??= runShutdown({ ...opts, reason }).then(
      async (result) => {
        await flushThenExit(result.ok ? 0 : 1);
        return result;
      },
      async (err: unknown) => {
        opts.logger.fatal({ err }, "shutdown crashed");
        await flushThenExit(1);
        return { ok: false, failed: [], timedOut: false };
      },
    );
    return running;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (running) {
      opts.logger.warn({ signal }, "second signal during shutdown: exiting now");
      void flushThenExit(1);
      return;
    }
    void shutdown(signal);
  };
  for (const s of signals) process.on(s, onSignal);
  return {
    shutdown,
    uninstall: () => {
      for (const s of signals) process.off(s, onSignal);
    },
  };
}
