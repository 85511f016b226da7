import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  decodeMuLaw,
  decodeMuLawSample,
  encodeMuLaw,
  encodeMuLawSample,
  MULAW_SILENCE,
} from "./mulaw.ts";

/** The G.711 mu-law expansion table as printed in the standard's reference code (codes 0..255). */
const G711_TABLE_FIRST_ROWS: readonly number[] = [
  -32124, -31100, -30076, -29052, -28028, -27004, -25980, -24956, -23932, -22908, -21884, -20860, -19836,
  -18812, -17788, -16764, -15996, -15484, -14972, -14460, -13948, -13436, -12924, -12412, -11900, -11388,
  -10876, -10364, -9852, -9340, -8828, -8316,
];
const G711_TABLE_LAST_ROWS: readonly number[] = [
  // codes 0xE0..0xFF
  372, 356, 340, 324, 308, 292, 276, 260, 244, 228, 212, 196, 180, 164, 148, 132, 120, 112, 104, 96, 88, 80,
  72, 64, 56, 48, 40, 32, 24, 16, 8, 0,
];

/** Segment of a linear magnitude after biasing, as the encoder computes it. */
function segmentOf(magnitude: number): number {
  const biased = Math.min(magnitude, 32635) + 0x84;
  return 31 - Math.clz32(biased) - 7;
}

describe("mu-law decode", () => {
  test("matches the standard table at its well-known points", () => {
    assert.equal(decodeMuLawSample(0xff), 0);
    assert.equal(decodeMuLawSample(0x7f), 0);
    assert.equal(decodeMuLawSample(0x00), -32124);
    assert.equal(decodeMuLawSample(0x80), 32124);
    assert.equal(decodeMuLawSample(0xce), 988);
    assert.equal(decodeMuLawSample(0x4e), -988);
  });

  test("matches the standard table rows for codes 0x00..0x1F and 0xE0..0xFF", () => {
    for (const [code, v] of G711_TABLE_FIRST_ROWS.entries()) assert.equal(decodeMuLawSample(code), v, `code ${code}`);
    for (const [i, v] of G711_TABLE_LAST_ROWS.entries()) assert.equal(decodeMuLawSample(0xe0 + i), v, `code ${0xe0 + i}`);
  });

  test("is antisymmetric: code c and c ^ 0x80 decode to opposite values", () => {
    for (let c = 0; c < 128; c++) assert.equal(decodeMuLawSample(c) + decodeMuLawSample(c | 0x80), 0);
  });

  test("the array form equals the single-sample form for all 256 codes", () => {
    const codes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const pcm = decodeMuLaw(codes);
    assert.equal(pcm.length, 256);
    for (let c = 0; c < 256; c++) assert.equal(pcm[c], decodeMuLawSample(c));
  });

  test("writes into a caller-provided buffer and returns only the written part", () => {
    const dst = new Int16Array(10).fill(7);
    const out = decodeMuLaw(Uint8Array.of(0x00, 0x80, 0xff), dst);
    assert.deepEqual(Array.from(out), [-32124, 32124, 0]);
    assert.equal(out.buffer, dst.buffer);
    assert.equal(dst[3], 7, "samples past the input are untouched");
  });

  test("accepts a Node Buffer and empty input", () => {
    assert.deepEqual(Array.from(decodeMuLaw(Buffer.from([0x80]))), [32124]);
    assert.equal(decodeMuLaw(new Uint8Array(0)).length, 0);
  });

  test("rejects bad input with a message naming the problem", () => {
    assert.throws(() => decodeMuLawSample(256), /integer 0\.\.255, got 256/);
    assert.throws(() => decodeMuLawSample(1.5), /integer 0\.\.255/);
    assert.throws(() => decodeMuLaw(new Uint8Array(4), new Int16Array(3)), /holds 3 samples but 4 are needed/);
    assert.throws(() => decodeMuLaw([1, 2] as unknown as Uint8Array), /src must be a Uint8Array/);
  });
});

