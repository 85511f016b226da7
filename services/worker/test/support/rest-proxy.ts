import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ProxyHooks {
  /** Where requests go (read per request: the target may start after the proxy). */
  target: () => string;
  /** Runs before a request is forwarded (hold it back by not resolving yet). */
  beforeForward?: (method: string, path: string) => Promise<void>;
  /** Runs after the target answered and before the answer goes back to the client. */
  afterResponse?: (method: string, path: string) => Promise<void>;
}

/**
 * A pass-through HTTP proxy with hooks around each request, to open the windows failure tests need: a worker
 * killed after Twilio placed a call but before it heard so (afterResponse on Calls.json), or a status callback
 * that arrives only after a shutdown (beforeForward).
 */
export async function startProxy(hooks: ProxyHooks): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    const method = req.method ?? "GET";
    const path = req.url ?? "/";
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string" && k !== "host" && k !== "content-length") headers[k] = v;
    try {
      await hooks.beforeForward?.(method, path);
      const upstream = await fetch(hooks.target() + path, { method, headers, ...(method === "GET" ? {} : { body: Buffer.concat(chunks) }) });
      const body = Buffer.from(await upstream.arrayBuffer());
      await hooks.afterResponse?.(method, path);
      res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(502).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
