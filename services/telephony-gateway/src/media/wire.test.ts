import assert from "node:assert/strict";
import { test } from "node:test";
import { base64DecodedLength, markName, ownedBuffer, parseMarkName, sliceRealtimeDelta, sliceTwilioMedia } from "./wire.ts";

test("a Twilio media frame is sliced without parsing, whatever the key order", () => {
  const payload = Buffer.from([1, 2, 3, 4, 5]).toString("base64");
  for (const msg of [
    { event: "media", sequenceNumber: "4", media: { track: "inbound", chunk: "2", timestamp: "5120", payload }, streamSid: "MZ1" },
    { streamSid: "MZ1", media: { payload, timestamp: "5120", chunk: "2", track: "inbound" }, sequenceNumber: "4", event: "media" },
  ]) {
    const buf = Buffer.from(JSON.stringify(msg));
    const s = sliceTwilioMedia(buf);
    assert.ok(s);
    assert.equal(buf.toString("latin1", s.start, s.end), payload);
  }
  assert.equal(sliceTwilioMedia(Buffer.from('{"event":"mark","streamSid":"MZ1","mark":{"name":"a:1:0"}}')), null);
  assert.equal(sliceTwilioMedia(Buffer.from('{"event":"stop","streamSid":"MZ1"}')), null);
});

test("a Realtime audio delta is sliced; other events are not taken for one", () => {
  const delta = Buffer.alloc(160, 7).toString("base64");
  const buf = Buffer.from(
    JSON.stringify({ type: "response.output_audio.delta", event_id: "e1", response_id: "r1", item_id: "item_9", output_index: 0, content_index: 0, delta }),
  );
  const s = sliceRealtimeDelta(buf);
  assert.ok(s);
  assert.equal(s.itemId, "item_9");
  assert.equal(buf.toString("latin1", s.start, s.end), delta);
  assert.equal(base64DecodedLength(buf, s.start, s.end), 160);
  const transcript = Buffer.from(JSON.stringify({ type: "response.output_audio_transcript.delta", item_id: "item_9", delta: "hi" }));
  assert.equal(sliceRealtimeDelta(transcript), null);
});

test("base64 lengths account for padding", () => {
  for (const n of [0, 1, 2, 3, 4, 159, 160, 161]) {
    const b = Buffer.from(Buffer.alloc(n, 1).toString("base64"));
    assert.equal(base64DecodedLength(b, 0, b.length), n);
  }
});

test("mark names round-trip item, position and generation", () => {
  assert.deepEqual(parseMarkName(markName("item_AbC-1", 1520.4, 3)), { itemId: "item_AbC-1", sentMs: 1520, generation: 3 });
  assert.equal(parseMarkName("garbage"), null);
  assert.equal(parseMarkName("x:y:z"), null);
});

test("ownedBuffer holds its text in memory of its own, not in a slab of Buffer's shared pool", () => {
  const text = '{"event":"media","streamSid":"MZ0123456789abcdef0123456789abcdef","media":{"payload":"';
  const pooled = Buffer.from(text);
  assert.ok(pooled.buffer.byteLength > pooled.length, "Buffer.from of a short string is a pool slice (what this guards against)");
  const own = ownedBuffer(text);
  assert.equal(own.toString("latin1"), text);
  assert.equal(own.buffer.byteLength, own.length);
});
