/**
 * TEST DOUBLE OF THE GATEWAY — deliberately minimal, only here so the kit's scripting can be shown end to
 * end before the real telephony-gateway exists. It is NOT the product: no session store, no NATS, no
 * retries. It answers the voice webhook with <Connect><Stream>, relays mu-law both ways, sends a mark per
 * audio delta, on barge-in truncates at the played position and clears, and answers function calls from
 * a local handler.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocket, WebSocketServer } from "ws";

export type Relay = { url: string; close(): Promise<void> };

export async function startMinimalRelay(opts: { realtimeUrl: string; tools: Record<string, (args: Record<string, unknown>) => unknown> }): Promise<Relay> {
  let base = "";
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { "Content-Type": "text/xml" });
    res.end(`<Response><Connect><Stream url="${base.replace("http", "ws")}/stream"><Parameter name="callToken" value="t1"/></Stream></Connect></Response>`);
  });
  const wss = new WebSocketServer({ server });
  wss.on("connection", (twilio) => {
    const ai = new WebSocket(`${opts.realtimeUrl}?model=gpt-realtime`, { headers: { Authorization: "Bearer sk-test" } });
    const toAi = (ev: object) => ai.readyState === ai.OPEN && ai.send(JSON.stringify(ev));
    let streamSid = "";
    let item = "";
    let sentMs = 0;
    let playedMs = 0;
    const pending: object[] = [];
    ai.on("open", () => {
      const format = { type: "audio/pcmu" };
      const turn_detection = { type: "server_vad", silence_duration_ms: 500, create_response: true, interrupt_response: true };
      toAi({ type: "session.update", session: { type: "realtime", audio: { input: { format, turn_detection }, output: { format, voice: "marin" } } } });
      toAi({ type: "response.create" });
      for (const ev of pending.splice(0)) toAi(ev);
    });
    twilio.on("message", (data) => {
      const msg = JSON.parse(String(data));
      if (msg.event === "start") streamSid = msg.streamSid;
      else if (msg.event === "media") {
        const ev = { type: "input_audio_buffer.append", audio: msg.media.payload };
        if (ai.readyState === ai.OPEN) toAi(ev);
        else pending.push(ev);
      } else if (msg.event === "mark") playedMs = Math.max(playedMs, Number(msg.mark.name.split(":")[1]));
      else if (msg.event === "stop") ai.close();
    });
    ai.on("message", async (data) => {
      const ev = JSON.parse(String(data));
      if (ev.type === "response.output_audio.delta") {
        if (ev.item_id !== item) [item, sentMs, playedMs] = [ev.item_id, 0, 0];
        sentMs += Buffer.from(ev.delta, "base64").length / 8;
        twilio.send(JSON.stringify({ event: "media", streamSid, media: { payload: ev.delta } }));
        twilio.send(JSON.stringify({ event: "mark", streamSid, mark: { name: `${item}:${sentMs}` } }));
      } else if (ev.type === "input_audio_buffer.speech_started" && item && playedMs < sentMs) {
        toAi({ type: "conversation.item.truncate", item_id: item, content_index: 0, audio_end_ms: playedMs });
        twilio.send(JSON.stringify({ event: "clear", streamSid }));
        sentMs = playedMs;
      } else if (ev.type === "response.function_call_arguments.done") {
        if (ev.name === "end_call") return setTimeout(() => twilio.close(), 0);
        const output = JSON.stringify(await opts.tools[ev.name]?.(JSON.parse(ev.arguments)));
        toAi({ type: "conversation.item.create", item: { type: "function_call_output", call_id: ev.call_id, output } });
        toAi({ type: "response.create" });
      }
    });
    twilio.on("close", () => ai.close());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/voice/incoming`,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
