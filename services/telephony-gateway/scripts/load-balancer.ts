import { createServer as createHttpServer, request as httpRequest, type Server } from "node:http";
import { connect, type Socket } from "node:net";

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
