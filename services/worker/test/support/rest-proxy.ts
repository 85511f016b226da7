import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A pass-through HTTP proxy in front of the Twilio REST emulator that runs a hook after Twilio has answered a
 * create-call request and before the answer reaches the client: the window in which a worker that dies has
 * placed a call without knowing it.
 */
export async function startRestProxy(opts: { target: () => string; afterCreateCall: () => Promise<void> }): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string" && k !== "host" && k !== "content-length") headers[k] = v;
    const upstream = await fetch(opts.target() + (req.url ?? "/"), { method: req.method ?? "GET", headers, ...(req.method === "GET" ? {} : { body: Buffer.concat(chunks) }) });
    const body = Buffer.from(await upstream.arrayBuffer());
    if (req.method === "POST" && /\/Calls\.json$/.test(req.url ?? "")) await opts.afterCreateCall();
    res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "application/json" });
    res.end(body);
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
