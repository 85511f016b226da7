import { loadConfigOrExit } from "@orderline/config";
import { createLogger, initTracing, installSignalHandlers } from "@orderline/telemetry";
import { gatewayEnvSchema } from "./env.ts";
import { startGateway } from "./service.ts";

const config = loadConfigOrExit(gatewayEnvSchema);
const tracing = initTracing({ service: config.SERVICE_NAME, otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
const logger = createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });

const gateway = await startGateway(config, { logger });

// The Helm chart's preStop hook sends SIGUSR2: /readyz fails and live calls start draining before SIGTERM comes.
process.on("SIGUSR2", () => void gateway.drain());

installSignalHandlers({
  logger,
  // Grace for live calls, then time to tell and transfer the rest, then closing clients.
  timeoutMs: config.SHUTDOWN_GRACE_MS + 30_000,
  steps: [
    { name: "drain calls", run: () => gateway.drain() },
    { name: "close gateway", run: () => gateway.close() },
    { name: "flush traces", run: () => tracing.shutdown() },
  ],
});
