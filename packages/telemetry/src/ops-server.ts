import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createOpsHandler, type OpsHandlerOptions, send } from "./ops-handler.ts";

export type OpsServerOptions = OpsHandlerOptions & {
  /** 0 = ephemeral port (see the returned `port`). */
  port: number;
  /** Defaults to 0.0.0.0 so probes and Prometheus can reach it. */
  host?: string;
};

export type OpsServer = { port: number; close(): Promise<void> };

/** Ops HTTP server: the ops handler's `/healthz`, `/readyz` and `/metrics` (see `createOpsHandler`), 404 elsewhere. */
export async function startOpsServer(opts: OpsServerOptions): Promise<OpsServer> {
  const handle = createOpsHandler(opts);
  const server = createServer((req, res) => {
    handle(req, res)
      .then((handled) => {
        if (!handled) send(res, 404, "text/plain", "not found\n");
      })
      .catch(() => {
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
