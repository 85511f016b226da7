import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

export type { Counter, Gauge, Histogram, Registry } from "prom-client";

/** Latency buckets in seconds, 0.5 ms to 5 s: tool calls take milliseconds, a slow dependency seconds. */
export const LATENCY_BUCKETS_SECONDS: readonly number[] = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];

export type MetricOptions<L extends string> = {
  name: string;
  help: string;
  labelNames?: readonly L[];
};

export type Metrics = {
  readonly service: string;
  /** Holds default process metrics and everything made through the helpers; `service` is a default label. */
  readonly registry: Registry;
  /** Gets or creates a counter on the registry (same name twice returns the same counter). */
  counter<L extends string = never>(opts: MetricOptions<L>): Counter<L>;
  /** Gets or creates a histogram; buckets default to LATENCY_BUCKETS_SECONDS. */
  histogram<L extends string = never>(opts: MetricOptions<L> & { buckets?: readonly number[] }): Histogram<L>;
  /** Gets or creates a gauge. */
  gauge<L extends string = never>(opts: MetricOptions<L>): Gauge<L>;
};

export class MetricConflictError extends Error {
  override readonly name = "MetricConflictError";
}

export class MetricNameError extends Error {
  override readonly name = "MetricNameError";
}

/** Suffixes of units that are not base units (Prometheus wants seconds and bytes). */
const NON_BASE_UNITS = /_(ms|millis|milliseconds|us|microseconds|ns|nanoseconds|minutes|hours|days|kb|mb|gb|kilobytes|megabytes|percent)(_total)?$/;

/**
 * Prometheus naming: snake_case; a counter ends in `_total` and nothing else does; units in their base unit
 * as a suffix (`_seconds`, `_bytes`), never milliseconds or kilobytes. Throws `MetricNameError` saying what is wrong.
 */
export function checkMetricName(kind: "counter" | "histogram" | "gauge", name: string): void {
  const problem = !/^[a-z][a-z0-9_]*[a-z0-9]$/.test(name)
    ? "use lower-case snake_case letters, digits and underscores"
    : kind === "counter" && !name.endsWith("_total")
      ? "a counter's name ends in _total"
      : kind !== "counter" && name.endsWith("_total")
        ? `only counters end in _total (this is a ${kind})`
        : NON_BASE_UNITS.test(name)
          ? "use base units (_seconds, _bytes), not milli-/kilo- units"
          : undefined;
  if (problem) throw new MetricNameError(`metric name ${JSON.stringify(name)}: ${problem}`);
}

/** A prom-client registry for one service: default Node metrics, `service` label on every series, and helpers. */
export function createMetrics(opts: { service: string; defaultMetrics?: boolean }): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: opts.service });
  if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });

  function getOrCreate<M>(name: string, kind: abstract new (...args: never[]) => M, create: () => M): M {
    const existing = registry.getSingleMetric(name);
    if (existing === undefined) {
      checkMetricName(kind === (Counter as unknown) ? "counter" : kind === (Histogram as unknown) ? "histogram" : "gauge", name);
      return create();
    }
    if (existing instanceof kind) return existing;
    throw new MetricConflictError(`metric ${name} is already registered with a different type`);
  }

  return {
    service: opts.service,
    registry,
    counter: <L extends string>(o: MetricOptions<L>) =>
      getOrCreate(o.name, Counter<L>, () => new Counter<L>({ name: o.name, help: o.help, labelNames: o.labelNames ?? [], registers: [registry] })),
    histogram: <L extends string>(o: MetricOptions<L> & { buckets?: readonly number[] }) =>
      getOrCreate(
        o.name,
        Histogram<L>,
        () =>
          new Histogram<L>({
            name: o.name,
            help: o.help,
            labelNames: o.labelNames ?? [],
            buckets: [...(o.buckets ?? LATENCY_BUCKETS_SECONDS)],
            registers: [registry],
          }),
      ),
    gauge: <L extends string>(o: MetricOptions<L>) =>
      getOrCreate(o.name, Gauge<L>, () => new Gauge<L>({ name: o.name, help: o.help, labelNames: o.labelNames ?? [], registers: [registry] })),
  };
}
