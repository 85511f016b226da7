import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import twilio from "twilio";
import { type WebSocket, WebSocketServer } from "ws";
import {
  callerHangsUp,
  callerPauses,
  callerPresses,
  callerSays,
  callerWaitsUntil,
  decodeForm,
  silenceMuLaw,
  speechMuLaw,
  startTwilioCloud,
  type TwilioCloud,
  TwilioStreamMessage,
} from "../src/index.ts";

/**
 * A scripted stand-in for "our server" that records what Twilio (the simulator) sent it and validates
 * every signature with the real twilio package. Each test installs its own routes.
 */
type Hit = { path: string; params: Record<string, string | string[]>; signatureValid: boolean };
type StreamHandler = (ws: WebSocket, req: IncomingMessage, messages: unknown[]) => void;

let server: Server;
let wss: WebSocketServer;
let base = "";
/** The URL our server believes it is reachable at (signatures are checked against it). */
let publicBase = "";
let cloud: TwilioCloud;
const hits: Hit[] = [];
let routes: Record<string, (params: Record<string, string | string[]>) => string> = {};
let onStream: StreamHandler = () => {};
const upgrades: { url: string; signatureValid: boolean }[] = [];

before(async () => {
  cloud = await startTwilioCloud({ timeScale: 0.05 });
  wss = new WebSocketServer({ noServer: true });
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const params = decodeForm(Buffer.concat(chunks).toString("utf8"));
    const url = `${publicBase || base}${req.url}`;
    const signatureValid = twilio.validateRequest(token(), String(req.headers["x-twilio-signature"]), url, params);
    const path = (req.url ?? "").split("?")[0]!;
    hits.push({ path, params, signatureValid });
    const route = routes[path];
    res.writeHead(route ? 200 : 404, { "Content-Type": "text/xml" });
    res.end(route ? route(params) : "not found");
  });
  server.on("upgrade", (req, socket, head) => {
    const wsUrl = `${(publicBase || base).replace("http", "ws")}${req.url}`;
    upgrades.push({ url: wsUrl, signatureValid: twilio.validateRequest(token(), String(req.headers["x-twilio-signature"]), wsUrl, {}) });
    wss.handleUpgrade(req, socket, head, (ws) => {
      const messages: unknown[] = [];
      ws.on("message", (d) => messages.push(JSON.parse(d.toString())));
      onStream(ws, req, messages);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await cloud.close();
  wss.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

let tokenOverride = "";
const token = () => tokenOverride || cloud.authToken;
const twiml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?><Response>${body}</Response>`;

test("inbound call: signed webhook, Say/Pause/Gather followed, Connect/Stream with signed upgrade and valid stream messages", async () => {
  hits.length = 0;
  upgrades.length = 0;
  const wsUrl = `${base.replace("http", "ws")}/voice/stream`;
  routes = {
    "/voice/incoming": () => twiml(`<Say voice="Polly.Joanna">Hello!</Say><Pause length="1"/><Gather input="speech" action="${base}/voice/gathered"><Say>What would you like?</Say></Gather>`),
    "/voice/gathered": () =>
      twiml(`<Connect action="${base}/voice/after"><Stream url="${wsUrl}" statusCallback="${base}/voice/stream-status"><Parameter name="callToken" value="tok-1"/></Stream></Connect>`),
    "/voice/after": () => twiml("<Hangup/>"),
    "/voice/stream-status": () => "",
    "/voice/status": () => "",
  };
  let streamSid = "";
  let messages: unknown[] = [];
  onStream = (ws, _req, m) => {
    messages = m;
    ws.on("message", (d) => {
      const msg = JSON.parse(d.toString());
      if (msg.event === "start") {
        streamSid = msg.streamSid;
        // 200 ms of audio, a mark after it, another 200 ms and a second mark
        ws.send(JSON.stringify({ event: "media", streamSid, media: { payload: speechMuLaw(200).toString("base64") } }));
        ws.send(JSON.stringify({ event: "mark", streamSid, mark: { name: "m1" } }));
        ws.send(JSON.stringify({ event: "media", streamSid, media: { payload: speechMuLaw(200).toString("base64") } }));
        ws.send(JSON.stringify({ event: "mark", streamSid, mark: { name: "m2" } }));
      }
    });
  };
  const call = cloud.placeCall({
    url: `${base}/voice/incoming`,
    from: "+14155550100",
    to: "+14155550199",
    statusCallback: `${base}/voice/status`,
    gatherAnswers: [{ speech: "a large pepperoni", confidence: 0.92 }],
    caller: [callerWaitsUntil("both marks echoed", () => call.marksEchoed.length === 2), callerSays(300), callerPresses("5"), callerPauses(100), callerHangsUp()],
  });
  await call.done;
  call.assertNoErrors();

  const incoming = hits.find((h) => h.path === "/voice/incoming")!;
  assert.ok(incoming.signatureValid, "voice webhook signature validates with twilio.validateRequest");
  for (const k of ["AccountSid", "ApiVersion", "CallSid", "CallStatus", "Called", "Caller", "Direction", "From", "To"]) assert.ok(k in incoming.params, `webhook carries ${k}`);
  assert.equal(incoming.params["CallStatus"], "ringing");
  assert.equal(incoming.params["Direction"], "inbound");
  const gathered = hits.find((h) => h.path === "/voice/gathered")!;
  assert.equal(gathered.params["SpeechResult"], "a large pepperoni");
  assert.equal(gathered.params["Confidence"], "0.92");
  assert.ok(hits.every((h) => h.signatureValid), "every request Twilio made is correctly signed");
  assert.deepEqual(
    call.said.map((s) => s.text),
    ["Hello!", "What would you like?"],
  );

  assert.equal(upgrades.length, 1);
  assert.ok(upgrades[0]!.signatureValid, "the stream upgrade is signed over the TwiML URL with {} params");
  for (const m of messages) TwilioStreamMessage.parse(m);
  const events = messages.map((m) => (m as { event: string }).event);
  assert.equal(events[0], "connected");
  assert.equal(events[1], "start");
  assert.equal(events.at(-1), "stop");
  assert.ok(events.includes("dtmf"));
  const start = messages[1] as { start: { customParameters: Record<string, string>; callSid: string } };
  assert.deepEqual(start.start.customParameters, { callToken: "tok-1" });
  assert.equal(start.start.callSid, call.sid);
  const media = messages.filter((m) => (m as { event: string }).event === "media") as { media: { chunk: string; timestamp: string; payload: string } }[];
  assert.equal(media[0]!.media.chunk, "1");
  assert.ok(media.every((m, i) => Number(m.media.chunk) === i + 1 && Number(m.media.timestamp) === i * 20 && Buffer.from(m.media.payload, "base64").length === 160));
  const seqs = messages.filter((m) => "sequenceNumber" in (m as object)).map((m) => Number((m as { sequenceNumber: string }).sequenceNumber));
  assert.deepEqual(seqs, seqs.map((_, i) => i + 1), "sequenceNumber counts up from 1 over every message");

  // marks echoed in order after their audio played; the caller heard 400 ms in one turn
  assert.deepEqual(call.marksEchoed, ["m1", "m2"]);
  assert.equal(call.heard.length, 1);
  assert.equal(call.heard[0]!.playedMs, 400);
  assert.equal(call.streams[0]!.outcome, "caller-hung-up");
  assert.ok(call.streams[0]!.stopSent);
  // after the caller hangs up, Connect action is NOT requested; stream + status callbacks posted
  assert.ok(!hits.some((h) => h.path === "/voice/after"));
  const streamEvents = hits.filter((h) => h.path === "/voice/stream-status").map((h) => h.params["StreamEvent"]);
  assert.deepEqual(streamEvents, ["stream-started", "stream-stopped"]);
  const status = hits.filter((h) => h.path === "/voice/status");
  assert.equal(status.length, 1);
  assert.equal(status[0]!.params["CallStatus"], "completed");
  assert.equal(call.status, "completed");
});

test("clear flushes playback and echoes every pending mark at once; a mark with nothing buffered echoes immediately", async () => {
  routes = { "/voice/incoming": () => twiml(`<Connect><Stream url="${base.replace("http", "ws")}/voice/stream"/></Connect>`) };
  onStream = (ws) => {
    ws.on("message", (d) => {
      const msg = JSON.parse(d.toString());
      if (msg.event === "start") {
        const s = msg.streamSid;
        ws.send(JSON.stringify({ event: "mark", streamSid: s, mark: { name: "empty" } }));
        ws.send(JSON.stringify({ event: "media", streamSid: s, media: { payload: speechMuLaw(2000).toString("base64") } }));
        ws.send(JSON.stringify({ event: "mark", streamSid: s, mark: { name: "a" } }));
        ws.send(JSON.stringify({ event: "media", streamSid: s, media: { payload: speechMuLaw(500).toString("base64") } }));
        ws.send(JSON.stringify({ event: "mark", streamSid: s, mark: { name: "b" } }));
      }
      // clear after 100 ms of media time (5 inbound frames): mid-way through the 2 s of audio
      if (msg.event === "media" && msg.media.chunk === "5") ws.send(JSON.stringify({ event: "clear", streamSid: msg.streamSid }));
      if (msg.event === "mark" && msg.mark.name === "b") ws.close(1000);
    });
  };
  const call = cloud.placeCall({ url: `${base}/voice/incoming`, from: "+14155550100", to: "+14155550199" });
  await call.done;
  call.assertNoErrors();
  assert.deepEqual(call.marksEchoed, ["empty", "a", "b"]);
  assert.equal(call.clears.length, 1);
  assert.deepEqual(call.clears[0]!.marksFlushed, ["a", "b"]);
  assert.ok(call.heard[0]!.cleared);
  assert.ok(call.heard[0]!.playedMs < 2000, "the clear cut the 2 s of audio short");
  assert.equal(call.streams[0]!.outcome, "closed-by-server");
});

test("server closing the stream runs <Connect action>; Dial records number/callerId, plays the whisper and posts DialCallStatus", async () => {
  hits.length = 0;
  routes = {
    "/voice/incoming": () => twiml(`<Connect action="/voice/after"><Stream url="${base.replace("http", "ws")}/voice/stream"/></Connect>`),
    "/voice/after": () =>
      twiml(
        `<Say>Transferring you now.</Say><Dial callerId="+14155550199" timeout="20" action="${base}/voice/dial-done" answerOnBridge="true"><Number url="${base}/voice/whisper" statusCallbackEvent="initiated ringing answered completed" statusCallback="${base}/voice/dial-status">+14155550142</Number></Dial>`,
      ),
    "/voice/whisper": () => twiml("<Say>Caller wants a catering order.</Say>"),
    "/voice/dial-done": (p) => twiml(p["DialCallStatus"] === "no-answer" ? "<Say>Nobody answered.</Say><Hangup/>" : "<Hangup/>"),
    "/voice/dial-status": () => "",
  };
  onStream = (ws) => setTimeout(() => ws.close(1000), 50);
  const call = cloud.placeCall({
    url: `${base}/voice/incoming`,
    from: "+14155550100",
    to: "+14155550199",
    dialOutcomes: [{ status: "no-answer" }],
  });
  await call.done;
  call.assertNoErrors();
  assert.equal(call.dials.length, 1);
  assert.equal(call.dials[0]!.number, "+14155550142");
  assert.equal(call.dials[0]!.callerId, "+14155550199");
  assert.deepEqual(call.dials[0]!.whisper, [], "no whisper when nobody answered");
  const done = hits.find((h) => h.path === "/voice/dial-done")!;
  assert.equal(done.params["DialCallStatus"], "no-answer");
  assert.deepEqual(
    hits.filter((h) => h.path === "/voice/dial-status").map((h) => h.params["CallStatus"]),
    ["initiated", "ringing", "no-answer"],
  );
  assert.deepEqual(
    call.said.map((s) => s.text),
    ["Transferring you now.", "Nobody answered."],
  );

  hits.length = 0;
  const answered = cloud.placeCall({ url: `${base}/voice/incoming`, from: "+14155550100", to: "+14155550199" });
  await answered.done;
  answered.assertNoErrors();
  assert.deepEqual(answered.dials[0]!.whisper, ["Caller wants a catering order."]);
  assert.equal(hits.find((h) => h.path === "/voice/dial-done")!.params["DialCallStatus"], "completed");
  assert.ok(hits.every((h) => h.signatureValid));
});

test("a refused stream upgrade and an HTTP 500 webhook are recorded as errors", async () => {
  routes = { "/voice/incoming": () => twiml(`<Connect><Stream url="${base.replace("http", "ws")}/nope"/></Connect>`) };
  const original = server.listeners("upgrade")[0] as (...a: unknown[]) => void;
  server.removeAllListeners("upgrade");
  server.on("upgrade", (_req, socket) => socket.end("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
  const call = cloud.placeCall({ url: `${base}/voice/incoming`, from: "+14155550100", to: "+14155550199" });
  await call.done;
  server.removeAllListeners("upgrade");
  server.on("upgrade", original);
  assert.equal(call.streams[0]!.outcome, "handshake-failed");
  assert.equal(call.streams[0]!.handshakeStatus, 403);
  assert.throws(() => call.assertNoErrors(), /refused with HTTP 403/);

  const missing = cloud.placeCall({ url: `${base}/no-such-route`, from: "+14155550100", to: "+14155550199" });
  await missing.done;
  assert.equal(missing.errors[0]!.code, 11200);
});

test("placeCall refuses a non-E.164 number with a clear error", () => {
  assert.throws(() => cloud.placeCall({ url: `${base}/x`, from: "4155550100", to: "+14155550199" }), /from must be E\.164/);
  assert.ok(silenceMuLaw(20).every((b) => b === 0xff));
});

test("publicBaseUrl + target: URLs are signed as the public https/wss URLs and sent to the loopback server", async () => {
  const pub = await startTwilioCloud({ timeScale: 0.05, publicBaseUrl: "https://voice.orderline.example", target: base });
  publicBase = "https://voice.orderline.example";
  tokenOverride = pub.authToken;
  hits.length = 0;
  upgrades.length = 0;
  try {
    routes = { "/voice/incoming": () => twiml('<Connect action="https://voice.orderline.example/voice/after"><Stream url="wss://voice.orderline.example/voice/stream"/></Connect>'), "/voice/after": () => twiml("<Hangup/>") };
    onStream = (ws) => setTimeout(() => ws.close(1000), 30);
    const call = pub.placeCall({ url: "https://voice.orderline.example/voice/incoming", from: "+14155550100", to: "+14155550199" });
    await call.done;
    call.assertNoErrors();
    assert.deepEqual(
      hits.map((h) => [h.path, h.signatureValid]),
      [
        ["/voice/incoming", true],
        ["/voice/after", true],
      ],
    );
    assert.deepEqual(upgrades, [{ url: "wss://voice.orderline.example/voice/stream", signatureValid: true }]);
    assert.equal(call.streams[0]!.connectedTo, `${base.replace("http", "ws")}/voice/stream`);
  } finally {
    publicBase = "";
    tokenOverride = "";
    await pub.close();
  }
});

test("an abrupt socket drop (no close frame) also runs <Connect action>, like a killed gateway pod", async () => {
  hits.length = 0;
  routes = {
    "/voice/incoming": () => twiml(`<Connect action="${base}/voice/resume"><Stream url="${base.replace("http", "ws")}/voice/stream"/></Connect>`),
    "/voice/resume": () => twiml("<Say>Sorry, we got cut off.</Say>"),
  };
  onStream = (ws) => setTimeout(() => ws.terminate(), 30);
  const call = cloud.placeCall({ url: `${base}/voice/incoming`, from: "+14155550100", to: "+14155550199" });
  await call.done;
  call.assertNoErrors();
  assert.equal(call.streams[0]!.closeCode, 1006);
  assert.equal(call.streams[0]!.outcome, "closed-by-server");
  assert.deepEqual(
    call.said.map((s) => s.text),
    ["Sorry, we got cut off."],
  );
});

test("stream messages that Twilio would reject are recorded: wrong streamSid, unknown event, non-JSON", async () => {
  routes = { "/voice/incoming": () => twiml(`<Connect><Stream url="${base.replace("http", "ws")}/voice/stream"/></Connect>`) };
  onStream = (ws) => {
    ws.on("message", (d) => {
      const msg = JSON.parse(d.toString());
      if (msg.event !== "start") return;
      ws.send(JSON.stringify({ event: "media", streamSid: "MZwrong", media: { payload: "" } }));
      ws.send(JSON.stringify({ event: "playAudio", streamSid: msg.streamSid }));
      ws.send("not json");
      setTimeout(() => ws.close(), 20);
    });
  };
  const call = cloud.placeCall({ url: `${base}/voice/incoming`, from: "+14155550100", to: "+14155550199" });
  await call.done;
  assert.equal(call.errors.length, 3);
  assert.match(call.errors.map((e) => e.message).join("\n"), /streamSid "MZwrong"[\s\S]*unknown event "playAudio"[\s\S]*not JSON/);
});

test("call.hangUp() from the test ends a call mid-<Pause> and mid-stream (stop sent, status completed)", async () => {
  hits.length = 0;
  routes = { "/voice/incoming": () => twiml('<Pause length="600"/><Say>never heard</Say>'), "/voice/status": () => "" };
  const paused = cloud.placeCall({ url: `${base}/voice/incoming`, from: "+14155550100", to: "+14155550199", statusCallback: `${base}/voice/status` });
  await paused.waitFor((c) => c.timeline.some((t) => t.type === "pause"), "the pause");
  paused.hangUp();
  await paused.done;
  assert.equal(paused.said.length, 0);
  assert.equal(hits.find((h) => h.path === "/voice/status")!.params["CallStatus"], "completed");

  let messages: { event: string }[] = [];
  let serverSideClosed!: Promise<void>;
  routes = { "/voice/incoming": () => twiml(`<Connect><Stream url="${base.replace("http", "ws")}/voice/stream"/></Connect><Say>never heard</Say>`) };
  onStream = (ws, _req, m) => {
    messages = m as { event: string }[];
    serverSideClosed = new Promise((r) => ws.once("close", () => r()));
  };
  const streaming = cloud.placeCall({ url: `${base}/voice/incoming`, from: "+14155550100", to: "+14155550199" });
  await streaming.waitFor((c) => (c.stream?.framesSent ?? 0) >= 2, "media");
  streaming.hangUp();
  await streaming.done;
  streaming.assertNoErrors();
  assert.equal(streaming.streams[0]!.outcome, "caller-hung-up");
  await serverSideClosed;
  assert.equal(messages.at(-1)!.event, "stop");
  assert.equal(streaming.said.length, 0);
});

test("inboundFrameMs sends larger media messages with timestamps in media ms; a bad size is refused up front", async () => {
  let messages: { event: string; media?: { chunk: string; timestamp: string; payload: string } }[] = [];
  routes = { "/voice/incoming": () => twiml(`<Connect><Stream url="${base.replace("http", "ws")}/voice/stream"/></Connect>`) };
  onStream = (_ws, _req, m) => {
    messages = m as typeof messages;
  };
  const call = cloud.placeCall({ url: `${base}/voice/incoming`, from: "+14155550100", to: "+14155550199", inboundFrameMs: 100, caller: [callerPauses(500), callerHangsUp()] });
  await call.done;
  call.assertNoErrors();
  const media = messages.filter((m) => m.event === "media").map((m) => m.media!);
  assert.ok(media.length >= 4);
  media.forEach((m, i) => {
    assert.equal(m.chunk, String(i + 1));
    assert.equal(m.timestamp, String(i * 100));
    assert.equal(Buffer.from(m.payload, "base64").length, 800);
  });
  assert.throws(() => cloud.placeCall({ url: `${base}/x`, from: "+14155550100", to: "+14155550199", inboundFrameMs: 30 }), /multiple of 20/);
});
