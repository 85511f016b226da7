import type { Logger } from "@orderline/telemetry";

/** Runs `work` every `intervalMs` (0 = never), one run at a time; a failed run is logged and the next one tries again. */
export function every(intervalMs: number, label: string, work: () => Promise<void>, logger: Logger): { stop(): void } {
  if (intervalMs === 0) return { stop() {} };
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void work()
      .catch((err: unknown) => logger.warn({ reason: err instanceof Error ? err.message : String(err) }, `${label} failed`))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
