import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";
import type { Metrics } from "./metrics.ts";
import { isShuttingDown } from "./shutdown.ts";

export type OpsServerOptions = {
  /** 0 = ephemeral port (see the returned `port`). */
  port: number;
  /** Defaults to 0.0.0.0 so probes and Prometheus can reach it. */
  host?: string;
  metrics: Metrics | Registry;
  /** Readiness: dependencies reachable and able to serve. A throw counts as not ready. */
  ready: () => boolean | Promise<boolean>;
  /** A readiness check slower than this counts as not ready (probes must not hang). Default 2000 ms. */
  readyTimeoutMs?: number;
};

export type OpsServer = { port: number; close(): Promise<void> };

/**
 * Ops HTTP server: `GET /healthz` liveness (200 while the process runs, never checks dependencies),
 * `GET /readyz` 200/503 from `ready()` (503 as soon as shutdown begins), `GET /metrics` Prometheus text.
 */
export async function startOpsServer(opts: OpsServerOptions): Promise<OpsServer> {
  const registry = "registry" in opts.metrics ? opts.metrics.registry : opts.metrics;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") {
      send(res, 405, "text/plain", "method not allowed\n", { allow: "GET, HEAD" });
      return;
    }
    switch (path) {
      case "/healthz":
        send(res, 200, "text/plain", "ok\n");
        return;
      case "/readyz": {
        let ready = false;
        if (!isShuttingDown()) {
          let timer: NodeJS.Timeout | undefined;
          const timedOut = new Promise<false>((resolve) => {
            timer = setTimeout(() => resolve(false), opts.readyTimeoutMs ?? 2000);
          });
          try {
            ready = (await Promise.race([Promise.resolve().then(opts.ready), timedOut])) === true;
          } catch {
            ready = false;
          } finally {
            clearTimeout(timer);
          }
        }
        send(res, ready ? 200 : 503, "text/plain", ready ? "ready\n" : isShuttingDown() ? "shutting down\n" : "not ready\n");
        return;
      }
      case "/metrics":
        send(res, 200, registry.contentType, await registry.metrics());
        return;
      default:
        send(res, 404, "text/plain", "not found\n");
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, "text/plain", "internal error\n");
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host ?? "0.0.0.0", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    port,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store", ...headers });
  res.end(res.req.method === "HEAD" ? undefined : body);
}