describe("mu-law encode", () => {
  test("matches reference codes (bias 0x84, clip 32635)", () => {
    const cases: Array<[number, number]> = [
      [0, 0xff],
      [-1, 0x7f],
      [1, 0xff],
      [100, 0xf2],
      [-100, 0x72],
      [1000, 0xce],
      [-1000, 0x4e],
      [8000, 0xa0],
      [-8000, 0x20],
      [32635, 0x80],
      [32767, 0x80],
      [-32767, 0x00],
      [-32768, 0x00],
    ];
    for (const [sample, code] of cases) {
      assert.equal(encodeMuLawSample(sample), code, `encode(${sample})`);
    }
    const arr = encodeMuLaw(Int16Array.from(cases.map(([s]) => s)));
    assert.deepEqual(Array.from(arr), cases.map(([, c]) => c));
  });

  test("encode(decode(c)) === c for every code except negative zero 0x7F", () => {
    for (let c = 0; c < 256; c++) {
      const expected = c === 0x7f ? 0xff : c;
      assert.equal(encodeMuLawSample(decodeMuLawSample(c)), expected, `code 0x${c.toString(16)}`);
    }
  });

  test("round-trip error of every int16 value stays within half a quantisation step", () => {
    const all = new Int16Array(65536);
    for (let i = 0; i < 65536; i++) all[i] = i - 32768;
    const back = decodeMuLaw(encodeMuLaw(all));
    let worst = 0;
    for (let i = 0; i < 65536; i++) {
      const x = all[i]!;
      const y = back[i]!;
      assert.equal(Math.sign(y) === 0 || Math.sign(y) === Math.sign(x), true, `sign flipped for ${x}`);
      const magnitude = Math.abs(x);
      if (magnitude <= 32635) {
        // Segment e has steps of 2^(e+3); the decoder returns the step's midpoint.
        const bound = 2 ** (segmentOf(magnitude) + 2);
        const err = Math.abs(y - x);
        assert.ok(err <= bound, `|decode(encode(${x})) - ${x}| = ${err} > ${bound}`);
        worst = Math.max(worst, err / Math.max(magnitude, 1));
      } else {
        assert.equal(Math.abs(y), 32124, `${x} is clipped to the top code`);
      }
    }
    assert.ok(worst > 0, "the comparison ran");
  });

  test("is monotonic: a louder sample never gets a quieter code", () => {
    let prev = Number.NEGATIVE_INFINITY;
    for (let x = -32768; x <= 32767; x++) {
      const y = decodeMuLawSample(encodeMuLawSample(x));
      assert.ok(y >= prev, `decode(encode(${x})) = ${y} < ${prev}`);
      prev = y;
    }
  });

  test("single-sample form rounds non-integers and clamps out-of-range values", () => {
    assert.equal(encodeMuLawSample(999.6), encodeMuLawSample(1000));
    assert.equal(encodeMuLawSample(100000), 0x80);
    assert.equal(encodeMuLawSample(-100000), 0x00);
    assert.throws(() => encodeMuLawSample(Number.NaN), /finite number, got NaN/);
  });

  test("writes into a caller-provided buffer; rejects one that is too small", () => {
    const dst = new Uint8Array(4);
    const out = encodeMuLaw(Int16Array.of(0, 1000), dst);
    assert.deepEqual(Array.from(out), [0xff, 0xce]);
    assert.equal(out.buffer, dst.buffer);
    assert.throws(() => encodeMuLaw(new Int16Array(5), dst), /holds 4 samples but 5 are needed/);
    assert.throws(() => encodeMuLaw(new Uint8Array(2) as unknown as Int16Array), /src must be an Int16Array/);
  });

  test("MULAW_SILENCE decodes to zero", () => {
    assert.equal(decodeMuLawSample(MULAW_SILENCE), 0);
  });
});
