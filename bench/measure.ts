/** What the benches measure with: latency samples, a process's CPU and RSS, and a wait for a quiet machine. */
import { readFileSync } from "node:fs";

const CLK_TCK = 100;

export class Samples {
  values: number[] = [];
  add(v: number) {
    this.values.push(v);
  }
  /** The p-th percentile (nearest rank, p = 100 is the maximum); NaN with no samples. */
  pct(p: number): number {
    if (this.values.length === 0) return Number.NaN;
    const s = Float64Array.from(this.values).sort();
    return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
  }
}

/** CPU time (user + system) a process has used so far, and its resident set, from /proc. */
export function procStat(pid: number): { cpuMs: number; rssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const cpuMs = ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { cpuMs, rssMb: rssKb / 1024 };
}

/** The 1-minute load average. */
export function loadAverage(): number {
  return Number(readFileSync("/proc/loadavg", "utf8").split(" ")[0]);
}

/**
 * With BENCH_MAX_LOAD set (e.g. 1.5), waits until the 1-minute load average is below it, polling every
 * BENCH_LOAD_POLL_S (30) seconds for at most BENCH_LOAD_WAIT_S (900); then measures anyway. Returns the load
 * average measured at and whether the wait gave up, so a report can say so.
 */
export async function awaitQuietMachine(log: (line: string) => void): Promise<{ load: number; gaveUp: boolean }> {
  const max = Number(process.env.BENCH_MAX_LOAD ?? Number.NaN);
  if (!(max > 0)) return { load: loadAverage(), gaveUp: false };
  const pollMs = Number(process.env.BENCH_LOAD_POLL_S ?? 30) * 1000;
  const deadline = Date.now() + Number(process.env.BENCH_LOAD_WAIT_S ?? 900) * 1000;
  for (;;) {
    const load = loadAverage();
    if (load < max) return { load, gaveUp: false };
    if (Date.now() >= deadline) {
      log(`load average still ${load} ≥ ${max} after waiting: measuring anyway`);
      return { load, gaveUp: true };
    }
    log(`load average ${load} ≥ ${max}: waiting ${pollMs / 1000} s`);
    await new Promise((r) => setTimeout(r, Math.min(pollMs, Math.max(0, deadline - Date.now()))));
  }
}
