export { W3CTraceContextPropagator } from "@opentelemetry/core";
export { type HttpSpanOptions, httpServerSpans } from "./http-spans.ts";
export { createLogger, type CreateLoggerOptions, type Logger, type LogLevel, REDACT_PATHS } from "./logger.ts";
export {
  type Counter,
  checkMetricName,
  createMetrics,
  type Gauge,
  type Histogram,
  LATENCY_BUCKETS_SECONDS,
  MetricConflictError,
  MetricNameError,
  type MetricOptions,
  type Metrics,
  type Registry,
} from "./metrics.ts";
export { createOpsHandler, OPS_PATHS, type OpsHandler, type OpsHandlerOptions } from "./ops-handler.ts";
export { type OpsServer, type OpsServerOptions, startOpsServer } from "./ops-server.ts";
export {
  type InstallSignalHandlersOptions,
  installSignalHandlers,
  isShuttingDown,
  onShutdown,
  type RunShutdownOptions,
  runShutdown,
  type ShutdownResult,
  type ShutdownStep,
  type SignalHandlers,
} from "./shutdown.ts";
export {
  InMemorySpanExporter,
  type InitTracingOptions,
  initTracing,
  otlpTracesUrl,
  type ReadableSpan,
  type Tracing,
  TracingAlreadyInitializedError,
} from "./tracing.ts";
export { activeWithin, contextFromTraceparent, failSpan, traceCarrier, traceparentOf } from "./trace-context.ts";
