import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { waitFor } from "@orderline/testing/wait-for";
import WebSocket, { WebSocketServer } from "ws";
import { parseGatewayEnv } from "../env.ts";
import { RealtimeAudio } from "./realtime-audio.ts";

// Caller audio up, over a real WebSocket: what reaches the model side, append by append.
const config = parseGatewayEnv({ PUBLIC_BASE_URL: "https://voice.example.com", TWILIO_ACCOUNT_SID: "AC123", TWILIO_AUTH_TOKEN: "t", OPENAI_API_KEY: "k" });
let wss: WebSocketServer;
let server: WebSocket;
let client: WebSocket;
const appends: Buffer[] = [];

before(async () => {
  wss = new WebSocketServer({ port: 0, host: "127.0.0.1", perMessageDeflate: false });
  await new Promise((r) => wss.once("listening", r));
  const accepted = new Promise<WebSocket>((r) => wss.once("connection", r));
  client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, { perMessageDeflate: false });
  server = await accepted;
  server.on("message", (data: Buffer, isBinary: boolean) => {
    if (isBinary) return; // the filler that backs the socket up
    const msg = JSON.parse(data.toString()) as { type: string; audio?: string };
    if (msg.type === "input_audio_buffer.append") appends.push(Buffer.from(msg.audio!, "base64"));
  });
  await new Promise((r) => (client.readyState === WebSocket.OPEN ? r(null) : client.once("open", r)));
});

after(async () => {
  client.terminate();
  await new Promise((r) => wss.close(r));
});

/** A Twilio media message's raw bytes and where its base64 payload sits, as the transport hands it over. */
function twilioFrame(fill: number): { raw: Buffer; start: number; end: number } {
  const payload = Buffer.alloc(160, fill).toString("base64");
  const raw = Buffer.from(`{"event":"media","media":{"payload":"${payload}"},"streamSid":"MZ1"}`);
  const start = raw.indexOf(payload);
  return { raw, start, end: start + payload.length };
}

function audio(): RealtimeAudio {
  appends.length = 0;
  return new RealtimeAudio(config, { framesIn: 0, framesOut: 0, appendsOut: 0 }, () => client);
}

test("a caller frame goes up on its own as soon as it is handled: no hold waiting for more audio", async () => {
  const up = audio();
  const f = twilioFrame(1);
  up.append(f.raw, f.start, f.end);
  await waitFor(() => appends.length === 1, { timeoutMs: 5000, message: "the frame's append" });
  assert.deepEqual(appends[0], Buffer.alloc(160, 1));
});

test("frames handled in one go (several in one read) are joined into one append, in order", async () => {
  const up = audio();
  for (const fill of [1, 2, 3]) {
    const f = twilioFrame(fill);
    up.append(f.raw, f.start, f.end);
  }
  await waitFor(() => appends.length === 1, { timeoutMs: 5000, message: "one append" });
  assert.deepEqual(appends[0], Buffer.concat([Buffer.alloc(160, 1), Buffer.alloc(160, 2), Buffer.alloc(160, 3)]));
});

test("while the socket is backed up, frames wait and go up together once it drains; nothing is lost", async () => {
  const up = audio();
  server.pause(); // the model side stops reading: the client's writes back up
  client.send(Buffer.alloc(8 << 20, 0x20), { binary: true });
  await waitFor(() => client.bufferedAmount > 0, { timeoutMs: 5000, message: "a backed-up socket" });
  for (const fill of [4, 5, 6]) {
    const f = twilioFrame(fill);
    up.append(f.raw, f.start, f.end);
    await new Promise((r) => setImmediate(r)); // separate reads: alone, each would go up by itself
  }
  assert.equal(appends.length, 0);
  server.resume();
  await waitFor(() => appends.length >= 1, { timeoutMs: 10_000, message: "the held frames" });
  const next = twilioFrame(7); // drained: the next frame goes alone again, after the batch
  up.append(next.raw, next.start, next.end);
  await waitFor(() => appends.length >= 2, { timeoutMs: 5000, message: "the frame after the drain" });
  assert.deepEqual(appends, [Buffer.concat([Buffer.alloc(160, 4), Buffer.alloc(160, 5), Buffer.alloc(160, 6)]), Buffer.alloc(160, 7)]);
});
