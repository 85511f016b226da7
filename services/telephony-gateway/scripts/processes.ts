import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer as createHttpServer, request as httpRequest, type Server } from "node:http";
import { connect, createServer as createNetServer, type Socket } from "node:net";
import { join } from "node:path";

const REPO = join(import.meta.dirname, "../../..");

export interface ServiceProcess {
  child: ChildProcess;
  /** Everything the process wrote (stdout + stderr), for failure messages. */
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts `node src/index.ts` of a service folder with `env` and waits (bounded) until `readyUrl` answers 200. */
export async function startService(
  folder: string,
  env: Record<string, string>,
  readyUrl: string,
  timeoutMs = 20_000,
  nodeArgs: string[] = [],
): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [...nodeArgs, "src/index.ts"], {
    cwd: join(REPO, folder),
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => {
    out += d.toString();
  });
  child.stderr!.on("data", (d: Buffer) => {
    out += d.toString();
  });
  const exited = once(child, "exit").then(([code]) => code as number | null);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${folder} exited with ${child.exitCode} before it was ready:\n${out}`);
    try {
      const res = await fetch(readyUrl, { signal: AbortSignal.timeout(1000) });
      if (res.status === 200) break;
    } catch {}
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${folder} not ready within ${timeoutMs} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, output: () => out, exited };
}

export async function stopService(p: ServiceProcess | undefined): Promise<void> {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill("SIGTERM");
  const t = setTimeout(() => p.child.kill("SIGKILL"), 15_000);
  await p.exited;
  clearTimeout(t);
}

/**
 * A load balancer in front of gateway pods, as a Kubernetes Service/Ingress would be: each HTTP request and each
 * WebSocket upgrade goes to the current target (`route()` switches it, e.g. when a pod stops being ready).
 */
export class LoadBalancer {
  private server: Server | undefined;
  private target = 0;
  private readonly sockets = new Set<Socket>();

  async listen(port: number): Promise<void> {
    const server = createHttpServer((req, res) => {
      const up = httpRequest({ host: "127.0.0.1", port: this.target, method: req.method, path: req.url, headers: req.headers }, (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      });
      up.on("error", () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      req.pipe(up);
    });
    server.on("upgrade", (req, client: Socket, head: Buffer) => {
      const upstream = connect(this.target, "127.0.0.1", () => {
        const lines = [`${req.method} ${req.url} HTTP/1.1`];
        for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
        upstream.write(`${lines.join("\r\n")}\r\n\r\n`);
        if (head.length > 0) upstream.write(head);
        client.pipe(upstream);
        upstream.pipe(client);
      });
      this.sockets.add(client);
      this.sockets.add(upstream);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      for (const s of [client, upstream]) {
        s.on("error", drop);
        s.on("close", drop);
      }
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => resolve()));
  }

  route(port: number): void {
    this.target = port;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** A TCP port nothing listens on right now (for a service started next). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
