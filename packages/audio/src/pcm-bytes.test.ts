import assert from "node:assert/strict";
import { test } from "node:test";
import { bytesLEToPcm16, pcm16ToBytesLE } from "./pcm-bytes.ts";

test("pcm16ToBytesLE writes low byte first", () => {
  const bytes = pcm16ToBytesLE(Int16Array.of(0x1234, -2, 32767, -32768));
  assert.deepEqual(Array.from(bytes), [0x34, 0x12, 0xfe, 0xff, 0xff, 0x7f, 0x00, 0x80]);
});

test("bytesLEToPcm16 reads what Buffer.readInt16LE reads, at any byte offset", () => {
  const raw = Buffer.from([0x99, 0x34, 0x12, 0xfe, 0xff, 0x00, 0x80]);
  const odd = raw.subarray(1); // a misaligned view, like a pooled Buffer from base64
  const samples = bytesLEToPcm16(odd);
  assert.deepEqual(Array.from(samples), [odd.readInt16LE(0), odd.readInt16LE(2), odd.readInt16LE(4)]);
  assert.deepEqual(Array.from(samples), [0x1234, -2, -32768]);
});

test("round trip through base64, as on the Realtime wire", () => {
  const pcm = Int16Array.from({ length: 480 }, (_, i) => (i * 137) % 65536 - 32768);
  const wire = Buffer.from(pcm16ToBytesLE(pcm)).toString("base64");
  assert.deepEqual(bytesLEToPcm16(Buffer.from(wire, "base64")), pcm);
});

test("subarray inputs use only their own samples", () => {
  const pcm = Int16Array.of(1, 2, 3, 4);
  assert.deepEqual(Array.from(pcm16ToBytesLE(pcm.subarray(1, 3))), [2, 0, 3, 0]);
});

test("writes into dst and returns the written part", () => {
  const dst = new Int16Array(8);
  const out = bytesLEToPcm16(Uint8Array.of(1, 0, 2, 0), dst);
  assert.deepEqual(Array.from(out), [1, 2]);
  assert.equal(out.buffer, dst.buffer);
  const bytesDst = new Uint8Array(8);
  assert.equal(pcm16ToBytesLE(Int16Array.of(5), bytesDst).length, 2);
});

test("rejects odd byte counts, short destinations and wrong types with clear messages", () => {
  assert.throws(() => bytesLEToPcm16(new Uint8Array(3)), /even number of bytes, got 3/);
  assert.throws(() => bytesLEToPcm16(new Uint8Array(8), new Int16Array(3)), /holds 3 samples but 4 are needed/);
  assert.throws(() => pcm16ToBytesLE(new Int16Array(4), new Uint8Array(7)), /holds 7 bytes but 8 are needed/);
  assert.throws(() => pcm16ToBytesLE([1, 2] as never), /src must be an Int16Array/);
  assert.equal(bytesLEToPcm16(new Uint8Array(0)).length, 0);
});
