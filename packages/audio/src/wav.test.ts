import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { encodeMuLaw } from "./mulaw.ts";
import { generateTone } from "./signals.ts";
import { readWav, type WavAudio, WavFormatError, writeWav } from "./wav.ts";

/** Builds a WAV by hand from chunks, to test the reader independently of the writer. */
function riff(...chunks: Array<[string, Uint8Array]>): Uint8Array {
  const parts: Buffer[] = [];
  for (const [id, body] of chunks) {
    const head = Buffer.alloc(8);
    head.write(id, 0, "latin1");
    head.writeUInt32LE(body.length, 4);
    parts.push(head, Buffer.from(body));
    if (body.length % 2 === 1) parts.push(Buffer.alloc(1));
  }
  const payload = Buffer.concat(parts);
  const head = Buffer.alloc(12);
  head.write("RIFF", 0, "latin1");
  head.writeUInt32LE(payload.length + 4, 4);
  head.write("WAVE", 8, "latin1");
  return Uint8Array.from(Buffer.concat([head, payload]));
}

function fmt(tag: number, channels: number, rate: number, bits: number): Uint8Array {
  const b = Buffer.alloc(16);
  b.writeUInt16LE(tag, 0);
  b.writeUInt16LE(channels, 2);
  b.writeUInt32LE(rate, 4);
  b.writeUInt32LE((rate * channels * bits) / 8, 8);
  b.writeUInt16LE((channels * bits) / 8, 12);
  b.writeUInt16LE(bits, 14);
  return b;
}

describe("writeWav", () => {
  test("PCM16 has the canonical 44-byte header", () => {
    const wav = Buffer.from(writeWav({ encoding: "pcm16", sampleRate: 24000, samples: Int16Array.of(1, -1) }));
    assert.equal(wav.length, 48);
    assert.equal(wav.toString("latin1", 0, 4), "RIFF");
    assert.equal(wav.readUInt32LE(4), 40);
    assert.equal(wav.toString("latin1", 8, 16), "WAVEfmt ");
    assert.deepEqual(
      [wav.readUInt32LE(16), wav.readUInt16LE(20), wav.readUInt16LE(22), wav.readUInt32LE(24), wav.readUInt32LE(28)],
      [16, 1, 1, 24000, 48000],
    );
    assert.deepEqual([wav.readUInt16LE(32), wav.readUInt16LE(34)], [2, 16]);
    assert.equal(wav.toString("latin1", 36, 40), "data");
    assert.equal(wav.readUInt32LE(40), 4);
    assert.deepEqual([wav.readInt16LE(44), wav.readInt16LE(46)], [1, -1]);
  });

  test("mu-law uses format 7, an 18-byte fmt, a fact chunk and a pad byte for odd lengths", () => {
    const wav = Buffer.from(writeWav({ encoding: "mulaw", sampleRate: 8000, samples: Uint8Array.of(0xff, 0x00, 0x80) }));
    assert.equal(wav.readUInt32LE(16), 18);
    assert.equal(wav.readUInt16LE(20), 7);
    assert.equal(wav.readUInt16LE(34), 8);
    assert.equal(wav.toString("latin1", 38, 42), "fact");
    assert.equal(wav.readUInt32LE(46), 3);
    assert.equal(wav.toString("latin1", 50, 54), "data");
    assert.equal(wav.readUInt32LE(54), 3);
    assert.equal(wav.length, 58 + 3 + 1);
    assert.equal(wav.readUInt32LE(4), wav.length - 8);
  });

  test("rejects bad arguments", () => {
    assert.throws(
      () => writeWav({ encoding: "pcm16", sampleRate: 8000, samples: new Uint8Array(2) } as never),
      /pcm16 samples must be an Int16Array/,
    );
    assert.throws(() => writeWav({ encoding: "mulaw", sampleRate: 0, samples: new Uint8Array(2) }), /positive integer/);
    assert.throws(() => writeWav({ encoding: "alaw", sampleRate: 8000, samples: new Uint8Array(2) } as never), /"alaw"/);
  });
});

describe("readWav", () => {
  test("round-trips what writeWav writes, for both encodings", () => {
    const cases: WavAudio[] = [
      { encoding: "pcm16", sampleRate: 24000, samples: generateTone({ hz: 440, ms: 50, rate: 24000 }) },
      { encoding: "mulaw", sampleRate: 8000, samples: encodeMuLaw(generateTone({ hz: 440, ms: 25 })) },
      { encoding: "pcm16", sampleRate: 8000, samples: new Int16Array(0) },
    ];
    for (const audio of cases) assert.deepEqual(readWav(writeWav(audio)), audio);
  });

  test("skips unknown chunks (with pad bytes) and reads WAVE_FORMAT_EXTENSIBLE", () => {
    const ext = Buffer.alloc(40);
    Buffer.from(fmt(0xfffe, 1, 16000, 16)).copy(ext);
    ext.writeUInt16LE(22, 16); // cbSize
    ext.writeUInt16LE(1, 24); // SubFormat GUID begins with the format tag (PCM)
    const data = Buffer.alloc(4);
    data.writeInt16LE(-300, 0);
    data.writeInt16LE(300, 2);
    const wav = riff(["LIST", Uint8Array.of(1, 2, 3)], ["fmt ", ext], ["data", data]);
    assert.deepEqual(readWav(Buffer.from(wav)), { encoding: "pcm16", sampleRate: 16000, samples: Int16Array.of(-300, 300) });
  });

  test("a streaming data size (0xFFFFFFFF) means up to the end of the file", () => {
    const wav = Buffer.from(riff(["fmt ", fmt(7, 1, 8000, 8)], ["data", Uint8Array.of(1, 2, 3, 4)]));
    wav.writeUInt32LE(0xffffffff, 40);
    assert.deepEqual(readWav(wav), { encoding: "mulaw", sampleRate: 8000, samples: Uint8Array.of(1, 2, 3, 4) });
  });

  test("rejects what it cannot read, saying why", () => {
    const pcm = new Uint8Array(4);
    const cases: Array<[Uint8Array, RegExp]> = [
      [Buffer.from("not a wav file at all"), /not a RIFF\/WAVE file/],
      [riff(["fmt ", fmt(1, 2, 8000, 16)], ["data", pcm]), /2 channels; only mono/],
      [riff(["fmt ", fmt(1, 1, 8000, 8)], ["data", pcm]), /8-bit PCM; only 16-bit/],
      [riff(["fmt ", fmt(3, 1, 8000, 32)], ["data", pcm]), /format tag 3 is not supported/],
      [riff(["data", pcm], ["fmt ", fmt(1, 1, 8000, 16)]), /data chunk before fmt/],
      [riff(["fmt ", fmt(1, 1, 8000, 16)]), /no data chunk/],
      [riff(["LIST", pcm]), /no fmt chunk/],
      [riff(["fmt ", fmt(1, 1, 8000, 16)], ["data", pcm]).subarray(0, 46), /declares 4 bytes but only 2/],
    ];
    for (const [buf, message] of cases) {
      assert.throws(() => readWav(buf), (err: unknown) => err instanceof WavFormatError && message.test(err.message));
    }
  });
});
