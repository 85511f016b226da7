/**
 * Promises that wait for a condition on recorded state: `until(predicate)` re-checks on every `notify()`
 * and rejects with `timeoutError()` after `timeoutMs` of wall time.
 */
export class Waiters {
  private readonly listeners = new Set<() => void>();

  notify(): void {
    for (const l of [...this.listeners]) l();
  }

  until(predicate: () => boolean, timeoutMs: number, timeoutError: () => Error): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (predicate()) {
          cleanup();
          resolve();
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(timeoutError());
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
    });
  }
}
