import type { IncomingMessage, ServerResponse } from "node:http";
import type { Registry } from "prom-client";
import type { Metrics } from "./metrics.ts";
import { isShuttingDown } from "./shutdown.ts";

export type OpsHandlerOptions = {
  metrics: Metrics | Registry;
  /** Readiness: dependencies reachable and able to serve. A throw counts as not ready. */
  ready: () => boolean | Promise<boolean>;
  /** A readiness check slower than this counts as not ready (probes must not hang). Default 2000 ms. */
  readyTimeoutMs?: number;
  /** True once the process stops taking new work of its own accord (e.g. a drain): `/readyz` fails at once. */
  draining?: () => boolean;
};

/** Answers one request; resolves false when the path is not one of the ops paths (the caller's 404 or next). */
export type OpsHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/** The paths an ops handler answers. */
export const OPS_PATHS: readonly string[] = ["/healthz", "/readyz", "/metrics"];

/**
 * The one implementation of the ops endpoints, for the ops server and for any service that serves them on its
 * main port too: `GET /healthz` liveness (200 while the process runs, never checks dependencies), `GET /readyz`
 * 200/503 from `ready()` (503 at once when shutdown begins or `draining()` is true), `GET /metrics` Prometheus text.
 */
export function createOpsHandler(opts: OpsHandlerOptions): OpsHandler {
  const registry = "registry" in opts.metrics ? opts.metrics.registry : opts.metrics;
  return async (req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    if (!OPS_PATHS.includes(path)) return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      send(res, 405, "text/plain", "method not allowed\n", { allow: "GET, HEAD" });
      return true;
    }
    switch (path) {
      case "/healthz":
        send(res, 200, "text/plain", "ok\n");
        break;
      case "/readyz": {
        const reason = await notReadyReason(opts);
        send(res, reason ? 503 : 200, "text/plain", reason ? `${reason}\n` : "ready\n");
        break;
      }
      default:
        send(res, 200, registry.contentType, await registry.metrics());
    }
    return true;
  };
}

async function notReadyReason(opts: OpsHandlerOptions): Promise<string | undefined> {
  if (isShuttingDown()) return "shutting down";
  if (opts.draining?.()) return "draining";
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), opts.readyTimeoutMs ?? 2000);
  });
  try {
    return (await Promise.race([Promise.resolve().then(opts.ready), timedOut])) === true ? undefined : "not ready";
  } catch {
    return "not ready";
  } finally {
    clearTimeout(timer);
  }
}

/** Writes a complete response (no body for HEAD). */
export function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store", ...headers });
  res.end(res.req.method === "HEAD" ? undefined : body);
}
