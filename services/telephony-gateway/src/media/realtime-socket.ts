import WebSocket from "ws";
import type { GatewayConfig } from "../env.ts";

/** Opens a Realtime GA socket (no OpenAI-Beta header; docs/PROTOCOLS.md §5); rejects on refusal or handshake timeout. */
export function connectRealtime(cfg: GatewayConfig, model: string): Promise<WebSocket> {
  const url = new URL(cfg.OPENAI_REALTIME_URL);
  url.searchParams.set("model", model);
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, {
      headers: { Authorization: `Bearer ${cfg.OPENAI_API_KEY ?? ""}` },
      handshakeTimeout: cfg.REALTIME_CONNECT_TIMEOUT_MS,
      perMessageDeflate: false,
      skipUTF8Validation: true,
    });
    const fail = (err: unknown) => {
      ws.removeAllListeners();
      ws.on("error", () => {});
      ws.terminate();
      reject(err instanceof Error ? err : new Error(String(err)));
    };
    ws.once("open", () => {
      ws.removeListener("error", fail);
      resolve(ws);
    });
    ws.once("error", fail);
    ws.once("unexpected-response", (_req, res) => fail(new Error(`realtime handshake answered HTTP ${res.statusCode}`)));
  });
}
