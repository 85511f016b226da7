import { setTimeout as sleep } from "node:timers/promises";

export interface WaitForOptions {
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
  /** What was awaited, for the error: "the open-order count to change". */
  message: string;
  /** Pause between checks (default 10 ms). */
  intervalMs?: number;
}

/**
 * Polls `cond` until it returns a truthy value and returns that value; after `timeoutMs` throws an Error saying
 * what was awaited, for how long, and the last value or error seen. The bounded wait every test uses instead
 * of a bare `while (…) await sleep(…)`.
 */
/** What a truthy check leaves of T. */
export type Truthy<T> = Exclude<T, false | 0 | 0n | "" | null | undefined>;

export async function waitFor<T>(cond: () => T | Promise<T>, opts: WaitForOptions): Promise<Truthy<T>> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const intervalMs = opts.intervalMs ?? 10;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await cond();
      if (value) return value as Truthy<T>;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() >= deadline) {
      const seen = last instanceof Error ? `last error: ${last.message}` : `last value: ${String(last)}`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${opts.message} (${seen})`, last instanceof Error ? { cause: last } : undefined);
    }
    await sleep(intervalMs);
  }
}
