import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** Listens on 127.0.0.1 (port 0 = any free port) and resolves with `http://127.0.0.1:PORT`. */
export async function listenOnLoopback(server: Server, port = 0): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Drops every open connection and closes the server. */
export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
}

/** The lifecycle every HTTP emulator has: one server on a loopback port, its `url` once started, close. */
export class LoopbackHttpServer {
  private readonly name: string;
  private readonly handler: RequestListener;
  private server: Server | undefined;
  private base = "";

  /** `name` says what is not started ("SheetsEmulator is not started: `await startSheetsEmulator()`"). */
  constructor(name: string, handler: RequestListener) {
    this.name = name;
    this.handler = handler;
  }

  get url(): string {
    if (!this.base) throw new Error(`${this.name} is not started`);
    return this.base;
  }

  /** Listens (once) on 127.0.0.1:`port` (default any free port). */
  async start(port?: number): Promise<void> {
    if (this.server) return;
    this.server = createServer(this.handler);
    this.base = await listenOnLoopback(this.server, port);
  }

  /** Drops every open connection and closes the server; safe to call twice. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await closeServer(server);
  }
}
