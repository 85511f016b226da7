import assert from "node:assert/strict";
import { once } from "node:events";
import { after, before, describe, test } from "node:test";
import { DEMO_LOCATIONS } from "@orderline/db";
import { callerHangsUp, callerWaitsForReply, callerWaitsUntil, encodeForm, say, twilioSignature } from "@orderline/testing";
import WebSocket from "ws";
import { PUBLIC_BASE_URL, Stack } from "./harness.ts";

const STREAM_URL = `${PUBLIC_BASE_URL.replace(/^https/, "wss")}/voice/stream`;

describe("forged and replayed Twilio requests", () => {
  const stack = new Stack({ env: { CALLER_MAX_CALLS_PER_HOUR: "2", CALLER_MAX_CONCURRENT_CALLS: "1", ANONYMOUS_MAX_CONCURRENT_CALLS: "1" } });
  before(async () => {
    await stack.start();
    await stack.startInProcess();
  });
  after(() => stack.close());

  const post = (path: string, params: Record<string, string>, signature: string | undefined) =>
    fetch(`http://127.0.0.1:${stack.port}${path}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...(signature ? { "x-twilio-signature": signature } : {}) },
      body: encodeForm(params),
    });

  test("a forged or unsigned webhook gets 403 and nothing is written", async () => {
    const params = { CallSid: "CAforged00000000000000000000000001", From: "+14155550199", To: DEMO_LOCATIONS.newYork.phone, AccountSid: stack.accountSid };
    const forged = await post("/voice/incoming", params, twilioSignature("not-the-token", `${PUBLIC_BASE_URL}/voice/incoming`, params));
    assert.equal(forged.status, 403);
    assert.match(await forged.text(), /invalid Twilio signature/);
    const unsigned = await post("/voice/incoming", params, undefined);
    assert.equal(unsigned.status, 403);
    // Signed for another URL (e.g. a proxy's Host header) does not pass either.
    const wrongUrl = await post("/voice/incoming", params, twilioSignature(stack.authToken, `http://127.0.0.1:${stack.port}/voice/incoming`, params));
    assert.equal(wrongUrl.status, 403);
    const rows = await stack.testDb.db.selectFrom("voice_calls").select("id").where("call_sid", "=", params.CallSid).execute();
    assert.equal(rows.length, 0);
    assert.deepEqual(await stack.redis.keys(`${stack.redisPrefix}*${params.CallSid}*`), []);
    // The genuine signature is accepted (the check is not just rejecting everything).
    const genuine = await post("/voice/incoming", params, twilioSignature(stack.authToken, `${PUBLIC_BASE_URL}/voice/incoming`, params));
    assert.equal(genuine.status, 200);
    assert.match(await genuine.text(), /<Connect action="https:\/\/voice\.orderline\.test\/voice\/after-stream">/);
  });

  test("a stream upgrade without a valid signature is refused before any Realtime session", async () => {
    const before = stack.realtime.sessions.length;
    for (const signature of [twilioSignature("wrong", STREAM_URL, {}), undefined]) {
      const ws = new WebSocket(`ws://127.0.0.1:${stack.port}/voice/stream`, { headers: signature ? { "x-twilio-signature": signature } : {} });
      ws.on("error", () => {});
      const [, res] = (await once(ws, "unexpected-response")) as [unknown, { statusCode: number }];
      assert.equal(res.statusCode, 403);
    }
    assert.equal(stack.realtime.sessions.length, before);
  });

  test("a replayed or foreign call token closes the stream and opens no Realtime session", async () => {
    stack.realtime.script([{ greeting: say("Hello!", 300) }]);
    const call = stack.placeCall({ from: "+14155550122", to: DEMO_LOCATIONS.newYork.phone, caller: [callerWaitsForReply(), callerHangsUp()] });
    await call.done;
    call.assertNoErrors();
    const token = call.streams[0]!.customParameters.callToken!;
    assert.ok(token);
    const sessions = stack.realtime.sessions.length;
    for (const [callSid, tok] of [
      [call.sid, token], // replay of a used token
      ["CAother0000000000000000000000000001", token], // token of another call
      [call.sid, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"], // made up
    ] as const) {
      const ws = new WebSocket(`ws://127.0.0.1:${stack.port}/voice/stream`, { headers: { "x-twilio-signature": twilioSignature(stack.authToken, STREAM_URL, {}) } });
      await once(ws, "open");
      ws.send(JSON.stringify({ event: "connected", protocol: "Call", version: "1.0.0" }));
      ws.send(JSON.stringify({ event: "start", sequenceNumber: "1", streamSid: "MZreplay", start: { streamSid: "MZreplay", callSid, customParameters: { callToken: tok } } }));
      const [code] = (await once(ws, "close")) as [number];
      assert.equal(code, 1008);
    }
    assert.equal(stack.realtime.sessions.length, sessions);
  });

  test("an unknown number hears a polite message and the call ends", async () => {
    const call = stack.placeCall({ from: "+14155550133", to: "+19995550100" });
    await call.done;
    call.assertNoErrors();
    assert.match(call.said[0]!.text, /not set up to take orders/);
    assert.equal(call.streams.length, 0);
    const row = await stack.testDb.db.selectFrom("voice_calls").selectAll().where("call_sid", "=", call.sid).executeTakeFirstOrThrow();
    assert.equal(row.disposition, "rejected");
  });

  test("a location at capacity: overflow callers hear a polite message with the store's number", async () => {
    const chicago = DEMO_LOCATIONS.chicago;
    await stack.testDb.db.updateTable("locations").set({ max_concurrent_calls: 1 }).where("id", "=", chicago.id).execute();
    stack.realtime.setDefaultScript([{ greeting: say("Hello!", 300) }]);
    const first = stack.placeCall({ from: "+14155550161", to: chicago.phone, caller: [callerWaitsForReply(), callerWaitsUntil("second call refused", () => overflow.ended), callerHangsUp()] });
    await first.waitFor((c) => c.streams.length > 0, "first call streaming");
    const overflow = stack.placeCall({ from: "+14155550162", to: chicago.phone });
    await overflow.done;
    assert.equal(overflow.streams.length, 0);
    assert.match(overflow.said[0]!.text, /All of our lines are busy/);
    assert.match(overflow.said[0]!.text, /\(312\) 555-0100/);
    await first.done;
    first.assertNoErrors();
    await stack.finalizeJob(first.sid);
    // The slot is freed when the call ends.
    const next = stack.placeCall({ from: "+14155550163", to: chicago.phone, caller: [callerWaitsForReply(), callerHangsUp()] });
    await next.done;
    assert.equal(next.streams.length, 1);
  });

  test("caller limits: concurrent calls and calls per hour from one caller ID", async () => {
    const from = "+14155550144";
    stack.realtime.setDefaultScript([{ greeting: say("Hello!", 300) }]);
    const first = stack.placeCall({ from, to: DEMO_LOCATIONS.newYork.phone, caller: [callerWaitsForReply(), callerHangsUp()] });
    await first.waitFor((c) => c.streams.length > 0, "first call streaming");
    // While the first call is live a second one from the same number is refused politely.
    const concurrent = stack.placeCall({ from, to: DEMO_LOCATIONS.newYork.phone });
    await concurrent.done;
    assert.equal(concurrent.streams.length, 0);
    assert.match(concurrent.said[0]!.text, /can't take another call from this number/);
    assert.match(concurrent.said[0]!.text, /\(212\) 555-0100/);
    await first.done;
    await stack.finalizeJob(first.sid);
    const second = stack.placeCall({ from, to: DEMO_LOCATIONS.newYork.phone, caller: [callerWaitsForReply(), callerHangsUp()] });
    await second.done;
    assert.equal(second.streams.length, 1, "second call of the hour is allowed");
    await stack.finalizeJob(second.sid);
    const third = stack.placeCall({ from, to: DEMO_LOCATIONS.newYork.phone });
    await third.done;
    assert.equal(third.streams.length, 0, "third call of the hour is refused");
    assert.match(third.said[0]!.text, /can't take another call/);
    const rejected = await stack.testDb.db.selectFrom("voice_calls").select("call_sid").where("disposition", "=", "rejected").where("phone_from", "=", from).execute();
    assert.equal(rejected.length, 2);
  });

  test("callers with a withheld or invalid caller ID share one bucket per location instead of skipping the limits", async () => {
    const denver = DEMO_LOCATIONS.denver;
    stack.realtime.setDefaultScript([{ greeting: say("Hello!", 300) }]);
    const first = stack.placeCall({ from: "anonymous", to: denver.phone, caller: [callerWaitsForReply(), callerHangsUp()] });
    await first.waitFor((c) => c.streams.length > 0, "first anonymous call streaming");
    const second = stack.placeCall({ from: "+10000000000", to: denver.phone });
    await second.done;
    assert.equal(second.streams.length, 0, "a second caller without a usable caller ID is refused while the first is live");
    assert.match(second.said[0]!.text, /can't take another call/);
    await first.done;
    await stack.finalizeJob(first.sid);
    const third = stack.placeCall({ from: "anonymous", to: denver.phone, caller: [callerWaitsForReply(), callerHangsUp()] });
    await third.done;
    assert.equal(third.streams.length, 1, "the slot is free again once the first call ended");
  });
});
