/**
 * TEST DOUBLE OF THE GATEWAY'S WEBHOOK AND CONVERSATIONRELAY SIDE — deliberately minimal, only here to
 * exercise the simulator: answers TwiML per path, checks webhook and upgrade signatures with the real
 * twilio package, refuses a replayed single-use relay token, and hands every relay message to the test's
 * `onMessage`. Not the product.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import twilio from "twilio";
import { type WebSocket, WebSocketServer } from "ws";
import { decodeForm, startTwilioCloud, type TwilioCloud } from "../../src/index.ts";

export type RelaySocket = { ws: WebSocket; messages: Record<string, unknown>[]; send(msg: Record<string, unknown>): void };

export type TwimlApp = {
  base: string;
  /** Form posts received, with whether their signature was valid. */
  hits: { path: string; params: Record<string, string | string[]>; signatureValid: boolean }[];
  upgrades: { signatureValid: boolean }[];
  /** TwiML per path. */
  routes: Record<string, () => string>;
  onMessage: (socket: RelaySocket, msg: Record<string, unknown>) => void;
  close(): Promise<void>;
};

export async function startTwimlApp(authToken: () => string): Promise<TwimlApp> {
  const usedTokens = new Set<string>();
  const wss = new WebSocketServer({ noServer: true });
  const app: TwimlApp = { base: "", hits: [], upgrades: [], routes: {}, onMessage: () => {}, close: async () => {} };
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const params = decodeForm(Buffer.concat(chunks).toString("utf8"));
    const path = (req.url ?? "").split("?")[0]!;
    const signatureValid = twilio.validateRequest(authToken(), String(req.headers["x-twilio-signature"]), `${app.base}${req.url}`, params);
    app.hits.push({ path, params, signatureValid });
    const route = app.routes[path];
    res.writeHead(route && signatureValid ? 200 : 403, { "Content-Type": "text/xml" });
    res.end(route && signatureValid ? route() : "refused");
  });
  server.on("upgrade", (req, socket, head) => {
    const wsUrl = `${app.base.replace("http", "ws")}${req.url}`;
    const signatureValid = twilio.validateRequest(authToken(), String(req.headers["x-twilio-signature"] ?? ""), wsUrl, {});
    app.upgrades.push({ signatureValid });
    if (!signatureValid) {
      socket.end("HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const s: RelaySocket = { ws, messages: [], send: (m) => ws.send(JSON.stringify(m)) };
      let setUp = false;
      ws.on("message", (d) => {
        const msg = JSON.parse(d.toString()) as Record<string, unknown>;
        s.messages.push(msg);
        if (msg["type"] === "setup") {
          const token = (msg["customParameters"] as Record<string, string>)["token"] ?? "";
          if (usedTokens.has(token)) return ws.close(4001, "token already used");
          usedTokens.add(token);
          setUp = true;
        } else if (!setUp) return ws.close(4002, `${String(msg["type"])} before setup`);
        app.onMessage(s, msg);
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  app.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  app.close = async () => {
    for (const c of wss.clients) c.terminate();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  };
  return app;
}

/** Streams `text` word by word as `text` tokens, one per `gapMs`, the last with `last:true`. */
export async function streamTokens(s: RelaySocket, text: string, gapMs = 0, extra: Record<string, unknown> = {}): Promise<void> {
  const words = text.split(/(?<=\s)/);
  for (const [i, token] of words.entries()) {
    if (s.ws.readyState !== s.ws.OPEN) return;
    s.send({ type: "text", token, last: i === words.length - 1, ...extra });
    if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
  }
}

/** A simulator (fast media clock) and a TwimlApp that checks its signatures, with one close(). */
export async function startCloudWithApp(): Promise<{ cloud: TwilioCloud; app: TwimlApp; close(): Promise<void> }> {
  const cloud = await startTwilioCloud({ timeScale: 0.05 });
  const app = await startTwimlApp(() => cloud.authToken);
  return {
    cloud,
    app,
    close: async () => {
      await cloud.close();
      await app.close();
    },
  };
}
