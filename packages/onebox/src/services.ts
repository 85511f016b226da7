import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { ServiceSpec } from "@orderline/supervisor";
import type { OneboxEnv } from "./env.ts";

/** The repository root (this file is packages/onebox/src/services.ts). */
export const REPO_ROOT = resolve(import.meta.dirname, "../../..");

export type ServiceName = "menu-service" | "order-service" | "escalation-service" | "worker" | "dashboard" | "telephony-gateway";

/**
 * Start order: the tool services the gateway calls over NATS, then the worker (it consumes the gateway's jobs)
 * and the dashboard, the gateway last — Twilio's calls reach it only once everything behind it is ready.
 */
const START_ORDER: ServiceName[] = ["menu-service", "order-service", "escalation-service", "worker", "dashboard", "telephony-gateway"];

/** Stop order: the gateway first (it drains live calls), then the worker, the dashboard, the tool services. */
export const STOP_ORDER: ServiceName[] = ["telephony-gateway", "worker", "dashboard", "escalation-service", "order-service", "menu-service"];

/** The gateway's V8 flags, as in services/telephony-gateway's `start` script (node refuses them in NODE_OPTIONS). */
const GATEWAY_V8_FLAGS = ["--max-semi-space-size=2", "--heap-growing-percent=20"];
/** And its allocator setting: two glibc malloc arenas instead of up to 8 per core, each keeping freed memory. */
const GATEWAY_MALLOC = { MALLOC_ARENA_MAX: "2" };

/** The dashboard is started when its package exists in this checkout. */
export const hasDashboard = (root = REPO_ROOT): boolean => existsSync(join(root, "services", "dashboard", "package.json"));

/**
 * Every service's process: `node src/index.ts` in its directory, with the whole merged environment (`vars`:
 * .env under the process environment) plus what the one box decides — ports, the public URL of each, the
 * worker's prices — and its readiness URL on its own ops port.
 */
export function serviceSpecs(env: OneboxEnv, vars: Record<string, string>, opts: { root?: string; dashboard?: boolean } = {}): ServiceSpec[] {
  const root = opts.root ?? REPO_ROOT;
  const dashboard = opts.dashboard ?? hasDashboard(root);
  const shared: Record<string, string> = {
    ...vars,
    DATABASE_URL: env.DATABASE_URL,
    REDIS_URL: env.REDIS_URL,
    NATS_URL: env.NATS_URL,
    REDIS_KEY_PREFIX: env.REDIS_KEY_PREFIX,
    NATS_SUBJECT_PREFIX: env.NATS_SUBJECT_PREFIX,
    LOG_LEVEL: env.LOG_LEVEL,
  };
  const own: Record<ServiceName, Record<string, string>> = {
    "menu-service": {},
    "order-service": {},
    "escalation-service": {},
    worker: {
      PORT: String(env.WORKER_PORT),
      PUBLIC_BASE_URL: env.WORKER_PUBLIC_BASE_URL ?? env.PUBLIC_BASE_URL,
      // Order-confirmation calls: a person who answers is redirected to the gateway's conversation.
      CONVERSATION_BASE_URL: env.PUBLIC_BASE_URL,
      MODEL_PRICES: env.MODEL_PRICES,
      TWILIO_INBOUND_PRICE_PER_MIN: env.TWILIO_INBOUND_PRICE_PER_MIN,
      TWILIO_OUTBOUND_PRICE_PER_MIN: env.TWILIO_OUTBOUND_PRICE_PER_MIN,
    },
    dashboard: { PORT: String(env.DASHBOARD_PORT) },
    "telephony-gateway": { ...GATEWAY_MALLOC, PORT: String(env.GATEWAY_PORT), PUBLIC_BASE_URL: env.PUBLIC_BASE_URL, SHUTDOWN_GRACE_MS: String(env.SHUTDOWN_GRACE_MS) },
  };
  return START_ORDER.filter((name) => name !== "dashboard" || dashboard).map((name) => {
    const opsPort = env.OPS_PORT_BASE + START_ORDER.indexOf(name);
    return {
      name,
      // The gateway runs with its package start script's V8 settings (many small per-frame allocations).
      args: name === "telephony-gateway" ? [...GATEWAY_V8_FLAGS, "src/index.ts"] : ["src/index.ts"],
      cwd: join(root, "services", name),
      env: { ...shared, ...own[name], OPS_PORT: String(opsPort) },
      readyUrl: `http://127.0.0.1:${opsPort}/readyz`,
      readyTimeoutMs: 60_000,
      // The gateway drains its calls for SHUTDOWN_GRACE_MS; the others need seconds.
      stopTimeoutMs: name === "telephony-gateway" ? env.SHUTDOWN_GRACE_MS + 5000 : 15_000,
    };
  });
}

/** Each service's ops URL, for the start banner. */
export const opsUrlOf = (spec: ServiceSpec): string => spec.readyUrl.replace(/\/readyz$/, "");
