import { context, propagation, trace } from "@opentelemetry/api";
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { defaultResource, detectResources, hostDetector, processDetector, resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, InMemorySpanExporter, NoopSpanProcessor, SimpleSpanProcessor, type SpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";

export { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace";

export type InitTracingOptions = {
  service: string;
  /** OTLP/HTTP collector base URL (e.g. http://otel-collector:4318) or full /v1/traces URL. Unset = no export. */
  otlpEndpoint?: string | undefined;
  /** Keep finished spans in memory (tests): they are exported synchronously when a span ends. */
  inMemory?: boolean;
};

export type Tracing = {
  /**
   * Waits until every ended span has reached its exporter. Span export is asynchronous even in memory, so tests
   * call this before `exporter.getFinishedSpans()`.
   */
  flush(): Promise<void>;
  /** Flushes pending spans and unregisters the SDK; initTracing may be called again afterwards. */
  shutdown(): Promise<void>;
  /** Present when `inMemory: true`. */
  exporter: InMemorySpanExporter | undefined;
};

export class TracingAlreadyInitializedError extends Error {
  override readonly name = "TracingAlreadyInitializedError";
}

type Active = { key: string; tracing: Tracing };
let active: Active | undefined;

/** Full OTLP/HTTP traces URL from a collector base URL. */
export function otlpTracesUrl(endpoint: string): string {
  const url = new URL(endpoint);
  if (url.pathname === "/" || url.pathname === "") url.pathname = "/v1/traces";
  return url.toString();
}

/**
 * Starts OpenTelemetry tracing for this process (a tracer provider, an AsyncLocalStorage context manager and the
 * propagators, registered globally — the pieces of `@opentelemetry/sdk-node` the services use, without its
 * metrics, logs and gRPC stacks, which cost each process ≈ 14 MB): W3C trace-context + baggage propagation, async-hooks
 * context, spans exported over OTLP/HTTP when `otlpEndpoint` is set, kept in memory when `inMemory`, otherwise
 * recorded (so trace ids propagate and appear in logs) but not exported. No metrics or logs pipelines (metrics
 * are prom-client, logs are pino). Once per process: calling it again with the same options returns the same
 * handle; with different options it throws until `shutdown()`.
 */
export function initTracing(opts: InitTracingOptions & { inMemory: true }): Tracing & { exporter: InMemorySpanExporter };
export function initTracing(opts: InitTracingOptions): Tracing;
export function initTracing(opts: InitTracingOptions): Tracing {
  const key = JSON.stringify([opts.service, opts.otlpEndpoint ?? null, opts.inMemory ?? false]);
  if (active) {
    if (active.key === key) return active.tracing;
    throw new TracingAlreadyInitializedError(`tracing is already initialised in this process with other options (${active.key})`);
  }
  const exporter = opts.inMemory ? new InMemorySpanExporter() : undefined;
  const processors: SpanProcessor[] = [];
  if (exporter) processors.push(new SimpleSpanProcessor({ exporter }));
  if (opts.otlpEndpoint) processors.push(new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: otlpTracesUrl(opts.otlpEndpoint) }) }));
  if (processors.length === 0) processors.push(new NoopSpanProcessor());

  const resource = defaultResource()
    .merge(detectResources({ detectors: [processDetector, hostDetector] }))
    .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: opts.service }));
  const provider = new TracerProvider({ resource, spanProcessors: processors });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  trace.setGlobalTracerProvider(provider);

  let stopping: Promise<void> | undefined;
  const tracing: Tracing = {
    exporter,
    async flush() {
      await Promise.all(processors.map((p) => p.forceFlush()));
    },
    shutdown() {
      stopping ??= provider.shutdown().finally(() => {
        // Unregister the globals so a later initTracing (e.g. another test) can register afresh.
        trace.disable();
        context.disable();
        contextManager.disable();
        propagation.disable();
        if (active?.tracing === tracing) active = undefined;
      });
      return stopping;
    },
  };
  active = { key, tracing };
  return tracing;
}
