import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import twilio from "twilio";
import { WebSocketServer } from "ws";
import { callerHangsUp, callerPauses, decodeForm, startTwilioCloud, type TwilioCloud, twilioClientFor } from "../src/index.ts";

type Hit = { path: string; params: Record<string, string | string[]>; signatureValid: boolean };
let server: Server;
let wss: WebSocketServer;
let base = "";
let cloud: TwilioCloud;
const hits: Hit[] = [];
const streamMessages: { event: string }[] = [];

const twiml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?><Response>${body}</Response>`;

before(async () => {
  cloud = await startTwilioCloud({ timeScale: 0.05 });
  wss = new WebSocketServer({ noServer: true });
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const params = decodeForm(Buffer.concat(chunks).toString("utf8"));
    const path = req.url ?? "";
    hits.push({ path, params, signatureValid: twilio.validateRequest(cloud.authToken, String(req.headers["x-twilio-signature"]), `${base}${req.url}`, params) });
    res.writeHead(200, { "Content-Type": "text/xml" });
    if (path === "/voice/outbound") res.end(twiml(`<Say>Your order is ready.</Say><Connect><Stream url="${base.replace("http", "ws")}/voice/stream"/></Connect>`));
    else if (path === "/voice/transfer") res.end(twiml('<Dial callerId="+14155550199"><Number>+14155550142</Number></Dial>'));
    else res.end("");
  });
  server.on("upgrade", (req, socket, head) =>
    wss.handleUpgrade(req, socket, head, (ws) => ws.on("message", (d) => streamMessages.push(JSON.parse(d.toString())))),
  );
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await cloud.close();
  wss.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

test("the real twilio client creates an outbound call with async AMD and status callbacks; the callee is a machine", async () => {
  const client = twilioClientFor(cloud);
  cloud.nextCallee({ answer: "machine_end_beep", caller: [callerPauses(200), callerHangsUp()] });
  const created = await client.calls.create({
    to: "+14155550123",
    from: "+14155550199",
    url: `${base}/voice/outbound`,
    statusCallback: `${base}/status`,
    statusCallbackEvent: ["initiated", "ringing", "answered", "completed"],
    machineDetection: "DetectMessageEnd",
    asyncAmd: "true",
    asyncAmdStatusCallback: `${base}/amd`,
  });
  assert.match(created.sid, /^CA[0-9a-f]{32}$/);
  assert.equal(created.status, "queued");
  assert.equal(created.direction, "outbound-api");
  const call = cloud.calls.get(created.sid)!;
  await call.done;
  call.assertNoErrors();
  const statuses = hits.filter((h) => h.path === "/status").map((h) => h.params["CallStatus"]);
  assert.deepEqual(statuses, ["initiated", "ringing", "in-progress", "completed"]);
  const amd = hits.find((h) => h.path === "/amd")!;
  assert.equal(amd.params["AnsweredBy"], "machine_end_beep");
  const voice = hits.find((h) => h.path === "/voice/outbound")!;
  assert.equal(voice.params["Direction"], "outbound-api");
  assert.equal(voice.params["To"], "+14155550123");
  assert.ok(!("AnsweredBy" in voice.params), "async AMD: AnsweredBy goes to the AMD callback, not the webhook");
  assert.ok(hits.every((h) => h.signatureValid));
  const request = cloud.restRequests.find((r) => r.path.endsWith("/Calls.json"))!;
  assert.deepEqual(request.params["StatusCallbackEvent"], ["initiated", "ringing", "answered", "completed"]);
  assert.equal(call.said[0]!.text, "Your order is ready.");
});

test("a busy callee: status callbacks end with busy and no webhook is fetched", async () => {
  hits.length = 0;
  const client = twilioClientFor(cloud);
  cloud.nextCallee({ answer: "busy" });
  const created = await client.calls.create({ to: "+14155550124", from: "+14155550199", url: `${base}/voice/outbound`, statusCallback: `${base}/status` });
  await cloud.calls.get(created.sid)!.done;
  assert.deepEqual(
    hits.map((h) => [h.path, h.params["CallStatus"]]),
    [["/status", "busy"]],
  );
});

test("calls(sid).update with TwiML stops the live stream and the call follows the new TwiML", async () => {
  streamMessages.length = 0;
  const client = twilioClientFor(cloud);
  const call = cloud.placeCall({ url: `${base}/voice/outbound`, from: "+14155550100", to: "+14155550199" });
  await call.waitFor((c) => (c.stream?.framesSent ?? 0) > 3, "media flowing");
  const updated = await client.calls(call.sid).update({ twiml: twiml(`<Say>Connecting you.</Say><Redirect>${base}/voice/transfer</Redirect>`) });
  assert.equal(updated.sid, call.sid);
  await call.done;
  call.assertNoErrors();
  assert.equal(streamMessages.at(-1)!.event, "stop", "the stream got stop before closing");
  assert.equal(call.streams[0]!.outcome, "redirected");
  assert.deepEqual(
    call.said.map((s) => s.text),
    ["Your order is ready.", "Connecting you."],
  );
  assert.equal(call.dials[0]!.number, "+14155550142");
});

test("calls(sid).update with status completed hangs up; updating an ended or unknown call is a Twilio-shaped error", async () => {
  const client = twilioClientFor(cloud);
  const call = cloud.placeCall({ url: `${base}/voice/outbound`, from: "+14155550100", to: "+14155550199" });
  await call.waitFor((c) => c.stream !== undefined, "stream open");
  await client.calls(call.sid).update({ status: "completed" });
  await call.done;
  assert.equal(call.status, "completed");
  await assert.rejects(client.calls(call.sid).update({ twiml: "<Response/>" }), (err: { status: number; code: number }) => err.status === 400 && err.code === 21220);
  await assert.rejects(client.calls(`CA${"0".repeat(32)}`).update({ twiml: "<Response/>" }), (err: { status: number; code: number; message: string }) => {
    assert.equal(err.status, 404);
    assert.equal(err.code, 20404);
    assert.match(err.message, /was not found/);
    return true;
  });
});

test("messages.create sends an SMS, posts signed status callbacks; a missing body is error 21602", async () => {
  hits.length = 0;
  const client = twilioClientFor(cloud);
  const msg = await client.messages.create({ to: "+14155550123", from: "+14155550199", body: "Your order #42 is ready for pickup.", statusCallback: `${base}/sms-status` });
  assert.match(msg.sid, /^SM/);
  assert.equal(msg.status, "queued");
  assert.equal(cloud.messages.at(-1)!.body, "Your order #42 is ready for pickup.");
  await assert.rejects(client.messages.create({ to: "+14155550123", from: "+14155550199", body: "" }), (err: { code: number }) => err.code === 21602);
  const bad = twilio(cloud.accountSid, "wrong-token", { httpClient: (twilioClientFor(cloud) as unknown as { httpClient: never }).httpClient });
  await assert.rejects(bad.messages.create({ to: "+14155550123", from: "+14155550199", body: "x" }), (err: { status: number; code: number }) => err.status === 401 && err.code === 20003);
  await cloud.settle();
  assert.deepEqual(
    hits.filter((h) => h.path === "/sms-status").map((h) => [h.params["MessageStatus"], h.signatureValid]),
    [
      ["sent", true],
      ["delivered", true],
    ],
  );
});

test("synchronous AMD puts AnsweredBy in the voice webhook; update with a Url fetches it; fetch() reads the call", async () => {
  hits.length = 0;
  const client = twilioClientFor(cloud);
  cloud.nextCallee({ answer: "human", to: "+14155550125" });
  const created = await client.calls.create({ to: "+14155550125", from: "+14155550199", url: `${base}/voice/outbound`, machineDetection: "Enable" });
  const call = await cloud.waitForCall((c) => c.sid === created.sid);
  await call.waitFor((c) => c.stream !== undefined, "stream open");
  assert.equal(hits.find((h) => h.path === "/voice/outbound")!.params["AnsweredBy"], "human");
  const fetched = await client.calls(created.sid).fetch();
  assert.equal(fetched.status, "in-progress");
  assert.equal(fetched.answeredBy, "human");
  await client.calls(created.sid).update({ url: `${base}/voice/transfer`, method: "POST" });
  await call.done;
  call.assertNoErrors();
  assert.ok(hits.some((h) => h.path === "/voice/transfer" && h.signatureValid));
  assert.equal(call.dials[0]!.number, "+14155550142");
  await assert.rejects(client.calls.create({ to: "5550125", from: "+14155550199", url: `${base}/x` }), (err: { code: number }) => err.code === 21211);
  await assert.rejects(client.calls.create({ to: "+14155550125", from: "+14155550199" } as never), (err: { code: number }) => err.code === 21205);
});
